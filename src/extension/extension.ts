import * as vscode from 'vscode';

/** Activates the extension; the skeleton is filled in by the extension issue. */
export function activate(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel('ProPack');
  context.subscriptions.push(channel);
}

export function deactivate(): void {
  // nothing to release yet
}
