import * as vscode from 'vscode';
import { registerCommands } from './commands/register';
import { REPORT_VIEW_TYPE, ReportPanel } from './report/report-panel';
import { createApi, type ProPackApi } from './test-api';
import { ProPackTreeProvider } from './tree/propack-tree';
import { PROPACK_GLOB } from './workspace-files';

export const TREE_VIEW_ID = 'propack.explorer';

/** Activates the extension: tree, commands, report serializer, file watcher. */
export function activate(context: vscode.ExtensionContext): ProPackApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('ProPack', { log: true });
  const tree = new ProPackTreeProvider();
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${PROPACK_GLOB}`);
  context.subscriptions.push(
    log,
    tree,
    watcher,
    watcher.onDidCreate(() => tree.refresh()),
    watcher.onDidChange(() => tree.refresh()),
    watcher.onDidDelete(() => tree.refresh()),
    vscode.window.createTreeView(TREE_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }),
    vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state: unknown) => ReportPanel.revive(panel, context.extensionUri, state, log),
    }),
    { dispose: () => ReportPanel.open?.dispose() },
  );
  registerCommands(context, tree, log);
  log.info(`ProPack activated in ${(performance.now() - started).toFixed(1)} ms (${vscode.env.appName} ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'})`);
  return createApi(tree);
}

/** Nothing to release beyond `context.subscriptions`. */
export function deactivate(): void {
  // the subscriptions dispose everything
}
