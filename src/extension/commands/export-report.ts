// ProPack: Export Report — the open (or picked) profile's report as HTML (through the engine's writeReport:
// with its measured runs, or model-only predictions before the function has run), CSV (every candidate p) or JSON.
import * as vscode from 'vscode';
import { writeReport } from '../../engine/report-write';
import { DEFAULT_REPORT_INPUT, ReportPanel } from '../report/report-panel';
import { candidatesCsv, reportDataFromRuns, reportJson } from '../report/report-export';
import { buildReportView } from '../report/report-view';
import { readRunRecords } from '../runs/read-runs';
import type { ProPackTreeProvider } from '../tree/propack-tree';
import { pickProfile } from './pick-profile';

type ExportFormat = 'html' | 'csv' | 'json';

/** Arguments that skip the questions: the format, the profile and where to write. */
interface ExportArgs {
  format?: ExportFormat;
  profile?: unknown;
  /** A file for csv/json, a folder for html. */
  target?: vscode.Uri;
}

/** Exports; returns the file written (report.html for html), or undefined when cancelled or impossible. */
export async function exportReportCommand(arg: unknown, tree: ProPackTreeProvider, log: vscode.LogOutputChannel): Promise<vscode.Uri | undefined> {
  const given: ExportArgs = typeof arg === 'object' && arg !== null && 'format' in arg ? (arg as ExportArgs) : { profile: arg };
  const open = ReportPanel.open?.currentState;
  const picked = given.profile === undefined && open?.kind === 'profile' ? undefined : await pickProfile(given.profile, tree);
  const view = picked ? buildReportView(picked.profile, picked.key, open?.kind === 'profile' ? open.view.input : DEFAULT_REPORT_INPUT) : open?.kind === 'profile' ? open.view : undefined;
  if (!view) return undefined;
  const format =
    given.format ??
    (await vscode.window.showQuickPick(
      [
        { label: 'html', description: 'self-contained report: measured runs, or the model’s predictions before any run' },
        { label: 'csv', description: 'every candidate packing degree' },
        { label: 'json', description: 'the report data' },
      ],
      { title: `ProPack: export ${view.functionName} as` },
    ))?.label as ExportFormat | undefined;
  if (!format) return undefined;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (format === 'html') {
    const profile = picked?.profile ?? (await tree.profileEntries()).flatMap((e) => (e.ok && e.key === view.profileKey ? [e.profile] : []))[0];
    if (!profile) {
      void vscode.window.showWarningMessage(`ProPack: the profile of ${view.functionName} is no longer in the workspace; export CSV or JSON.`);
      return undefined;
    }
    const data = reportDataFromRuns(profile, view, await readRunRecords());
    const dir = given.target ?? (await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, title: 'ProPack: folder for report.html', ...(root ? { defaultUri: root } : {}) }))?.[0];
    if (!dir) return undefined;
    const written = writeReport(dir.fsPath, data);
    log.info(`exported ${written.html} and ${written.summary}`);
    return vscode.Uri.file(written.html);
  }
  const text = format === 'csv' ? candidatesCsv(view) : reportJson(view);
  const suggested = root ? vscode.Uri.joinPath(root, `${view.functionName}-propack.${format}`) : undefined;
  const file = given.target ?? (await vscode.window.showSaveDialog({ title: `ProPack: export ${format.toUpperCase()}`, filters: { [format.toUpperCase()]: [format] }, ...(suggested ? { defaultUri: suggested } : {}) }));
  if (!file) return undefined;
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
  log.info(`exported ${file.fsPath}`);
  return file;
}
