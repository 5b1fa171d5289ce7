/** How a metric names the task whose completion counts. */
import type { Metric, TailPercentile } from './types';

/** The quantile level (0–1] a metric targets: net = all tasks, tail = p90 (or p95), median = p50. */
export function metricLevel(metric: Metric, tailPercentile: TailPercentile = 90): number {
  if (metric === 'net') return 1;
  if (metric === 'median') return 0.5;
  return tailPercentile / 100;
}

/** ProPack's task count for a metric: net m = C, tail m = floor(0.9·C), median m = floor(C/2). */
export function classicTarget(concurrency: number, metric: Metric, tailPercentile: TailPercentile = 90): number {
  return Math.max(1, Math.floor(metricLevel(metric, tailPercentile) * concurrency + 1e-9));
}
