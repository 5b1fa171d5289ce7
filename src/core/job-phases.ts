/**
 * How a job of several fan-out phases (a MapReduce's map, then its reduce) is packed at one chosen p.
 *
 * The first phase packs p tasks per invocation. A later phase runs on the instances the first one left
 * warm, spread evenly over at most that many: packing all of a small phase at p would put, say, sort's 8
 * reducers on one instance (8 × a reducer's time on one instance's vCPUs) to save starts that warm
 * instances do not need.
 */
import type { RunMetrics } from './run-metrics';

/** Packing degree of each phase (tasks per invocation) for a job packed at `p`, phase by phase. */
export function phaseDegrees(p: number, taskCounts: readonly number[]): number[] {
  if (taskCounts.length === 0) return [];
  const first = Math.max(1, taskCounts[0]);
  const degree = Math.max(1, Math.min(p, first));
  const instances = Math.ceil(first / degree);
  return taskCounts.map((n, i) => (i === 0 ? degree : Math.max(1, Math.ceil(n / Math.max(1, Math.min(n, instances))))));
}

/** One phase of a job as a run measured it (seconds, USD), to predict the same phase at the same degree. */
export type MeasuredPhase = Pick<RunMetrics, 'serviceTime' | 'p50' | 'p90' | 'p95' | 'scalingTime' | 'costUsd' | 'instances'> & {
  packingDegree: number;
};
