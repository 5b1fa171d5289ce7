// Every ProPack command, registered in one place. Titles and the category live in package.json.
import * as vscode from 'vscode';
import type { ProPackTreeProvider } from '../tree/propack-tree';
import { DEFAULT_REPORT_INPUT, ReportPanel } from '../report/report-panel';
import type { ReportView } from '../protocol';
import { importArtifactCommand } from './import-artifact';
import { optimizeCommand } from './optimize';
import { pickProfile, profileUriFromArg } from './pick-profile';

/** Command ids; package.json contributes the same ids. */
export const Commands = {
  openReport: 'propack.openReport',
  refresh: 'propack.refresh',
  importArtifact: 'propack.importArtifact',
  optimize: 'propack.optimize',
  openProfileFile: 'propack.openProfileFile',
} as const;

/** Registers the commands; their disposables go to `context.subscriptions`. */
export function registerCommands(context: vscode.ExtensionContext, tree: ProPackTreeProvider, log: vscode.LogOutputChannel): void {
  const { extensionUri } = context;
  const openReport = async (arg: unknown): Promise<ReportView | undefined> => {
    const picked = await pickProfile(arg, tree);
    if (!picked) return undefined;
    // Reopening the same profile keeps the question the user last asked in the report.
    const current = ReportPanel.open?.currentView;
    const input = current && current.profileKey === picked.key ? current.input : DEFAULT_REPORT_INPUT;
    return ReportPanel.show(extensionUri, picked, input, log).currentView;
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.openReport, openReport),
    vscode.commands.registerCommand(Commands.refresh, () => tree.refresh()),
    vscode.commands.registerCommand(Commands.importArtifact, async (dir: unknown, app: unknown) => {
      const written = await importArtifactCommand(dir, app, log);
      if (written) tree.refresh();
      return written;
    }),
    vscode.commands.registerCommand(Commands.optimize, (arg: unknown) => optimizeCommand(arg, tree, extensionUri, log)),
    vscode.commands.registerCommand(Commands.openProfileFile, async (arg: unknown) => {
      const uri = profileUriFromArg(arg);
      if (uri) await vscode.window.showTextDocument(uri);
    }),
  );
}
