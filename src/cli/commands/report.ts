/** `propack report --profile F [--out DIR]`: the HTML report of a profile and its measured runs. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { optimize } from '../../core/optimizer';
import { ProfileError } from '../../core/profile';
import { FileError } from '../../engine/files';
import { oracleAndRegret } from '../../engine/objective';
import { loadProfile } from '../../engine/profile-store';
import { recommendedOf, type MeasuredRun } from '../../engine/report-data';
import { listRuns, RUNS_DIR, type RunRecord } from '../../engine/run-store';
import { writeReport } from '../../engine/report-write';
import { choice, parseArgs, required, UsageError } from '../args';

export const REPORT_HELP = `Usage: propack report --profile FILE [--objective time|cost|both] [--metric net|tail|median]
                      [--workspace DIR] [--out DIR]

Writes DIR/report.html (self-contained: charts of the profile, the chosen p, measured vs predicted,
completion-time CDFs) and DIR/summary.json (default ./propack-report) from a profile and the latest
runs of its function in WORKSPACE/.propack/runs (made by propack demo or propack run).`;

/** Runs the command; returns the exit code. */
export function runReportCommand(argv: string[], out: (s: string) => void): number {
  const cmd = 'report';
  const args = parseArgs(cmd, argv, { values: ['profile', 'objective', 'metric', 'workspace', 'out'] });
  const path = required(args, cmd, 'profile');
  let profile;
  try {
    profile = loadProfile(path);
  } catch (e) {
    if (e instanceof FileError || e instanceof ProfileError) throw new UsageError(`${cmd}: ${e.message}`);
    throw e;
  }
  const rec = profile.recommendations?.[profile.recommendations.length - 1];
  const objective = choice(args, cmd, 'objective', ['time', 'cost', 'both'] as const, rec?.objective ?? 'both');
  const metric = choice(args, cmd, 'metric', ['net', 'tail', 'median'] as const, rec?.metric ?? 'net');
  const workspace = resolve(args.flags.get('workspace') ?? '.');
  const runs: RunRecord[] = listRuns(workspace)
    .map((f) => JSON.parse(readFileSync(join(workspace, RUNS_DIR, f), 'utf8')) as RunRecord)
    .filter((r) => r.functionName === profile.function.name);
  const latest = (label: string): RunRecord | undefined => runs.find((r) => r.label === label);
  const propackRun = latest('propack');
  const noPackingRun = latest('no-packing');
  if (!propackRun || !noPackingRun) {
    throw new UsageError(`${cmd}: no measured no-packing and propack runs of ${profile.function.name} in ${join(workspace, RUNS_DIR)}: run propack demo or propack run first`);
  }
  const concurrency = propackRun.concurrency;
  const result = optimize(profile, { concurrency, objective, metric });
  const byDegree = new Map<number, MeasuredRun>();
  for (const r of [...runs].reverse()) if (r.concurrency === concurrency && r.dispatch === 'sync') byDegree.set(r.measured.packingDegree, r.measured);
  byDegree.set(1, noPackingRun.measured);
  byDegree.set(propackRun.measured.packingDegree, propackRun.measured);
  const grid = [...byDegree.values()].sort((a, b) => a.packingDegree - b.packingDegree);
  const { oracle, regret } = oracleAndRegret(grid, propackRun.measured, objective, metric);
  const outDir = resolve(args.flags.get('out') ?? 'propack-report');
  writeReport(outDir, {
    title: `ProPack report: ${profile.function.name}`,
    generatedAt: new Date().toISOString(),
    platform: propackRun.platform,
    benchmarks: [
      {
        benchmark: profile.function.name,
        title: profile.function.name,
        concurrency,
        objective,
        metric,
        profile,
        recommended: recommendedOf(result),
        measured: { noPacking: noPackingRun.measured, pywren: latest('pywren')?.measured, propack: propackRun.measured, grid, oracle, regret },
      },
    ],
  });
  out(`wrote ${join(outDir, 'report.html')} and summary.json`);
  return 0;
}
