// Every ProPack command, registered in one place. Titles and the category live in package.json.
import * as vscode from 'vscode';
import type { WorkspaceHandlers } from '../handlers/workspace-handlers';
import type { PlatformManager } from '../platform/platform-manager';
import type { ProPackTreeProvider } from '../tree/propack-tree';
import { ReportPanel } from '../report/report-panel';
import { questionFor } from '../report/report-question';
import type { ReportView } from '../protocol';
import { importArtifactCommand } from './import-artifact';
import { optimizeCommand } from './optimize';
import { pickProfile, profileUriFromArg } from './pick-profile';
import { compareRunsCommand } from './compare-runs';
import { deleteProfileCommand } from './delete-profile';
import { deployCommand } from './deploy';
import { exportReportCommand } from './export-report';
import { profileFunctionCommand } from './profile-function';
import { runPackedCommand } from './run-packed';
import { selectPlatformCommand } from './select-platform';
import { tryBenchmarksCommand } from './try-benchmarks';
import { requireTrust } from './trust';
import { currentSettings } from '../settings-access';
import { failureMessages } from './command-failure';

/** Command ids; package.json contributes the same ids. */
export const Commands = {
  openReport: 'propack.openReport',
  refresh: 'propack.refresh',
  importArtifact: 'propack.importArtifact',
  optimize: 'propack.optimize',
  openProfileFile: 'propack.openProfileFile',
  profileFunction: 'propack.profileFunction',
  runPacked: 'propack.runPacked',
  deploy: 'propack.deploy',
  selectPlatform: 'propack.selectPlatform',
  startLocalPlatform: 'propack.startLocalPlatform',
  stopLocalPlatform: 'propack.stopLocalPlatform',
  exportReport: 'propack.exportReport',
  compareRuns: 'propack.compareRuns',
  deleteProfile: 'propack.deleteProfile',
  showLog: 'propack.showLog',
  tryBenchmarks: 'propack.tryBenchmarks',
} as const;

/** What the commands work with besides the tree and the log. */
export interface CommandServices {
  handlers: WorkspaceHandlers;
  platforms: PlatformManager;
  /** Re-reads profiles everywhere they are shown (tree, lenses, followed report). */
  profilesChanged: () => void;
}

/**
 * Registers one command. A failure it throws is logged and shown here, once for every command: named by
 * its CommandFailed action ("profiling echo failed: …"), explained for AWS (an expired SSO session says what
 * to run), with a Show Log button; the command then returns undefined.
 */
function register(id: string, handler: (...args: never[]) => unknown, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: never[]) => {
    try {
      return await handler(...args);
    } catch (e) {
      const m = failureMessages(e, id, currentSettings(), (file) => vscode.workspace.asRelativePath(file, false));
      log.error(m.log);
      void vscode.window.showErrorMessage(m.notification, 'Show Log').then((pick) => pick && log.show());
      return undefined;
    }
  });
}

/** Registers the commands; their disposables go to `context.subscriptions`. */
export function registerCommands(
  context: vscode.ExtensionContext,
  tree: ProPackTreeProvider,
  log: vscode.LogOutputChannel,
  services: CommandServices,
): void {
  const { handlers, platforms, profilesChanged } = services;
  const registerCommand = (id: string, handler: (...args: never[]) => unknown): vscode.Disposable => register(id, handler, log);
  const { extensionUri } = context;
  const openReport = async (arg: unknown): Promise<ReportView | undefined> => {
    const picked = await pickProfile(arg, tree);
    if (!picked) return undefined;
    // Reopening the same profile keeps the question the user last asked in the report; a new one starts
    // from the settings' question, the one the CodeLens, the tree and Run Packed answer.
    const current = ReportPanel.open?.currentView;
    const input = current && current.profileKey === picked.key ? current.input : questionFor(picked.profile.function.name).input;
    return ReportPanel.show(extensionUri, picked, input, log).currentView;
  };
  context.subscriptions.push(
    registerCommand(Commands.openReport, openReport),
    registerCommand(Commands.refresh, () => tree.refresh()),
    registerCommand(Commands.importArtifact, async (dir: unknown, app: unknown) => {
      const written = await importArtifactCommand(dir, app, log);
      if (written) tree.refresh();
      return written;
    }),
    registerCommand(Commands.optimize, (arg: unknown) => optimizeCommand(arg, tree, extensionUri, log)),
    registerCommand(Commands.openProfileFile, async (arg: unknown) => {
      const uri = profileUriFromArg(arg);
      if (uri) await vscode.window.showTextDocument(uri);
    }),
    registerCommand(Commands.profileFunction, async (arg: unknown) => {
      const uri = await profileFunctionCommand(arg, handlers, platforms, log);
      if (uri) profilesChanged();
      return uri;
    }),
    registerCommand(Commands.runPacked, (arg: unknown) => runPackedCommand(arg, tree, platforms, log)),
    registerCommand(Commands.deploy, (arg: unknown) => deployCommand(arg, handlers, platforms, log, () => tree.refresh())),
    registerCommand(Commands.selectPlatform, (arg: unknown) => selectPlatformCommand(arg, log)),
    registerCommand(Commands.startLocalPlatform, async () => {
      if (!requireTrust('the local platform')) return undefined;
      const p = await platforms.startLocal();
      void vscode.window.showInformationMessage(`ProPack: local platform running (Lambda ${p.lambdaEndpoint}, S3 ${p.s3Endpoint}).`);
      tree.refresh();
      // The endpoints and the file holding the platform's key (mode 0600), never the secret itself.
      return { lambda: p.lambdaEndpoint, s3: p.s3Endpoint, endpointFile: p.endpointFile };
    }),
    registerCommand(Commands.stopLocalPlatform, async () => {
      const stopped = await platforms.stopLocal();
      void vscode.window.showInformationMessage(
        stopped ? 'ProPack: local platform stopped.' : 'ProPack: the local platform was not running.',
      );
      tree.refresh();
      return stopped;
    }),
    registerCommand(Commands.exportReport, (arg: unknown) => exportReportCommand(arg, tree, log)),
    registerCommand(Commands.compareRuns, (a: unknown, b: unknown) => compareRunsCommand(a, b)),
    registerCommand(Commands.deleteProfile, (arg: unknown, confirmed: unknown) =>
      deleteProfileCommand(arg, confirmed, log, profilesChanged),
    ),
    registerCommand(Commands.showLog, () => log.show(true)),
    registerCommand(Commands.tryBenchmarks, async (arg: unknown) => {
      const tried = await tryBenchmarksCommand(arg, platforms, context.globalStorageUri, extensionUri, log);
      if (tried) profilesChanged();
      return tried;
    }),
  );
}
