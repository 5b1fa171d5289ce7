// ProPack: Compare Runs — two saved runs side by side in a Markdown table.
import * as vscode from 'vscode';
import { compareRunsMarkdown, parseRunRecord, runDescription } from '../runs/run-files';
import type { RunRecord } from '../../core/run-record';
import { listRuns } from '../workspace-files';
import { profileUriFromArg } from './pick-profile';

async function readRecord(uri: vscode.Uri): Promise<RunRecord | undefined> {
  return parseRunRecord(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
}

/** Compares runs `a` and `b` (Uris or tree items), asking for what is missing; returns the Markdown. */
export async function compareRunsCommand(a: unknown, b: unknown): Promise<string | undefined> {
  // A context-menu call with several selected rows passes (clicked item, all selected items).
  const selected = Array.isArray(b) ? b.map(profileUriFromArg).filter((u): u is vscode.Uri => Boolean(u)) : undefined;
  let uris = selected && selected.length === 2 ? selected : [a, b].map(profileUriFromArg).filter((u): u is vscode.Uri => Boolean(u));
  if (uris.length < 2) {
    const all: { uri: vscode.Uri; record: RunRecord }[] = [];
    for (const e of await listRuns()) {
      const record = await readRecord(e.uri);
      if (record) all.push({ uri: e.uri, record });
    }
    if (all.length < 2) {
      void vscode.window.showWarningMessage(
        'ProPack: Compare Runs needs two runs in .propack/runs (ProPack: Run Packed saves a packed and an unpacked run).',
      );
      return undefined;
    }
    const picks = await vscode.window.showQuickPick(
      all.map((x) => ({
        label: `${x.record.functionName} · ${x.record.label}`,
        description: runDescription(x.record),
        detail: x.record.createdAt,
        uri: x.uri,
        picked: uris.some((u) => u.toString() === x.uri.toString()),
      })),
      { title: 'ProPack: choose two runs to compare', canPickMany: true },
    );
    if (!picks) return undefined;
    if (picks.length !== 2) {
      void vscode.window.showWarningMessage(`ProPack: choose exactly two runs (${picks.length} chosen).`);
      return undefined;
    }
    uris = picks.map((p) => p.uri);
  }
  const [ra, rb] = await Promise.all(uris.slice(0, 2).map(readRecord));
  if (!ra || !rb) {
    void vscode.window.showErrorMessage('ProPack: one of the files is not a ProPack run record.');
    return undefined;
  }
  const markdown = compareRunsMarkdown(ra, rb);
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.window.showTextDocument(doc, { preview: true });
  return markdown;
}
