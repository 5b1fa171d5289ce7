/**
 * What-if from a profile: the provisioning simulation fed with the fitted model's packed execution times,
 * for concurrencies far beyond the profiled ones. The model's load factor and spread are held at the
 * widest measured concurrency beyond it (nothing measured says how they continue).
 */
import { buildFittedModel, degreeFitsTimeout, expectedInstanceS } from './fitted-model';
import { accountLimitOf, DEFAULT_ACCOUNT_LIMIT } from './limits';
import { chooseDegree } from './optimizer';
import { simulateProvisioning, type ScalingRule, type SimulationResult } from './provisioning-sim';
import { fitStartCurve, startSpan } from './start-curve';
import type { Metric, Objective, Prediction, Profile, TailPercentile, Weights } from './types';

// Defined once in core/limits.ts; re-exported for the callers that import it here.
export { DEFAULT_ACCOUNT_LIMIT };
/** Cold start assumed when the profile measured none (s): a small Node.js function's typical init. */
export const ASSUMED_COLD_START_S = 0.25;

export interface WhatIfRequest {
  concurrencies: number[];
  packingDegree: number | 'auto';
  rule: ScalingRule;
  /** Objective for `auto` (default time). */
  objective?: Objective;
  metric?: Metric;
  /** Percentile of the tail metric (default 90). */
  tailPercentile?: TailPercentile;
  /** Weights of `both` for `auto` (default ProPack's 0.55/0.45). */
  weights?: Weights;
  /** Account concurrency; default the profile's limit, else Lambda's 1,000. */
  accountLimit?: number;
  /** Cold start (s); default the profile's measured init, else ASSUMED_COLD_START_S. */
  coldStartS?: number;
  /** Largest p for `auto` (default the largest measured). */
  maxDegree?: number;
}

export interface WhatIfPoint {
  concurrency: number;
  /** The simulation at the requested (or chosen) p. */
  packed: SimulationResult;
  /** The simulation without packing, for comparison. */
  noPacking: SimulationResult;
  /** Set when no degree (`auto`) keeps an instance within Lambda's 900 s timeout: `packed` is p = 1 then. */
  overTimeout?: true;
}

export interface WhatIfResult {
  rule: ScalingRule;
  accountLimit: number;
  /** True when the profile recorded no limit and none was given: Lambda's default was assumed. */
  accountLimitAssumed: boolean;
  coldStartS: number;
  /** True when the cold start was assumed rather than measured. */
  coldStartAssumed: boolean;
  /** The objective `auto` chose p for at each C; undefined when p was given. */
  objective?: Objective;
  points: WhatIfPoint[];
}

/**
 * The start rate the profile measured, as a rule: one start every span(n)/(n − 1) seconds at the widest
 * measured fan-out n, warm or cold (the rate was measured end to end). Undefined when no run started two or
 * more instances over a measurable span.
 */
export function measuredScalingRule(profile: Profile): ScalingRule | undefined {
  const widest = Math.max(0, ...profile.scaling.runs.map((r) => r.sampledFrom ?? r.startOffsetsS?.length ?? r.concurrency));
  if (widest < 2) return undefined;
  const span = startSpan(fitStartCurve(profile.scaling.runs), widest);
  if (!(span > 0)) return undefined;
  const perSecond = (widest - 1) / span;
  return {
    name: `profile (${perSecond.toFixed(1)} starts/s measured)`,
    burst: 1,
    perInterval: 1,
    intervalS: 1 / perSecond,
    limitsEveryStart: true,
  };
}

const asPrediction = (r: SimulationResult): Prediction => ({ ...r, executionTime: 0 });

/**
 * Simulates each concurrency at p (or the best p for the objective), with p = 1 beside it. Throws a
 * one-line RangeError when a requested p would run an instance past Lambda's 900 s timeout; `auto` only
 * considers degrees within it (and flags the point when none is).
 */
export function whatIf(profile: Profile, req: WhatIfRequest): WhatIfResult {
  const model = buildFittedModel(profile);
  const measuredInit = profile.initDurationS !== undefined && profile.initDurationS > 0;
  const coldStartS = req.coldStartS ?? (measuredInit ? (profile.initDurationS as number) : ASSUMED_COLD_START_S);
  const accountLimit = req.accountLimit ?? accountLimitOf(profile).limit;
  const metric = req.metric ?? 'net';
  const fits = (c: number, p: number): boolean => degreeFitsTimeout(model, p, c);
  const run = (c: number, p: number): SimulationResult => {
    const n = Math.ceil(c / p);
    const lastQ = c - (n - 1) * p;
    return simulateProvisioning({
      concurrency: c,
      packingDegree: p,
      rule: req.rule,
      accountLimit,
      coldStartS,
      // Billed as Lambda has billed INIT since 2025-08-01 (BILLING_RULES): the cold start it waits for, assumed or measured.
      billedInitS: coldStartS,
      executionS: expectedInstanceS(model, p, c),
      // The remainder instance runs under the whole run's load (packed p per instance).
      lastExecutionS: expectedInstanceS(model, lastQ, c, p),
      dispatchLatencyS: model.dispatchLatencyS,
      returnOverheadS: model.overheadS,
      memoryMb: model.memoryMb,
      architecture: model.architecture,
      price: model.price,
      metric,
      tailPercentile: req.tailPercentile,
    });
  };
  const points = req.concurrencies.map((c): WhatIfPoint => {
    // Simulated even past the timeout: the comparison shows what no packing would need.
    const noPacking = run(c, 1);
    if (req.packingDegree !== 'auto') {
      const p = Math.min(c, req.packingDegree);
      if (!fits(c, p)) throw new RangeError(`p=${p} at C=${c} would run one instance longer than Lambda's 900 s limit`);
      return { concurrency: c, packed: p === 1 ? noPacking : run(c, p), noPacking };
    }
    const maxP = Math.max(1, Math.min(c, req.maxDegree ?? model.maxMeasuredDegree));
    const sims: SimulationResult[] = [];
    for (let p = 1; p <= maxP; p++) if (fits(c, p)) sims.push(p === 1 ? noPacking : run(c, p));
    if (sims.length === 0) return { concurrency: c, packed: noPacking, noPacking, overTimeout: true };
    const { choice } = chooseDegree(
      sims.map(asPrediction),
      {
        concurrency: c,
        objective: req.objective ?? 'time',
        metric,
        weights: req.weights,
        tailPercentile: req.tailPercentile,
      },
      model.noise,
    );
    return { concurrency: c, packed: sims.find((s) => s.packingDegree === choice.packingDegree) ?? noPacking, noPacking };
  });
  return {
    rule: req.rule,
    accountLimit,
    accountLimitAssumed: req.accountLimit === undefined && accountLimitOf(profile).assumed,
    coldStartS,
    coldStartAssumed: req.coldStartS === undefined && !measuredInit,
    ...(req.packingDegree === 'auto' ? { objective: req.objective ?? 'time' } : {}),
    points,
  };
}
