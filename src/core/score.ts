/** The score each objective minimizes, written once for predictions (optimizers) and measured runs (oracles). */
import type { Objective } from './objectives';
import type { Constraints, Weights } from './types';

/** A candidate's two quantities: service time (s) and cost (USD). */
export interface TimeAndCost {
  timeS: number;
  costUsd: number;
}

/**
 * ProPack's `both` score: the weighted relative excess over the minima (0 is best). A zero minimum
 * (a free or instant candidate) contributes 0 rather than dividing by zero.
 */
export function bothScoreOf(x: TimeAndCost, minima: TimeAndCost, w: Weights): number {
  const relCost = minima.costUsd > 0 ? (x.costUsd - minima.costUsd) / minima.costUsd : 0;
  const relTime = minima.timeS > 0 ? (x.timeS - minima.timeS) / minima.timeS : 0;
  return w.cost * relCost + w.time * relTime;
}

/** The objective's score of one candidate (lower is better): time (s), cost (USD) or the `both` score. */
export function objectiveScore(objective: Objective, x: TimeAndCost, minima: TimeAndCost, w: Weights): number {
  return objective === 'time' ? x.timeS : objective === 'cost' ? x.costUsd : bothScoreOf(x, minima, w);
}

/** The smallest time (s) and cost (USD) over candidates, the minima `both` is relative to. */
export function minimaOf(xs: readonly TimeAndCost[]): TimeAndCost {
  return { timeS: Math.min(...xs.map((x) => x.timeS)), costUsd: Math.min(...xs.map((x) => x.costUsd)) };
}

/**
 * How far a candidate lies outside the constraints: the sum of its relative excesses over the caps
 * (0 when it meets them all), so time (s) and cost (USD) overruns compare on one scale.
 */
export function constraintViolation(x: TimeAndCost, c: Constraints): number {
  const over = (value: number, cap: number | undefined): number =>
    cap === undefined ? 0 : Math.max(0, value - cap) / Math.max(cap, 1e-12);
  return over(x.timeS, c.maxServiceTimeS) + over(x.costUsd, c.maxCostUsd);
}
