/** One entry point over both models: build once per profile, predict any (C, p). */
import { buildClassicModel, classicPredict, classicScalingTime, type ClassicModel } from './classic-model';
import { buildFittedModel, fittedPredict, type FittedModel } from './fitted-model';
import { phaseDegrees, type MeasuredPhase } from './job-phases';
import { metricLevel } from './metric';
import { startSpan } from './start-curve';
import { mapDispatchCostUsd } from './step-functions';
import type { Dispatch, Metric, ModelKind, Prediction, Profile, TailPercentile } from './types';

export type Model = ClassicModel | FittedModel;

const cache = new WeakMap<Profile, Partial<Record<ModelKind, Model>>>();

/** The model of a profile, built once per profile object. */
export function modelFor(profile: Profile, kind: ModelKind = 'fitted'): Model {
  const entry = cache.get(profile) ?? {};
  let m = entry[kind];
  if (!m) {
    m = kind === 'classic' ? buildClassicModel(profile) : buildFittedModel(profile);
    entry[kind] = m;
    cache.set(profile, entry);
  }
  return m;
}

export interface PredictQuery {
  concurrency: number;
  packingDegree: number;
  metric: Metric;
  model?: ModelKind;
  tailPercentile?: TailPercentile;
  /** `stepfunctions` adds the Distributed Map's price: one child execution and one Task per instance. */
  dispatch?: Dispatch;
}

/**
 * Predicts service time (s), scaling time (s), cost (USD) and instances; undefined when p is not a
 * candidate. `percentiles: false` skips the fitted model's other order statistics (the optimizer's scan).
 */
export function predictOrUndefined(model: Model, q: Omit<PredictQuery, 'model'>, percentiles = true): Prediction | undefined {
  const pred =
    model.kind === 'classic'
      ? classicPredict(model, q.concurrency, q.packingDegree, q.metric, q.tailPercentile)
      : fittedPredict(model, q.concurrency, q.packingDegree, q.metric, q.tailPercentile, percentiles);
  if (!pred || q.dispatch !== 'stepfunctions') return pred;
  const dispatchCost = mapDispatchCostUsd(pred.instances, pred.instances);
  return { ...pred, cost: pred.cost + dispatchCost, dispatchCost };
}

/** Predicts one (C, p) for a profile; throws a one-line RangeError when the model cannot. */
export function predict(profile: Profile, q: PredictQuery): Prediction {
  const kind = q.model ?? 'fitted';
  const p = predictOrUndefined(modelFor(profile, kind), q);
  if (!p) {
    throw new RangeError(
      kind === 'classic'
        ? `the classic model has no measured packing time for p=${q.packingDegree} (it only uses measured degrees)`
        : `p=${q.packingDegree} would run one instance longer than Lambda's 900 s limit`,
    );
  }
  return p;
}

/** Model scaling time (s) for a number of instances started at once, for charts. */
export function scalingTimeAt(profile: Profile, instances: number, kind: ModelKind = 'fitted'): number {
  const m = modelFor(profile, kind);
  return m.kind === 'classic' ? classicScalingTime(m, instances) : m.dispatchLatencyS + startSpan(m.start, instances);
}

/** The largest packing degree a model can evaluate without being told to extrapolate. */
export function defaultMaxDegree(profile: Profile, kind: ModelKind = 'fitted'): number {
  const m = modelFor(profile, kind);
  return m.kind === 'classic' ? m.maxDegree : m.maxMeasuredDegree;
}

/**
 * A job whose phases run one after another (a MapReduce's map, then its reduce), each a fan-out of its own
 * task count packed as job-phases.ts packs it at p, predicted with the one profile: service and scaling
 * times (s), cost (USD) and instances add up phase by phase; the execution time is the first phase's. A
 * later phase measured at the same degree (`measured[i]`, e.g. by the no-packing run) counts as measured:
 * the profile only saw the first phase's tasks, and a reducer's work is not a mapper's. Undefined when some
 * phase's p is not a candidate.
 */
export function predictJob(
  model: Model,
  taskCounts: readonly number[],
  q: Omit<PredictQuery, 'model' | 'concurrency'>,
  measured: readonly (MeasuredPhase | undefined)[] = [],
): Prediction | undefined {
  const degrees = phaseDegrees(q.packingDegree, taskCounts);
  const phases: Prediction[] = [];
  for (const [i, n] of taskCounts.entries()) {
    const m = measured[i];
    const pred =
      i > 0 && m && m.packingDegree === degrees[i]
        ? measuredPrediction(m, n, q)
        : predictOrUndefined(model, { ...q, concurrency: n, packingDegree: degrees[i] });
    if (!pred) return undefined;
    phases.push(pred);
  }
  if (phases.length <= 1) return phases[0];
  const sum = (f: (p: Prediction) => number): number => phases.reduce((s, p) => s + f(p), 0);
  const first = phases[0];
  const out: Prediction = {
    ...first,
    packingDegree: q.packingDegree,
    serviceTime: sum((p) => p.serviceTime),
    scalingTime: sum((p) => p.scalingTime),
    cost: sum((p) => p.cost),
    instances: sum((p) => p.instances),
  };
  if (phases.every((p) => p.dispatchCost !== undefined)) out.dispatchCost = sum((p) => p.dispatchCost ?? 0);
  if (phases.every((p) => p.percentiles)) {
    const pc = (k: keyof NonNullable<Prediction['percentiles']>): number => sum((p) => p.percentiles?.[k] ?? 0);
    out.percentiles = { p50: pc('p50'), p90: pc('p90'), p95: pc('p95'), max: pc('max') };
  }
  if (phases.some((p) => p.extrapolated))
    out.extrapolated = {
      degree: phases.some((p) => p.extrapolated?.degree === true),
      concurrency: phases.some((p) => p.extrapolated?.concurrency === true),
    };
  if (phases.some((p) => p.tested !== undefined)) out.tested = phases.every((p) => p.tested === true);
  return out;
}

/** A measured phase as a prediction at the query's metric (s, USD); a Map dispatch adds its price. */
function measuredPrediction(m: MeasuredPhase, tasks: number, q: Omit<PredictQuery, 'model' | 'concurrency'>): Prediction {
  const level = metricLevel(q.metric, q.tailPercentile);
  const serviceTime = level >= 1 ? m.serviceTime : level <= 0.5 ? m.p50 : level <= 0.9 ? m.p90 : m.p95;
  const dispatchCost = q.dispatch === 'stepfunctions' ? mapDispatchCostUsd(m.instances, m.instances) : undefined;
  return {
    packingDegree: m.packingDegree,
    concurrency: tasks,
    serviceTime,
    scalingTime: m.scalingTime,
    cost: m.costUsd + (dispatchCost ?? 0),
    ...(dispatchCost !== undefined ? { dispatchCost } : {}),
    instances: m.instances,
    executionTime: m.serviceTime - m.scalingTime,
    tested: true,
    percentiles: { p50: m.p50, p90: m.p90, p95: m.p95, max: m.serviceTime },
  };
}
