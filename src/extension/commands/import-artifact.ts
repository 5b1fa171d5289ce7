// ProPack: Import ProPack Artifact — turns a folder of ProPack's published measurements into a profile
// under .propack/profiles/<app>.json.
import * as vscode from 'vscode';
import { importArtifact } from '../../engine/artifact-import';
import { profilePathFor, saveProfile } from '../../engine/profile-store';
import { isDirectory } from '../workspace-files';

/** ProPack's classic scaling apps: its scaling curve is the per-C median over these. */
const CLASSIC_SCALING_APPS = ['video', 'sort', 'statelesscost'];

async function subfolders(uri: vscode.Uri): Promise<string[]> {
  if (!(await isDirectory(uri))) return []; // not an artifact folder: the caller says so
  return (await vscode.workspace.fs.readDirectory(uri))
    .filter(([, t]) => t === vscode.FileType.Directory)
    .map(([n]) => n)
    .sort();
}

/** Apps that have both a scaling and a packing profile in the artifact folder. */
export async function artifactApps(dir: vscode.Uri): Promise<string[]> {
  const scaling = await subfolders(vscode.Uri.joinPath(dir, 'scaling_performance'));
  const packed = new Set(await subfolders(vscode.Uri.joinPath(dir, 'packed_performance')));
  return scaling.filter((a) => packed.has(a));
}

function uriFromArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.file(arg);
  return undefined;
}

/** Runs the Import command (folder and app may be passed to skip the questions); returns the written file. */
export async function importArtifactCommand(
  dirArg: unknown,
  appArg: unknown,
  log: vscode.LogOutputChannel,
): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage('ProPack: open a folder first; the profile is saved in its .propack/profiles/.');
    return undefined;
  }
  const dir =
    uriFromArg(dirArg) ??
    (
      await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        title: 'ProPack artifact folder (has scaling_performance/ and packed_performance/)',
        openLabel: 'Import',
      })
    )?.[0];
  if (!dir) return undefined;
  const apps = await artifactApps(dir);
  if (apps.length === 0) {
    void vscode.window.showErrorMessage(
      `ProPack: ${dir.fsPath} has no app with both scaling_performance/<app> and packed_performance/<app>.`,
    );
    return undefined;
  }
  const app =
    typeof appArg === 'string' && apps.includes(appArg)
      ? appArg
      : await vscode.window.showQuickPick(apps, { title: 'ProPack: which app to import', placeHolder: 'App' });
  if (!app) return undefined;
  const classic = CLASSIC_SCALING_APPS.filter((a) => apps.includes(a));
  const scalingApps = classic.length > 0 ? classic : [app];
  // The engine reads and writes with Node's fs: the extension host runs where the workspace files are.
  const target = vscode.Uri.file(profilePathFor(folder.uri.fsPath, app));
  try {
    saveProfile(target.fsPath, importArtifact(dir.fsPath, { app, scalingApps }));
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    log.error(`import of ${app} from ${dir.fsPath} failed: ${reason}`);
    void vscode.window.showErrorMessage(`ProPack: import failed: ${reason}`);
    return undefined;
  }
  log.info(`imported ${app} from ${dir.fsPath} (scaling apps ${scalingApps.join(',')}) → ${target.fsPath}`);
  void vscode.window.showInformationMessage(`ProPack: imported ${app} → ${vscode.workspace.asRelativePath(target)}`);
  return target;
}
