// ProPack: Export Report — the open (or picked) profile's report as HTML (through the engine's writeReport:
// with its measured runs, or model-only predictions before the function has run), CSV (every candidate p) or JSON.
import * as vscode from 'vscode';
import { reportInputs } from '../../engine/report-inputs';
import { writeReport } from '../../engine/report-write';
import { ReportPanel } from '../report/report-panel';
import { concurrencyOrigin, questionFor, type QuestionSource } from '../report/report-question';
import type { ReportView } from '../protocol';
import { candidatesCsv, reportJson } from '../report/report-export';
import { buildReportView } from '../report/report-view';
import { readRunRecordsForReport } from '../runs/read-runs';
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
export async function exportReportCommand(
  arg: unknown,
  tree: ProPackTreeProvider,
  log: vscode.LogOutputChannel,
): Promise<vscode.Uri | undefined> {
  const given: ExportArgs = typeof arg === 'object' && arg !== null && 'format' in arg ? (arg as ExportArgs) : { profile: arg };
  const open = ReportPanel.open?.currentState;
  const picked = given.profile === undefined && open?.kind === 'profile' ? undefined : await pickProfile(given.profile, tree);
  // The open report's question when it shows this function, else the settings' (as Run Packed does).
  let view: ReportView | undefined;
  let from: QuestionSource = 'the open report';
  if (picked) {
    const question = questionFor(picked.profile.function.name);
    view = buildReportView(picked.profile, picked.key, question.input);
    from = question.from;
  } else if (open?.kind === 'profile') view = open.view;
  if (!view) return undefined;
  const at = concurrencyOrigin(view.input.concurrency, from);
  const format =
    given.format ??
    ((
      await vscode.window.showQuickPick(
        [
          { label: 'html', description: 'self-contained report: measured runs, or the model’s predictions before any run' },
          { label: 'csv', description: 'every candidate packing degree' },
          { label: 'json', description: 'the report data' },
        ],
        { title: `ProPack: export ${view.functionName} as` },
      )
    )?.label as ExportFormat | undefined);
  if (!format) return undefined;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (format === 'html') {
    const profile =
      picked?.profile ?? (await tree.profileEntries()).flatMap((e) => (e.ok && e.key === view.profileKey ? [e.profile] : []))[0];
    if (!profile) {
      void vscode.window.showWarningMessage(
        `ProPack: the profile of ${view.functionName} is no longer in the workspace; export CSV or JSON.`,
      );
      return undefined;
    }
    // The report's whole question (C, objective, metric, weights, bounds), so the export shows what the panel does.
    const { data, otherRunsAt } = reportInputs(profile, await readRunRecordsForReport(), view.input);
    const dir = given.target ?? (await pickReportFolder(root, view.functionName));
    if (!dir) return undefined;
    const written = writeReport(dir.fsPath, data);
    log.info(`exported ${written.html} and ${written.summary}`);
    const measured = data.benchmarks[0]?.measured
      ? 'with its runs'
      : `model only${otherRunsAt.length ? ` (its runs at C = ${otherRunsAt.join(', ')} are not at this C)` : ' (no runs yet)'}`;
    const html = vscode.Uri.file(written.html);
    announce(
      `ProPack: exported the report of ${view.functionName} at ${at}, ${measured}, to ${vscode.workspace.asRelativePath(html, false)} (and summary.json).`,
      html,
      true,
    );
    return html;
  }
  const text = format === 'csv' ? candidatesCsv(view) : reportJson(view);
  const suggested = root ? vscode.Uri.joinPath(root, `${view.functionName}-propack.${format}`) : undefined;
  const file =
    given.target ??
    (await vscode.window.showSaveDialog({
      title: `ProPack: export ${format.toUpperCase()}`,
      filters: { [format.toUpperCase()]: [format] },
      ...(suggested ? { defaultUri: suggested } : {}),
    }));
  if (!file) return undefined;
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
  log.info(`exported ${file.fsPath}`);
  announce(
    `ProPack: exported ${view.functionName} at ${at} as ${format.toUpperCase()} to ${vscode.workspace.asRelativePath(file, false)}.`,
    file,
    false,
  );
  return file;
}

/** Where report.html goes: the folder the user picks, offered `.propack/reports/<function>/` (created) first. */
async function pickReportFolder(root: vscode.Uri | undefined, functionName: string): Promise<vscode.Uri | undefined> {
  const suggested = root ? vscode.Uri.joinPath(root, '.propack', 'reports', functionName.replace(/[^A-Za-z0-9._-]/g, '-')) : undefined;
  if (suggested) await vscode.workspace.fs.createDirectory(suggested);
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    openLabel: 'Export Here',
    title: 'ProPack: folder for report.html and summary.json',
    ...(suggested ? { defaultUri: suggested } : {}),
  });
  return picked?.[0];
}

/** Says where an export went and offers to open it (HTML in the browser, other files in the editor) or show it. */
function announce(message: string, file: vscode.Uri, html: boolean): void {
  const open = html ? 'Open in Browser' : 'Open';
  void vscode.window.showInformationMessage(message, open, 'Reveal in Explorer').then((pick) => {
    if (pick === open) void (html ? vscode.env.openExternal(file) : vscode.window.showTextDocument(file));
    else if (pick === 'Reveal in Explorer') void vscode.commands.executeCommand('revealInExplorer', file);
  });
}
