/**
 * What-if from a profile: the provisioning simulation fed with the fitted model's packed execution times,
 * for concurrencies far beyond the profiled ones. The model's load factor and spread are held at the
 * widest measured concurrency beyond it (nothing measured says how they continue).
 */
import { buildFittedModel, expectedInstanceS } from './fitted-model';
import { chooseDegree } from './optimizer';
import { simulateProvisioning, type ScalingRule, type SimulationResult } from './provisioning-sim';
import { fitStartCurve, startSpan } from './start-curve';
import type { Metric, Objective, Prediction, Profile } from './types';

/** Lambda's default account concurrency. */
export const DEFAULT_ACCOUNT_LIMIT = 1000;
/** Cold start assumed when the profile measured none (s): a small Node.js function's typical init. */
export const ASSUMED_COLD_START_S = 0.25;

export interface WhatIfRequest {
  concurrencies: number[];
  packingDegree: number | 'auto';
  rule: ScalingRule;
  /** Objective for `auto` (default time). */
  objective?: Objective;
  metric?: Metric;
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
}

export interface WhatIfResult {
  rule: ScalingRule;
  accountLimit: number;
  coldStartS: number;
  /** True when the cold start was assumed rather than measured. */
  coldStartAssumed: boolean;
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

/** Simulates each concurrency at p (or the best p for the objective), with p = 1 beside it. */
export function whatIf(profile: Profile, req: WhatIfRequest): WhatIfResult {
  const model = buildFittedModel(profile);
  const measuredInit = profile.initDurationS !== undefined && profile.initDurationS > 0;
  const coldStartS = req.coldStartS ?? (measuredInit ? (profile.initDurationS as number) : ASSUMED_COLD_START_S);
  const accountLimit = req.accountLimit ?? profile.concurrencyLimit ?? DEFAULT_ACCOUNT_LIMIT;
  const metric = req.metric ?? 'net';
  const run = (c: number, p: number): SimulationResult => {
    const n = Math.ceil(c / p);
    const lastQ = c - (n - 1) * p;
    return simulateProvisioning({
      concurrency: c,
      packingDegree: p,
      rule: req.rule,
      accountLimit,
      coldStartS,
      billedInitS: model.initDurationS,
      executionS: expectedInstanceS(model, p, c),
      lastExecutionS: expectedInstanceS(model, lastQ, c),
      dispatchLatencyS: model.dispatchLatencyS,
      returnOverheadS: model.overheadS,
      memoryMb: model.memoryMb,
      architecture: model.architecture,
      price: model.price,
      metric,
    });
  };
  const points = req.concurrencies.map((c) => {
    const noPacking = run(c, 1);
    let packed: SimulationResult;
    if (req.packingDegree === 'auto') {
      const maxP = Math.max(1, Math.min(c, req.maxDegree ?? model.maxMeasuredDegree));
      const sims = [noPacking, ...Array.from({ length: maxP - 1 }, (_, i) => run(c, i + 2))];
      const { choice } = chooseDegree(sims.map(asPrediction), { concurrency: c, objective: req.objective ?? 'time', metric });
      packed = sims[choice.packingDegree - 1];
    } else {
      packed = req.packingDegree === 1 ? noPacking : run(c, Math.min(c, req.packingDegree));
    }
    return { concurrency: c, packed, noPacking };
  });
  return { rule: req.rule, accountLimit, coldStartS, coldStartAssumed: req.coldStartS === undefined && !measuredInit, points };
}
