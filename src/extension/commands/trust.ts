// Restricted Mode: running and deploying execute the workspace's code, so they wait for trust.
import * as vscode from 'vscode';

/** True in a trusted workspace; otherwise explains why `action` is disabled and returns false. */
export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      `ProPack: ${action} is disabled in Restricted Mode, because it runs this workspace's code. Trust the workspace to enable it; reports and profiles stay available.`,
      'Manage Workspace Trust',
    )
    .then((pick) => pick && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}
