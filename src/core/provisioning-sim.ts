/**
 * What-if at scale: a deterministic discrete-event simulation of how Lambda provisions the instances of a
 * fan-out far beyond what was profiled. Instances are dispatched at once and served first come first
 * served. An instance starts on an idle warm environment when one exists (no cold start, no scaling
 * budget); otherwise it needs a new environment, allowed when (a) the function's scaling rule has budget
 * left (a burst, then N more per interval) and (b) the account has a free concurrency slot; a throttled
 * request retries on a fixed interval (the client's backoff) until both hold.
 */
import { metricLevel } from './metric';
import { DEFAULT_PRICE, invocationCostUsd, type LambdaPrice } from './pricing';
import type { Architecture, Metric, TailPercentile } from './types';

/** A scaling-rate rule: `burst` environments at once, then `perInterval` more every `intervalS` seconds. */
export interface ScalingRule {
  name: string;
  burst: number;
  perInterval: number;
  intervalS: number;
  /**
   * The rate bounds every start, warm or cold: a rate measured end to end (client dispatch and platform
   * together) says nothing about how many of those starts were new environments.
   */
  limitsEveryStart?: boolean;
}

/** Lambda's rules, as data (check against AWS's documentation before changing). */
export const SCALING_RULES: Readonly<Record<'aws-2023' | 'aws-2021', ScalingRule>> = {
  // Since November 2023: each function scales by 1,000 execution environments every 10 s.
  'aws-2023': { name: 'aws-2023', burst: 1000, perInterval: 1000, intervalS: 10 },
  // Before: an initial burst of 3,000 (largest regions), then 500 more per minute.
  'aws-2021': { name: 'aws-2021', burst: 3000, perInterval: 500, intervalS: 60 },
};

export interface SimulationInput {
  /** Tasks (invocations before packing). */
  concurrency: number;
  packingDegree: number;
  rule: ScalingRule;
  /** Account (or reserved) concurrency: environments busy at once. */
  accountLimit: number;
  /** Cold start of a new environment before the handler runs (s). */
  coldStartS: number;
  /** Billed init per cold start (s); Lambda bills the init phase. */
  billedInitS?: number;
  /** In-function time of an instance packing p tasks, and of the last one packing the remainder (s). */
  executionS: number;
  lastExecutionS?: number;
  /** Dispatch latency before the first start and return overhead after each completion (s). */
  dispatchLatencyS?: number;
  returnOverheadS?: number;
  /** Time a throttled request waits before it retries (s); 0 = starts the moment it is allowed. */
  retryIntervalS?: number;
  memoryMb: number;
  architecture: Architecture;
  price?: LambdaPrice;
  metric?: Metric;
  tailPercentile?: TailPercentile;
}

export interface SimulationResult {
  concurrency: number;
  packingDegree: number;
  instances: number;
  /** Service time at the metric: dispatch until that share of tasks returned (s). */
  serviceTime: number;
  /** Dispatch until the last instance started (s). */
  scalingTime: number;
  cost: number;
  coldStarts: number;
  /** Largest number of environments busy at once. */
  peakConcurrency: number;
  /** Instances whose request found no capacity at dispatch (each retried until it ran). */
  throttled: number;
}

/** A binary min-heap of numbers in a typed array (completion times). */
class MinHeap {
  private readonly a: Float64Array;
  size = 0;
  constructor(capacity: number) {
    this.a = new Float64Array(Math.max(1, capacity));
  }
  peek(): number {
    return this.size > 0 ? this.a[0] : Infinity;
  }
  push(x: number): void {
    const a = this.a;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent] <= x) break;
      a[i] = a[parent];
      i = parent;
    }
    a[i] = x;
  }
  pop(): number {
    const a = this.a;
    const top = a[0];
    const x = a[--this.size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && a[c + 1] < a[c]) c++;
      if (a[c] >= x) break;
      a[i] = a[c];
      i = c;
    }
    a[i] = x;
    return top;
  }
}

/** Earliest time ≥ t at which the rule allows environment number `k` (0-based) to be created (s). */
export function creationAllowedAt(rule: ScalingRule, k: number, t: number): number {
  if (k < rule.burst) return t;
  const intervals = Math.floor((k - rule.burst) / rule.perInterval) + 1;
  return Math.max(t, intervals * rule.intervalS);
}

/** Rounds a wait up to the client's retry grid, counted from the first attempt (s). */
function afterRetries(firstAttempt: number, allowed: number, retryS: number): number {
  if (retryS <= 0 || allowed <= firstAttempt) return allowed;
  return firstAttempt + Math.ceil((allowed - firstAttempt) / retryS - 1e-9) * retryS;
}

/** Runs the simulation; O(n log n) in the instance count n = ceil(C/p). */
export function simulateProvisioning(input: SimulationInput): SimulationResult {
  const p = input.packingDegree;
  const n = Math.ceil(input.concurrency / p);
  const lastQ = input.concurrency - (n - 1) * p;
  const exec = input.executionS;
  const lastExec = input.lastExecutionS ?? exec;
  const limit = Math.max(1, input.accountLimit);
  const retry = input.retryIntervalS ?? 0;
  const price = input.price ?? DEFAULT_PRICE;
  const busy = new MinHeap(Math.min(n, limit));
  // Completion time of each instance, with its task count, for the metric's order statistic.
  const ends = new Float64Array(n);
  let idleWarm = 0;
  let created = 0;
  let clock = 0;
  let throttled = 0;
  let peak = 0;
  let coldStarts = 0;
  let lastStart = 0;
  for (let i = 0; i < n; i++) {
    if (input.rule.limitsEveryStart) clock = creationAllowedAt(input.rule, i, clock);
    const attempt = clock;
    // Environments that finished by now are idle and warm.
    while (busy.peek() <= clock) {
      busy.pop();
      idleWarm++;
    }
    let start: number;
    let cold: boolean;
    if (idleWarm > 0) {
      start = clock;
      cold = false;
      idleWarm--;
    } else {
      // A new environment needs scaling budget and a free slot; a busy one finishing first is reused warm.
      const byRule = creationAllowedAt(input.rule, created, clock);
      const bySlot = busy.size < limit ? clock : busy.peek();
      const newAt = Math.max(byRule, bySlot);
      const warmAt = busy.peek();
      // A slot frees because an instance finished: its environment is warm and taken as is.
      if (warmAt <= newAt) {
        busy.pop();
        start = afterRetries(attempt, warmAt, retry);
        cold = false;
      } else {
        start = afterRetries(attempt, newAt, retry);
        cold = true;
      }
    }
    if (cold) {
      created++;
      coldStarts++;
    }
    // Everything is dispatched at 0: a request that could not start then was throttled and retried.
    if (start > 0) throttled++;
    const run = i === n - 1 ? lastExec : exec;
    const end = start + (cold ? input.coldStartS : 0) + run;
    busy.push(end);
    peak = Math.max(peak, busy.size);
    ends[i] = end;
    clock = start;
    lastStart = start;
  }
  const dispatch = input.dispatchLatencyS ?? 0;
  const back = input.returnOverheadS ?? 0;
  const level = metricLevel(input.metric ?? 'net', input.tailPercentile ?? 90);
  const serviceTime = dispatch + back + taskQuantile(ends, p, lastQ, input.concurrency, level);
  const bill = (d: number, init: number): number =>
    invocationCostUsd({ durationS: d, initDurationS: init }, input.memoryMb, input.architecture, price);
  const init = input.billedInitS ?? 0;
  // Init is billed per cold start; which instance was cold does not change the total beyond 1 ms rounding.
  const cost = (n - 1) * bill(exec, 0) + bill(lastExec, 0) + coldStarts * (bill(exec, init) - bill(exec, 0));
  return {
    concurrency: input.concurrency,
    packingDegree: p,
    instances: n,
    serviceTime,
    scalingTime: dispatch + lastStart,
    cost,
    coldStarts,
    peakConcurrency: peak,
    throttled,
  };
}

/** The time by which a `level` share of tasks completed: instance ends weighted by their task counts (s). */
function taskQuantile(ends: Float64Array, p: number, lastQ: number, total: number, level: number): number {
  const n = ends.length;
  if (level >= 1) {
    let max = 0;
    for (let i = 0; i < n; i++) max = Math.max(max, ends[i]);
    return max;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ends[a] - ends[b]);
  const rank = Math.max(1, Math.ceil(level * total - 1e-9));
  let seen = 0;
  for (const i of order) {
    seen += i === n - 1 ? lastQ : p;
    if (seen >= rank) return ends[i];
  }
  return ends[order[n - 1]];
}
