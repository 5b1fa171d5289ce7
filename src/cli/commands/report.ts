/** `propack report --profile F [--concurrency C] [--out DIR]`: the HTML report of a profile and its measured runs. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { optimize } from '../../core/optimizer';
import type { Metric, Objective, Profile } from '../../core/types';
import { oracleAndRegret } from '../../engine/objective';
import { modelOnlyPlatform, recommendedOf, type MeasuredResults, type MeasuredRun, type ReportData } from '../../engine/report-data';
import { listRuns, RUNS_DIR, type RunRecord } from '../../engine/run-store';
import { writeReport } from '../../engine/report-write';
import { choice, parseArgs, positiveInt, UsageError } from '../args';
import { MAX_CONCURRENCY, modelCall, readProfileFlag } from '../model-flags';

export const REPORT_HELP = `Usage: propack report --profile FILE [--concurrency C] [--objective time|cost|both] [--metric net|tail|median]
                      [--workspace DIR] [--out DIR]

Writes DIR/report.html (self-contained: charts of the profile, the chosen p, measured vs predicted,
completion-time CDFs, what-if up to C=100,000, memory x p) and DIR/summary.json (default ./propack-report)
from a profile and the latest runs of its function in WORKSPACE/.propack/runs (made by propack demo or
propack run); the runs' concurrency is the report's C.
Without measured runs the report is model-only: the model's predictions at C (default: the profile's
latest recommendation, else its largest profiled concurrency), labelled as predictions, with no CDFs.`;

/**
 * The latest ProPack run with the latest no-packing run and grid at its C (newest first in `runs`), or
 * undefined without both.
 */
function measuredRuns(runs: readonly RunRecord[], objective: Objective, metric: Metric): { run: RunRecord; measured: MeasuredResults } | undefined {
  const propackRun = runs.find((r) => r.label === 'propack');
  // A baseline at another C would compare different jobs.
  const latest = (label: string): RunRecord | undefined => runs.find((r) => r.label === label && r.concurrency === propackRun?.concurrency);
  const noPackingRun = latest('no-packing');
  if (!propackRun || !noPackingRun) return undefined;
  const byDegree = new Map<number, MeasuredRun>();
  for (const r of [...runs].reverse()) if (r.concurrency === propackRun.concurrency && r.dispatch === 'sync') byDegree.set(r.measured.packingDegree, r.measured);
  byDegree.set(1, noPackingRun.measured);
  byDegree.set(propackRun.measured.packingDegree, propackRun.measured);
  const grid = [...byDegree.values()].sort((a, b) => a.packingDegree - b.packingDegree);
  const { oracle, regret } = oracleAndRegret(grid, propackRun.measured, objective, metric);
  return { run: propackRun, measured: { noPacking: noPackingRun.measured, pywren: latest('pywren')?.measured, propack: propackRun.measured, grid, oracle, regret } };
}

/** A model-only report's C: the latest recommendation's, else the largest profiled concurrency. */
function defaultConcurrency(profile: Profile): number {
  const rec = profile.recommendations?.[profile.recommendations.length - 1];
  return rec?.concurrency ?? Math.max(1, ...profile.scaling.runs.map((r) => r.concurrency));
}

/** Runs the command; returns the exit code. */
export function runReportCommand(argv: string[], out: (s: string) => void): number {
  const cmd = 'report';
  const args = parseArgs(cmd, argv, { values: ['profile', 'concurrency', 'objective', 'metric', 'workspace', 'out'] });
  const { profile } = readProfileFlag(args, cmd);
  // Validated before anything is read, so a bad value fails the same way with or without runs.
  const given = args.flags.has('concurrency') ? positiveInt(args, cmd, 'concurrency', MAX_CONCURRENCY) : undefined;
  const rec = profile.recommendations?.[profile.recommendations.length - 1];
  const objective = choice(args, cmd, 'objective', ['time', 'cost', 'both'] as const, rec?.objective ?? 'both');
  const metric = choice(args, cmd, 'metric', ['net', 'tail', 'median'] as const, rec?.metric ?? 'net');
  const workspace = resolve(args.flags.get('workspace') ?? '.');
  const runs: RunRecord[] = listRuns(workspace)
    .map((f) => JSON.parse(readFileSync(join(workspace, RUNS_DIR, f), 'utf8')) as RunRecord)
    .filter((r) => r.functionName === profile.function.name);
  const found = measuredRuns(runs, objective, metric);
  if (found && given !== undefined && given !== found.run.concurrency) {
    throw new UsageError(`${cmd}: --concurrency ${given} differs from the measured runs' C=${found.run.concurrency}; omit it, or measure at C=${given} first`);
  }
  const concurrency = found?.run.concurrency ?? given ?? defaultConcurrency(profile);
  const result = modelCall(cmd, () => optimize(profile, { concurrency, objective, metric }));
  const name = profile.function.name;
  const data: ReportData = {
    title: found ? `ProPack report: ${name}` : `ProPack report (model only): ${name}`,
    generatedAt: new Date().toISOString(),
    platform: found?.run.platform ?? modelOnlyPlatform(profile),
    benchmarks: [{ benchmark: name, title: name, concurrency, objective, metric, profile, recommended: recommendedOf(result), measured: found?.measured }],
  };
  const outDir = resolve(args.flags.get('out') ?? 'propack-report');
  writeReport(outDir, data);
  out(
    found
      ? `wrote ${join(outDir, 'report.html')} and summary.json: measured runs at C=${concurrency} on ${found.run.platform}`
      : `wrote ${join(outDir, 'report.html')} and summary.json: model only (no measured runs of ${name} in ${join(workspace, RUNS_DIR)}), predictions at C=${concurrency}`,
  );
  return 0;
}
