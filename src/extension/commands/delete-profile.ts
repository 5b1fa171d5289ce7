// ProPack: Delete Profile — removes a profile file after a modal confirmation.
import * as vscode from 'vscode';
import { profileUriFromArg } from './pick-profile';

/** Deletes the profile; `confirmed` skips the question (callers that already asked). True when deleted. */
export async function deleteProfileCommand(
  arg: unknown,
  confirmed: unknown,
  log: vscode.LogOutputChannel,
  onDeleted: () => void,
): Promise<boolean> {
  const uri = profileUriFromArg(arg);
  if (!uri) {
    void vscode.window.showWarningMessage('ProPack: choose a profile in the ProPack view to delete it.');
    return false;
  }
  const name = vscode.workspace.asRelativePath(uri, false);
  if (confirmed !== true) {
    const answer = await vscode.window.showWarningMessage(
      `Delete the ProPack profile ${name}? Its measurements cannot be recovered unless the file is in version control.`,
      { modal: true },
      'Delete',
    );
    if (answer !== 'Delete') return false;
  }
  await vscode.workspace.fs.delete(uri, { useTrash: false });
  log.info(`deleted profile ${name}`);
  onDeleted();
  return true;
}
