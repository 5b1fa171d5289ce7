// Resolves which handler a command works on: the one it was given, the one under the cursor, or the
// user's pick among the workspace's handlers.
import * as vscode from 'vscode';
import { handlerAtLine } from '../handlers/detect-handlers';
import { handlerRefFromArg, type HandlerRef, type WorkspaceHandlers } from '../handlers/workspace-handlers';

/** The handler for a command, or undefined (with a message) when there is none or the user cancels. */
export async function pickHandler(arg: unknown, handlers: WorkspaceHandlers, purpose: string): Promise<HandlerRef | undefined> {
  const given = handlerRefFromArg(arg);
  // The settings are read afresh: an argument (a tree item, a test) may predate an edit of the template.
  if (given) {
    const declared = await handlers.declaredFunction(given.uri, given.exportName);
    return declared ? { ...given, declared } : given;
  }
  const editor = vscode.window.activeTextEditor;
  if (editor) {
    const here = handlerAtLine(await handlers.inDocument(editor.document), editor.selection.active.line);
    if (here) return here;
  }
  if (!vscode.workspace.workspaceFolders?.length) {
    // No folder: nothing to list and nowhere to save a profile. Say how to get there, or what to try meanwhile.
    void vscode.window
      .showInformationMessage(
        `ProPack: open the folder of your Lambda project to ${purpose} one of its functions; ProPack lists its handlers in its view.`,
        'Open Folder',
        'Try the Built-in Benchmarks',
      )
      .then((pick) => pick && vscode.commands.executeCommand(pick === 'Open Folder' ? 'vscode.openFolder' : 'propack.tryBenchmarks'));
    return undefined;
  }
  const all = await handlers.inWorkspace();
  if (all.length === 0) {
    void vscode.window
      .showWarningMessage(
        'ProPack: no Lambda handler found in the workspace: an exported "handler" or "lambda_handler" in a .js, .ts or .py file, or one template.yaml / serverless.yml names. Open or write one, or try the built-in benchmarks.',
        'Try the Built-in Benchmarks',
      )
      .then((pick) => pick && vscode.commands.executeCommand('propack.tryBenchmarks'));
    return undefined;
  }
  const choice = await vscode.window.showQuickPick(
    all.map((h) => ({
      label: h.functionName,
      description: `${vscode.workspace.asRelativePath(h.uri, false)} · ${h.exportName}`,
      handler: h,
    })),
    { title: `ProPack: choose a function to ${purpose}`, placeHolder: 'Function' },
  );
  return choice?.handler;
}
