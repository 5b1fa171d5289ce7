/**
 * ProPack's own model, exactly as its public artifact computes it (the classic-model contract the `optimize --model classic` checks use),
 * quirks included: a degree-4 polynomial scaling curve in the raw instance count, the measured packing
 * table, a fixed $0.0001667 per instance-second, the double-rounded remainder instance, and metric
 * targets that are positions in invocation order.
 */
import { classicTarget } from './metric';
import { evaluatePolynomial, fitPolynomial, median, type Polynomial } from './stats';
import type { Metric, Prediction, Profile, TailPercentile } from './types';

/** The artifact's price: 10 GB at $0.0000001667 per ms, as dollars per instance-second. */
export const CLASSIC_PRICE_PER_S = 0.0001667;

export interface ClassicModel {
  kind: 'classic';
  scaling: Polynomial;
  /** Measured execution time t(p) of one instance packing p tasks (s), by p. */
  packingTable: Map<number, number>;
  maxDegree: number;
}

/** Builds the classic model: per-C median of scale times over the profile's runs, then a degree-4 OLS fit. */
export function buildClassicModel(profile: Profile): ClassicModel {
  const byC = new Map<number, number[]>();
  for (const run of profile.scaling.runs) {
    const list = byC.get(run.concurrency) ?? [];
    list.push(run.scaleTimeS);
    byC.set(run.concurrency, list);
  }
  const cs = [...byC.keys()].sort((a, b) => a - b);
  const ys = cs.map((c) => median(byC.get(c) ?? []));
  // A degree-4 polynomial needs five distinct concurrencies; with fewer, use the highest degree they allow.
  const scaling = fitPolynomial(cs, ys, Math.min(4, cs.length - 1));
  const packingTable = new Map<number, number>();
  for (const s of profile.packing.samples) {
    if ((s.concurrency ?? 1) === 1) packingTable.set(s.degree, median(s.timesS));
  }
  return { kind: 'classic', scaling, packingTable, maxDegree: Math.max(...packingTable.keys()) };
}

/** scale(n) = max(0, poly(n)) (s). */
export function classicScalingTime(model: ClassicModel, instances: number): number {
  return Math.max(0, evaluatePolynomial(model.scaling, instances));
}

/** The classic prediction at concurrency C and packing degree p, or undefined when t(p) was not measured. */
export function classicPredict(
  model: ClassicModel,
  concurrency: number,
  packingDegree: number,
  metric: Metric,
  tailPercentile: TailPercentile = 90,
): Prediction | undefined {
  const t = model.packingTable.get(packingDegree);
  if (t === undefined) return undefined;
  const m = classicTarget(concurrency, metric, tailPercentile);
  const n = Math.ceil(m / packingDegree);
  const scalingTime = classicScalingTime(model, n);
  const billedInstances = m % packingDegree === 0 ? n : n + 1;
  return {
    packingDegree,
    concurrency,
    serviceTime: t + scalingTime,
    scalingTime,
    cost: t * billedInstances * CLASSIC_PRICE_PER_S,
    instances: n,
    executionTime: t,
  };
}
