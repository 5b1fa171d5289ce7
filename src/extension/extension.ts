import * as vscode from 'vscode';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { registerCommands } from './commands/register';
import { HANDLER_DOCUMENTS, HandlerLensProvider } from './handlers/handler-lens';
import { DEPLOY_FILES, isExcludedPath, SOURCE_FILES, WorkspaceHandlers } from './handlers/workspace-handlers';
import { PlatformManager } from './platform/platform-manager';
import { createPlatformStatus } from './platform/status-bar';
import { CursorFollower } from './report/follow-cursor';
import { runCurvesOf } from './runs/read-runs';
import { REPORT_VIEW_TYPE, ReportPanel } from './report/report-panel';
import { watchSettings } from './settings-access';
import { createApi, type ProPackApi } from './test-api';
import { ProPackTreeProvider, type DeployedLister } from './tree/propack-tree';
import { PROPACK_GLOB } from './workspace-files';

export const TREE_VIEW_ID = 'propack.explorer';

/** Activates the extension: tree, lenses, commands, status bar, report serializer, file watchers. */
export function activate(context: vscode.ExtensionContext): ProPackApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('ProPack', { log: true });
  const handlers = new WorkspaceHandlers((p) => log.warn(`${p.reason} (its functions are not listed)`));
  const platforms = new PlatformManager(log);
  // Deployed functions are listed from the local platform only while it runs: listing AWS on every
  // refresh would resolve credentials (and maybe prompt SSO) just to draw the tree.
  const deployed: DeployedLister = async () => {
    if (!platforms.localRunning) return undefined;
    const conn = await platforms.connect();
    try {
      const r = await conn.session.lambda.send(new ListFunctionsCommand({}));
      return { platform: conn.label, names: (r.Functions ?? []).map((f) => f.FunctionName ?? '').filter(Boolean) };
    } finally {
      conn.session.close();
    }
  };
  const tree = new ProPackTreeProvider(handlers, deployed);
  const lenses = new HandlerLensProvider(handlers, tree, log);
  const follower = new CursorFollower(handlers, tree, log);
  const status = createPlatformStatus(platforms);
  const profilesChanged = (): void => {
    tree.refresh();
    lenses.refresh();
    follower.reset();
    // A profile re-measured or a run saved (here or by the CLI): the open report redraws with it.
    void ReportPanel.open?.reload();
  };
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${PROPACK_GLOB}`);
  const deployFiles = vscode.workspace.createFileSystemWatcher(DEPLOY_FILES);
  const deployFilesChanged = (): void => {
    handlers.invalidate();
    profilesChanged();
  };
  // A deleted folder is reported as the folder alone: it may have held a template.yaml.
  const deletions = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);
  // A handler written (or deleted) in the workspace shows up under Functions, and turns the welcome view
  // into the tree, without a manual refresh; saves come in bursts, so wait for a quiet half second.
  const sources = vscode.workspace.createFileSystemWatcher(SOURCE_FILES);
  let sourcesTimer: NodeJS.Timeout | undefined;
  const sourcesChanged = (uri: vscode.Uri): void => {
    if (isExcludedPath(uri.path)) return;
    clearTimeout(sourcesTimer);
    sourcesTimer = setTimeout(() => tree.refreshHandlers(), 500);
  };
  ReportPanel.loadRuns = runCurvesOf;
  ReportPanel.onProfileRequest = (missing) => {
    const h = follower.followed;
    void vscode.commands.executeCommand('propack.profileFunction', h && h.functionName === missing.functionName ? h : undefined);
  };
  ReportPanel.onProfileMoreRequest = (functionName, degrees) => {
    void handlers.inWorkspace().then((found) => {
      const handler = found.find((h) => h.functionName === functionName);
      if (handler) void vscode.commands.executeCommand('propack.profileFunction', { handler, degrees });
      else
        void vscode.window.showWarningMessage(
          `ProPack: no handler of ${functionName} in this workspace to profile again; from its project run: propack profile --function ${functionName} … --degrees ${degrees.join(',')}`,
        );
    });
  };
  context.subscriptions.push(
    log,
    tree,
    lenses,
    follower,
    platforms,
    ...status.disposables,
    watcher,
    deployFiles,
    watcher.onDidCreate(profilesChanged),
    watcher.onDidChange(profilesChanged),
    watcher.onDidDelete(profilesChanged),
    deployFiles.onDidCreate(deployFilesChanged),
    deployFiles.onDidChange(deployFilesChanged),
    deployFiles.onDidDelete(deployFilesChanged),
    deletions,
    deletions.onDidDelete((u) => {
      if (handlers.invalidateUnder(u)) profilesChanged();
    }),
    sources,
    sources.onDidCreate(sourcesChanged),
    sources.onDidChange(sourcesChanged),
    sources.onDidDelete(sourcesChanged),
    { dispose: () => clearTimeout(sourcesTimer) },
    platforms.onDidChange(() => tree.refresh()),
    watchSettings(log, () => {
      status.update();
      profilesChanged();
    }),
    vscode.languages.registerCodeLensProvider(HANDLER_DOCUMENTS, lenses),
    vscode.window.createTreeView(TREE_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true }),
    vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state: unknown) => ReportPanel.revive(panel, context.extensionUri, state, log),
    }),
    { dispose: () => ReportPanel.open?.dispose() },
    {
      dispose: () => {
        ReportPanel.onProfileRequest = undefined;
        ReportPanel.onProfileMoreRequest = undefined;
        ReportPanel.loadRuns = undefined;
      },
    },
  );
  registerCommands(context, tree, log, { handlers, platforms, profilesChanged });
  log.info(
    `ProPack activated in ${(performance.now() - started).toFixed(1)} ms (${vscode.env.appName} ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'}, ${vscode.workspace.isTrusted ? 'trusted' : 'restricted mode'})`,
  );
  return createApi({ tree, follower, status: status.item, platforms });
}

/** Nothing to release beyond `context.subscriptions`. */
export function deactivate(): void {
  // the subscriptions dispose everything (the local platform drains and stops)
}
