// What Export Report writes besides the HTML report: the candidates as CSV and the report view as JSON,
// and the ReportData `writeReport` needs from a profile and its saved runs (if any). Pure (no `vscode`).
import { optimize } from '../../core/optimizer';
import type { Profile } from '../../core/types';
import { oracleAndRegret } from '../../engine/objective';
import { modelOnlyPlatform, recommendedOf, type ReportData } from '../../engine/report-data';
import type { RunRecord } from '../../engine/run-store';
import type { ReportView } from '../protocol';

/** One row per candidate p: the predictions the report charts, recommended row marked. */
export function candidatesCsv(view: ReportView): string {
  const header = 'packing_degree,concurrency,service_time_s,scaling_time_s,execution_time_s,cost_usd,instances,recommended';
  const rows = view.candidates.map((c) =>
    [c.packingDegree, c.concurrency, c.serviceTime, c.scalingTime, c.executionTime, c.cost, c.instances, c.packingDegree === view.recommended.packingDegree ? 1 : 0].join(','),
  );
  return `${[header, ...rows].join('\n')}\n`;
}

/** The report as JSON: the question, the answer, every candidate and the measured points. */
export function reportJson(view: ReportView): string {
  return `${JSON.stringify({ schema: 'propack.report-view/v1', ...view }, null, 2)}\n`;
}

/**
 * ReportData for `writeReport` at the view's question (C, objective, metric, weights, bounds), with the
 * function's latest no-packing and packed runs at that C; without such a pair, a model-only report.
 * `otherRunsAt` lists the concurrencies of runs left out because they were at another C (newest first).
 */
export function reportDataFromRuns(profile: Profile, view: ReportView, runs: readonly RunRecord[]): { data: ReportData; otherRunsAt: number[] } {
  const name = profile.function.name;
  const { concurrency } = view.input;
  const mine = runs.filter((r) => r.functionName === name).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const atC = mine.filter((r) => r.concurrency === concurrency);
  const propack = atC.find((r) => r.label === 'propack');
  const noPacking = atC.find((r) => r.label === 'no-packing');
  const otherRunsAt = [...new Set(mine.filter((r) => r.concurrency !== concurrency && (r.label === 'propack' || r.label === 'no-packing')).map((r) => r.concurrency))];
  const { objective, metric, model, weights, constraints } = view.input;
  const choice = optimize(profile, { concurrency, objective, metric, model, weights, constraints });
  const base = { benchmark: name, title: name, concurrency, objective, metric, profile, model, recommended: recommendedOf(choice) };
  const generatedAt = new Date().toISOString();
  if (!propack || !noPacking) {
    return { data: { title: `ProPack report (model only) — ${name}`, generatedAt, platform: modelOnlyPlatform(profile), benchmarks: [base] }, otherRunsAt };
  }
  const grid = [noPacking.measured, propack.measured].sort((a, b) => a.packingDegree - b.packingDegree);
  const { oracle, regret } = oracleAndRegret(grid, propack.measured, objective, metric);
  const data: ReportData = {
    title: `ProPack report — ${name}`,
    generatedAt,
    platform: propack.platform,
    benchmarks: [{ ...base, measured: { noPacking: noPacking.measured, propack: propack.measured, grid, oracle, regret } }],
  };
  return { data, otherRunsAt };
}
