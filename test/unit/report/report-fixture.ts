/**
 * A realistic ReportData for tests and the sample report: shipped AWS profiles, the model's real choice,
 * and measured runs synthesized deterministically from the model (start spread, per-instance jitter).
 */
import { bothScore, DEFAULT_WEIGHTS, optimize } from '../../../src/core/optimizer';
import { seededRandom } from '../../../src/core/plan';
import { predict } from '../../../src/core/predict';
import { orderStatistic } from '../../../src/core/run-metrics';
import type { Metric, Objective, Profile } from '../../../src/core/types';
import { loadProfile } from '../../../src/engine/profile-store';
import type { MeasuredRun } from '../../../src/core/run-record';
import { recommendedOf, type BenchmarkReport, type MeasuredBenchmarkReport, type ReportData } from '../../../src/report/report-data';
import { shippedProfile } from '../../support/fixtures';

/** One synthetic measured run of C tasks at p: instances start spread over the model's scaling time. */
export function syntheticRun(profile: Profile, concurrency: number, p: number, seed: number): MeasuredRun {
  const pred = predict(profile, { concurrency, packingDegree: p, metric: 'net' });
  const rnd = seededRandom(seed);
  const n = Math.ceil(concurrency / p);
  const times: number[] = [];
  let billed = 0;
  for (let k = 0; k < n; k++) {
    const tasks = k === n - 1 ? concurrency - p * (n - 1) : p;
    const start = pred.scalingTime * (n === 1 ? 0 : k / (n - 1)) * (0.9 + 0.2 * rnd());
    const exec = pred.executionTime * (0.92 + 0.16 * rnd());
    billed += exec;
    for (let t = 0; t < tasks; t++) times.push(start + exec * (0.97 + 0.03 * rnd()));
  }
  times.sort((a, b) => a - b);
  const throttles = p === 1 ? Math.round(concurrency * 0.02) : 0;
  return {
    packingDegree: p,
    serviceTime: times[times.length - 1],
    p50: orderStatistic(times, 0.5),
    p90: orderStatistic(times, 0.9),
    p95: orderStatistic(times, 0.95),
    scalingTime: pred.scalingTime * (0.95 + 0.1 * rnd()),
    cost: pred.cost * (billed / (pred.executionTime * n)),
    tasks: { total: concurrency, succeeded: concurrency, failed: 0 },
    throttles,
    retries: throttles,
    completionTimes: times,
    check: { ok: true, checked: concurrency, failures: [] },
  };
}

interface BenchmarkOptions {
  app: 'video' | 'sort' | 'statelesscost';
  title: string;
  concurrency: number;
  objective: Objective;
  metric: Metric;
}

/** A model-only benchmark section: a shipped profile and the model's choice, no measured runs. */
export function modelOnlyBenchmark(opts: BenchmarkOptions): BenchmarkReport {
  const profile = loadProfile(shippedProfile(opts.app));
  const opt = optimize(profile, { concurrency: opts.concurrency, objective: opts.objective, metric: opts.metric });
  return {
    benchmark: opts.app,
    title: opts.title,
    concurrency: opts.concurrency,
    objective: opts.objective,
    metric: opts.metric,
    model: 'fitted',
    profile,
    recommended: recommendedOf(opt),
  };
}

/** One benchmark section: the model's choice, a measured grid, the oracle and its regret. */
export function syntheticBenchmark(opts: BenchmarkOptions & { grid: number[]; pywren: boolean }): MeasuredBenchmarkReport {
  const modelOnly = modelOnlyBenchmark(opts);
  const { profile, concurrency: C, recommended } = modelOnly;
  const p = recommended.packingDegree;
  const degrees = [...new Set([1, ...opts.grid, p])].sort((a, b) => a - b);
  const grid = degrees.map((d) => syntheticRun(profile, C, d, 1000 + d));
  const value = (r: MeasuredRun): number => (opts.metric === 'net' ? r.serviceTime : opts.metric === 'tail' ? r.p90 : r.p50);
  const minCost = Math.min(...grid.map((r) => r.cost));
  const minTime = Math.min(...grid.map(value));
  const score = (r: MeasuredRun): number =>
    opts.objective === 'time'
      ? value(r)
      : opts.objective === 'cost'
        ? r.cost
        : bothScore({ ...recommended.predicted, cost: r.cost, serviceTime: value(r) }, minCost, minTime, DEFAULT_WEIGHTS);
  const oracle = grid.reduce((best, r) => (score(r) < score(best) ? r : best));
  const propack = grid.find((r) => r.packingDegree === p) as MeasuredRun;
  // For `both` the oracle scores 0, so regret is the score difference itself; otherwise relative excess.
  const regret = opts.objective === 'both' ? score(propack) - score(oracle) : score(propack) / score(oracle) - 1;
  const noPacking = grid[0];
  return {
    ...modelOnly,
    measured: { noPacking, pywren: opts.pywren ? syntheticRun(profile, C, 1, 7) : undefined, propack, grid, oracle, regret },
  };
}

/** ReportData whose every benchmark has measured runs. */
export type MeasuredReportData = Omit<ReportData, 'benchmarks'> & { benchmarks: MeasuredBenchmarkReport[] };

/** Two benchmarks: video (with the PyWren-style baseline) and sort (time objective, tail metric). */
export function sampleReportData(): MeasuredReportData {
  return {
    title: 'ProPack demo report',
    generatedAt: '2026-11-27T00:00:00.000Z',
    platform: 'local (preset aws-2021)',
    benchmarks: [
      syntheticBenchmark({
        app: 'video',
        title: 'Video: Thousand Island Scanner',
        concurrency: 2000,
        objective: 'both',
        metric: 'net',
        grid: [2, 4, 8, 12, 16, 24, 32],
        pywren: true,
      }),
      syntheticBenchmark({
        app: 'sort',
        title: 'Sort: MapReduce TeraSort',
        concurrency: 1000,
        objective: 'time',
        metric: 'tail',
        grid: [2, 4, 6, 8, 12, 16],
        pywren: false,
      }),
    ],
  };
}
