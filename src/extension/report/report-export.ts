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
 * ReportData for `writeReport` from a profile and the function's latest no-packing and packed runs at one
 * concurrency; without such a pair, a model-only report at the view's concurrency (predictions only).
 */
export function reportDataFromRuns(profile: Profile, view: ReportView, runs: readonly RunRecord[]): ReportData {
  const mine = runs.filter((r) => r.functionName === profile.function.name).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const propack = mine.find((r) => r.label === 'propack');
  const noPacking = propack && mine.find((r) => r.label === 'no-packing' && r.concurrency === propack.concurrency);
  const { objective, metric, model } = view.input;
  const name = profile.function.name;
  // With runs, the model answers at the runs' concurrency (the report's C may differ).
  const concurrency = noPacking ? noPacking.concurrency : view.input.concurrency;
  const choice = optimize(profile, { concurrency, objective, metric, model });
  const base = { benchmark: name, title: name, concurrency, objective, metric, profile, model, recommended: recommendedOf(choice) };
  const generatedAt = new Date().toISOString();
  if (!propack || !noPacking) {
    return { title: `ProPack report (model only) — ${name}`, generatedAt, platform: modelOnlyPlatform(profile), benchmarks: [base] };
  }
  const grid = [noPacking.measured, propack.measured].sort((a, b) => a.packingDegree - b.packingDegree);
  const { oracle, regret } = oracleAndRegret(grid, propack.measured, objective, metric);
  return {
    title: `ProPack report — ${name}`,
    generatedAt,
    platform: propack.platform,
    benchmarks: [{ ...base, measured: { noPacking: noPacking.measured, propack: propack.measured, grid, oracle, regret } }],
  };
}
