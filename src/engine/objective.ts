/** Scoring measured runs by the objective the user chose, for oracles and regret. */
import type { Metric, Objective, Weights } from '../core/types';
import { DEFAULT_WEIGHTS } from '../core/optimizer';
import type { MeasuredRun } from '../core/run-record';
import { minimaOf, objectiveScore } from '../core/score';

/** The service-time statistic a metric targets (s). */
export function metricValue(run: MeasuredRun, metric: Metric): number {
  return metric === 'net' ? run.serviceTime : metric === 'tail' ? run.p90 : run.p50;
}

/** Scores runs (lower is better): time, cost, or ProPack's weighted relative excess over the set's minima. */
export function scoreRuns(
  runs: readonly MeasuredRun[],
  objective: Objective,
  metric: Metric,
  weights: Weights = DEFAULT_WEIGHTS,
): number[] {
  const xs = runs.map((r) => ({ timeS: metricValue(r, metric), costUsd: r.cost }));
  const minima = minimaOf(xs);
  return xs.map((x) => objectiveScore(objective, x, minima, weights));
}

/** The best run and the regret of `chosen` against it (relative for time and cost; score gap for both). */
export function oracleAndRegret(
  runs: readonly MeasuredRun[],
  chosen: MeasuredRun,
  objective: Objective,
  metric: Metric,
): { oracle: MeasuredRun; regret: number } {
  const all = runs.includes(chosen) ? runs : [...runs, chosen];
  const scores = scoreRuns(all, objective, metric);
  let best = 0;
  for (let i = 1; i < all.length; i++)
    if (scores[i] < scores[best] || (scores[i] === scores[best] && all[i].packingDegree < all[best].packingDegree)) best = i;
  const mine = scores[all.indexOf(chosen)];
  const regret = objective === 'both' ? mine - scores[best] : (mine - scores[best]) / scores[best];
  return { oracle: all[best], regret: Math.max(0, regret) };
}
