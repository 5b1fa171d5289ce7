// Reads the validated `propack.*` settings from VS Code and reports rejected values once per change.
import * as vscode from 'vscode';
import { readSettings, type ProPackSettings } from './settings';

/** The current settings (invalid values replaced by defaults). */
export function currentSettings(): ProPackSettings {
  const config = vscode.workspace.getConfiguration('propack');
  return readSettings((key) => config.get(key)).settings;
}

/** Messages for the settings the user set wrongly, empty when all are valid. */
export function settingsProblems(): string[] {
  const config = vscode.workspace.getConfiguration('propack');
  return readSettings((key) => config.get(key)).problems;
}

/** Watches `propack.*`: logs and shows each problem, then calls `onChange`. */
export function watchSettings(log: vscode.LogOutputChannel, onChange: () => void): vscode.Disposable {
  const check = (): void => {
    for (const p of settingsProblems()) {
      log.warn(p);
      void vscode.window.showWarningMessage(`ProPack: ${p}`, 'Open Settings').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'propack.');
      });
    }
  };
  check();
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration('propack')) return;
    check();
    onChange();
  });
}
