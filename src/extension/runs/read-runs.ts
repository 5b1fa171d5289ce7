// Reads the workspace's run records (.propack/runs/*.json) through the editor's file system.
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/run-record';
import { parseRunFile } from '../../engine/report-inputs';
import type { RunCurve } from '../protocol';
import { listRuns } from '../workspace-files';
import { parseRunRecord } from './run-files';

/** Every readable run record of the workspace (other files are skipped). */
export async function readRunRecords(): Promise<RunRecord[]> {
  const out: RunRecord[] = [];
  for (const e of await listRuns()) {
    // A file deleted since the listing is skipped like any other unreadable one.
    const r = await vscode.workspace.fs.readFile(e.uri).then(
      (b) => parseRunRecord(new TextDecoder().decode(b)),
      () => undefined,
    );
    if (r) out.push(r);
  }
  return out;
}

/**
 * Every run record of the workspace for a report; throws one line at the first file that is not one (the
 * check `propack report` makes), so a report never silently leaves a run out.
 */
export async function readRunRecordsForReport(): Promise<RunRecord[]> {
  const out: RunRecord[] = [];
  for (const e of await listRuns()) {
    const text = await vscode.workspace.fs.readFile(e.uri).then(
      (b) => new TextDecoder().decode(b),
      () => undefined,
    );
    // A file deleted since the listing is not a run any more.
    if (text !== undefined) out.push(parseRunFile(vscode.workspace.asRelativePath(e.uri, false), text));
  }
  return out;
}

/** The CDF curves of one function's runs, oldest first. */
export async function runCurvesOf(functionName: string): Promise<RunCurve[]> {
  return (await readRunRecords())
    .filter((r) => r.functionName === functionName)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((r) => ({
      label: r.label,
      packingDegree: r.measured.packingDegree,
      concurrency: r.concurrency,
      completionTimes: r.measured.completionTimes,
    }));
}
