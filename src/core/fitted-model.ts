/**
 * The fitted model (the default). Instead of ProPack's polynomial in instance count it fits:
 * - an instance-start curve: when each instance of an n-wide fan-out starts, from measured start times;
 * - a packing curve f(q) = a + b·q + c·max(0, q − vCPUs): in-function time of an instance with q tasks;
 * - a load factor L(C): how much slower one task runs while C tasks run at once (S3-bound jobs slow down);
 * - the excess X of task durations over their median (S3 stalls, slow hosts): each packed task draws its
 *   own, and an instance returns when its slowest task is done, so percentiles are order statistics of
 *   task completion times rather than positions in invocation order;
 * - the fixed client/dispatch overhead o seen between the platform's clock and the end-to-end time.
 * It bills the full Lambda price (memory, architecture, 1 ms rounding, request fee, billed init), starts
 * ceil(C/p) instances with the remainder packed in the last, and honours a concurrency limit.
 */
import { accountLimitOf } from './limits';
import { metricLevel } from './metric';
import { DEFAULT_PRICE, invocationCostUsd, priceFor, vcpusForMemory, type LambdaPrice } from './pricing';
import { fitStartCurve, startOffsetsFor, type StartCurve } from './start-curve';
import { interpolate, isotonicNonDecreasing, leastSquares, mean, median } from './stats';
import type { Metric, Prediction, Profile, TailPercentile } from './types';

/** Lambda's maximum timeout (s): an instance that would run longer is not a candidate. */
export const MAX_TIMEOUT_S = 900;

export interface FittedModel {
  kind: 'fitted';
  /** When the instances of an n-wide fan-out start. */
  start: StartCurve;
  /** Packing curve coefficients [a, b, c] of f(q) = a + b·q + c·max(0, q − vcpus) (s). */
  packing: [number, number, number];
  vcpus: number;
  /** Load factor points: simultaneous tasks → median task duration / f(1). */
  load: { concurrency: number[]; factor: number[] };
  /**
   * Sorted excess of task durations over their median (s), by the concurrency it was measured at, with that
   * median (s) and the simultaneous tasks of the run (the load it was measured under).
   */
  shapes: { concurrency: number; load: number; medianS: number; excessS: number[]; meanExcessS: number; sampleMeanExcessS: number }[];
  /**
   * Relative standard error of the packing curve (0.005–0.05): the RMS relative residual of the isolated
   * samples over the root of their count. Predictions closer than this are the same within measurement.
   */
  noise: number;
  /** Median time of one task alone (s): what the load factor multiplies. */
  taskAloneS: number;
  /**
   * Extra in-function time of a cold instance (s): one task alone on a cold instance over one on a warm
   * one (the profile's `coldTaskS`; 0 without it). A fan-out's instances are cold, so every instance pays
   * it once (JIT warm-up, first connections); the packing profile, taken warm, does not show it.
   */
  coldExtraS: number;
  /** Dispatch plus return overhead added to every completion (s). */
  overheadS: number;
  /** Dispatch until the first instance starts (s), part of the scaling time. */
  dispatchLatencyS: number;
  concurrencyLimit: number;
  /** True when the profile recorded no limit and Lambda's default account concurrency was assumed. */
  concurrencyLimitAssumed: boolean;
  memoryMb: number;
  architecture: Profile['function']['architecture'];
  price: LambdaPrice;
  initDurationS: number;
  /** Largest packing degree that was measured. */
  maxMeasuredDegree: number;
  measuredDegrees: Set<number>;
  /** Widest concurrency measured (tasks at once, scaling runs or packing samples): beyond it the model extrapolates. */
  maxMeasuredConcurrency: number;
}

/** Least-squares packing curve [a, b, c] of f(q) = a + b·q + c·max(0, q − vcpus) over (q, time s) points. */
export function fitPackingCurve(points: { q: number; t: number }[], vcpus: number): [number, number, number] {
  const qs = new Set(points.map((p) => p.q));
  if (qs.size === 1) return [points[0].t, 0, 0];
  const useKnee = [...qs].filter((q) => q > vcpus).length >= 2 && [...qs].filter((q) => q <= vcpus).length >= 2;
  const rows = points.map((p) => (useKnee ? [1, p.q, Math.max(0, p.q - vcpus)] : [1, p.q]));
  const ts = points.map((p) => p.t);
  let b = leastSquares(rows, ts);
  // Tasks past the vCPUs cannot run faster than those within them: a negative knee is noise, so fit the line.
  if (useKnee && b[2] < 0) return fitPackingCurve(points, Infinity);
  if (b[0] < 0) {
    // A negative fixed cost is noise at high p, not physics: refit with the intercept pinned at zero.
    b = [
      0,
      ...leastSquares(
        rows.map((r) => r.slice(1)),
        ts,
      ),
    ];
  }
  return [b[0], Math.max(0, b[1]), useKnee ? b[2] : 0];
}

/** Bounds of `noise`: no fit is trusted below 0.5%, and past 5% the profile is too noisy for a tie rule to help. */
const NOISE_FLOOR = 0.005;
const NOISE_CAP = 0.05;

function packingNoise(points: { q: number; t: number }[], [a, b, c]: [number, number, number], vcpus: number): number {
  if (points.length < 3) return NOISE_CAP;
  const rel = points.map((p) => {
    const f = a + b * p.q + c * Math.max(0, p.q - vcpus);
    return f > 0 ? (p.t - f) / f : 0;
  });
  const rms = Math.sqrt(mean(rel.map((r) => r * r)));
  return Math.min(NOISE_CAP, Math.max(NOISE_FLOOR, rms / Math.sqrt(points.length)));
}

/** Fits the model's curves to a profile. */
export function buildFittedModel(profile: Profile): FittedModel {
  const fn = profile.function;
  const vcpus = fn.vcpus ?? vcpusForMemory(fn.memoryMb);
  const overheadC = profile.packing.clientOverheadS;
  const isolated = profile.packing.samples.filter((s) => (s.concurrency ?? 1) === 1);
  const points = isolated.map((s) => ({ q: s.degree, t: Math.max(0.001, median(s.timesS) - overheadC) }));
  const packing = fitPackingCurve(points, vcpus);
  // Load factors compare against one task measured alone: the median itself, not the fitted line.
  const alone = points.filter((p) => p.q === 1).map((p) => p.t);
  const f1 = Math.max(0.001, alone.length > 0 ? median(alone) : packing[0] + packing[1]);

  const runs = profile.scaling.runs;
  // Durations belong to the profiled function: runs of other apps only inform the start curve.
  const ownRuns = runs
    .filter((r) => (r.app === undefined || r.app === fn.name) && (r.durationsS?.length ?? 0) > 0)
    .sort((a, b) => a.concurrency - b.concurrency);
  // Each load level's factors with the tasks behind each (a median of 5,000 durations outweighs one of 100).
  const loadPts = new Map<number, { factors: number[]; tasks: number }>();
  const addLoad = (key: number, factor: number, tasks: number): void => {
    const level = loadPts.get(key) ?? { factors: [], tasks: 0 };
    level.factors.push(factor);
    level.tasks += Math.max(1, tasks);
    loadPts.set(key, level);
  };
  const shapes: FittedModel['shapes'] = [];
  // The scaling runs' tasks ran on cold instances: each run's load factor compares against a cold task.
  const cold = profile.packing.coldTaskS;
  const coldExtraS = cold !== undefined ? Math.max(0, cold - overheadC - f1) : 0;
  for (const r of ownRuns) {
    const d = r.durationsS as number[];
    const med = median(d);
    if (med <= 0) continue;
    addLoad(r.concurrency, med / (f1 + coldExtraS), d.length);
    const excessS = d.map((x) => x - med);
    shapes.push({
      concurrency: r.concurrency,
      load: simultaneousTasks(r.concurrency, 1, vcpus),
      medianS: med,
      excessS,
      meanExcessS: (r.meanDurationS ?? mean(d)) - med,
      sampleMeanExcessS: new MaxOfDrawsCdf(excessS, 1).expectedMax(),
    });
  }
  for (const s of profile.packing.samples) {
    const c = s.concurrency ?? 1;
    if (c <= 1) continue;
    const fq = packing[0] + packing[1] * s.degree + packing[2] * Math.max(0, s.degree - vcpus);
    if (fq > 0) {
      addLoad(simultaneousTasks(c, s.degree, vcpus), Math.max(0.001, median(s.timesS) - overheadC) / fq, c * s.degree * s.timesS.length);
    }
  }
  // One task alone is the reference itself: a load point at 1, so light loads interpolate toward no slowdown
  // instead of borrowing the factor of the lightest measured load.
  if (loadPts.size > 0 && !loadPts.has(1)) addLoad(1, 1, 1);
  const loadC = [...loadPts.keys()].sort((a, b) => a - b);
  const overheads = runs
    .filter((r) => r.serviceTimeS !== undefined && (r.completionOffsetsS?.length ?? 0) > 0)
    .map((r) => (r.serviceTimeS as number) - (r.completionOffsetsS as number[])[(r.completionOffsetsS as number[]).length - 1]);
  const dispatch = runs.map((r) => r.dispatchLatencyS).filter((x): x is number => x !== undefined);
  return {
    kind: 'fitted',
    start: fitStartCurve(runs),
    packing,
    vcpus,
    // More tasks at once never make a task faster: one slow run at a middle load must not dent the curve
    // (weighted by the tasks behind each level), or cost zigzags in p and the optimizer chases the dent.
    load: {
      concurrency: loadC,
      factor: isotonicNonDecreasing(
        loadC.map((c) => median(loadPts.get(c)?.factors ?? [1])),
        loadC.map((c) => loadPts.get(c)?.tasks ?? 1),
      ),
    },
    noise: packingNoise(points, packing, vcpus),
    shapes: shapes.length > 0 ? shapes : [{ concurrency: 1, load: 1, medianS: f1, excessS: [0], meanExcessS: 0, sampleMeanExcessS: 0 }],
    taskAloneS: f1,
    coldExtraS,
    overheadS: overheads.length > 0 ? Math.max(0, median(overheads)) : 0,
    dispatchLatencyS: dispatch.length > 0 ? median(dispatch) : 0,
    concurrencyLimit: accountLimitOf(profile).limit,
    concurrencyLimitAssumed: accountLimitOf(profile).assumed,
    memoryMb: fn.memoryMb,
    architecture: fn.architecture,
    price: priceFor(fn.region) ?? DEFAULT_PRICE,
    initDurationS: profile.initDurationS ?? 0,
    maxMeasuredDegree: Math.max(...isolated.map((s) => s.degree)),
    measuredDegrees: new Set(isolated.map((s) => s.degree)),
    maxMeasuredConcurrency: Math.max(
      1,
      ...runs.map((r) => r.concurrency),
      ...profile.packing.samples.map((s) => (s.concurrency ?? 1) * s.degree),
    ),
  };
}

/**
 * Tasks running at the same moment when `instances` instances pack `q` tasks each: each instance runs at
 * most its vCPU count of them side by side. This is what contends for shared resources (a host's cores
 * locally, S3 and the network on AWS), so the load factor is keyed on it.
 */
export function simultaneousTasks(instances: number, q: number, vcpus: number): number {
  return instances * Math.min(q, Math.max(1, Math.round(vcpus)));
}

/** The slowdown of a task while `tasks` run at once: the measured factors interpolated, held at the ends. */
function loadFactor(model: FittedModel, tasks: number): number {
  const { concurrency: cs, factor } = model.load;
  if (cs.length === 0) return 1;
  const x = Math.min(cs[cs.length - 1], Math.max(cs[0], tasks));
  return Math.max(0.05, interpolate(cs, factor, x));
}

/** Tasks running at once in a run of C tasks packed p per instance: the load every instance of it shares. */
function runLoad(model: FittedModel, concurrency: number, degree: number): number {
  return simultaneousTasks(Math.ceil(concurrency / degree), degree, model.vcpus);
}

/**
 * Median in-function time (s) of an instance packing q tasks in a run of C tasks packed `degree` per
 * instance (default q). The remainder instance (q < degree) runs under the whole run's load, not the load
 * of a run packed q per instance.
 */
export function fittedExecutionTime(model: FittedModel, q: number, concurrency: number, degree = q): number {
  const [a, b, c] = model.packing;
  const base = Math.max(0.001, a + b * q + c * Math.max(0, q - model.vcpus));
  return (base + model.coldExtraS) * loadFactor(model, runLoad(model, concurrency, degree));
}

/** The spread of task durations at (C, q), and how much to stretch it (see `spreadFor`). */
interface Spread {
  shape: FittedModel['shapes'][number];
  /** Multiplies the shape's excess: the task median under this load over the median the shape was measured at. */
  scale: number;
}

/**
 * The measured spread nearest in simultaneous tasks to a run of C tasks packed p per instance, stretched
 * to the load there. Durations spread in proportion to their median: a run measured with 32 tasks
 * contending for two cores spreads by seconds, two tasks on the same cores by milliseconds. At a measured
 * no-packing run the scale is 1.
 */
function spreadFor(model: FittedModel, degree: number, concurrency: number): Spread {
  const load = runLoad(model, concurrency, degree);
  let shape = model.shapes[0];
  for (const s of model.shapes) if (Math.abs(Math.log(s.load / load)) < Math.abs(Math.log(shape.load / load))) shape = s;
  const scale = shape.medianS > 0 ? ((model.taskAloneS + model.coldExtraS) * loadFactor(model, load)) / shape.medianS : 1;
  return { shape, scale: Number.isFinite(scale) && scale > 0 ? scale : 1 };
}

/**
 * Expected billed in-function time (s) of an instance packing q tasks in a run of C tasks packed `degree`
 * per instance (default q): median plus the slowest task's excess, under the whole run's load.
 */
export function expectedInstanceS(model: FittedModel, q: number, concurrency: number, degree = q): number {
  const { shape, scale } = spreadFor(model, degree, concurrency);
  const tailCorrection = (shape.meanExcessS - shape.sampleMeanExcessS) * scale;
  return Math.max(
    0.001,
    fittedExecutionTime(model, q, concurrency, degree) + new MaxOfDrawsCdf(shape.excessS, q, scale).expectedMax() + tailCorrection,
  );
}

/**
 * True when an instance packing p tasks in a run of C tasks stays within Lambda's 900 s timeout (its
 * median time plus its slowest task's expected excess): the one feasibility rule of predict, optimize and
 * whatif.
 */
export function degreeFitsTimeout(model: FittedModel, p: number, concurrency: number): boolean {
  const { shape, scale } = spreadFor(model, p, concurrency);
  return fitsTimeout(fittedExecutionTime(model, p, concurrency), new MaxOfDrawsCdf(shape.excessS, p, scale));
}

function fitsTimeout(executionS: number, slowest: MaxOfDrawsCdf): boolean {
  return executionS + slowest.expectedMax() <= MAX_TIMEOUT_S;
}

/** Whether (C, p) lies beyond what the profile measured: p outside the measured degrees, C above the widest run. */
export function extrapolationOf(model: FittedModel, concurrency: number, p: number): { degree: boolean; concurrency: boolean } {
  const degrees = [...model.measuredDegrees];
  return {
    degree: p < Math.min(...degrees) || p > Math.max(...degrees),
    concurrency: concurrency > model.maxMeasuredConcurrency,
  };
}

/** Cells of the lookup grid over an excess sample: constant-time CDF lookups keep the optimizer fast. */
const CDF_GRID = 512;

/** For each grid cell, the index of the last order statistic at or below the cell's left edge. */
const gridIndexes = new WeakMap<readonly number[], Int32Array>();

function gridIndex(excess: readonly number[]): Int32Array {
  let g = gridIndexes.get(excess);
  if (!g) {
    const min = excess[0];
    const step = (excess[excess.length - 1] - min) / CDF_GRID;
    g = new Int32Array(CDF_GRID + 1);
    let j = 0;
    for (let c = 0; c <= CDF_GRID; c++) {
      while (j + 1 < excess.length - 1 && excess[j + 1] <= min + c * step) j++;
      g[c] = j;
    }
    gridIndexes.set(excess, g);
  }
  return g;
}

const logTables = new Map<number, Float64Array>();

/** ln(j/k) for j = 0..k, built once per sample size. */
function logTable(k: number): Float64Array {
  let t = logTables.get(k);
  if (!t) {
    t = new Float64Array(k + 1);
    for (let j = 0; j <= k; j++) t[j] = Math.log(j / k);
    logTables.set(k, t);
  }
  return t;
}

/**
 * The CDF of the slowest of q excess draws, F_X(x)^q, where F_X is linear between the sample's order
 * statistics (F(e_j) = j/k): the power is taken once per order statistic and interpolated between them.
 * With `scale` the draws are the sample's values times it (the sample itself is shared, not copied).
 */
export class MaxOfDrawsCdf {
  private readonly pow: Float64Array;
  private readonly grid: Int32Array;
  private readonly min: number;
  private readonly max: number;
  private readonly step: number;

  constructor(
    private readonly excess: readonly number[],
    private readonly q: number,
    private readonly scale = 1,
  ) {
    const k = excess.length - 1;
    this.min = excess[0];
    this.max = excess[k];
    this.step = (this.max - this.min) / CDF_GRID || 1;
    this.grid = gridIndex(excess);
    this.pow = new Float64Array(k + 1);
    const ln = logTable(k);
    for (let j = k; j > 0; j--) {
      const f = Math.exp(q * ln[j]);
      this.pow[j] = f;
      if (f < 1e-15) break;
    }
  }

  /** The smallest and largest possible draw (s). */
  get lowest(): number {
    return this.min * this.scale;
  }

  get highest(): number {
    return this.max * this.scale;
  }

  /** E[slowest excess] (s): e_k − ∫ F^q dx, integrated exactly over each linear piece. */
  expectedMax(): number {
    const e = this.excess;
    const k = e.length - 1;
    if (k === 0) return e[0] * this.scale;
    let integral = 0;
    for (let j = k - 1; j >= 0; j--) {
      const a = j / k;
      const b = (j + 1) / k;
      // ∫ (a + (b − a)u)^q du over [0, 1] = (b^(q+1) − a^(q+1)) / ((q + 1)(b − a)).
      const piece = (this.pow[j + 1] * b - this.pow[j] * a) / ((this.q + 1) * (b - a));
      integral += (e[j + 1] - e[j]) * piece;
      if (this.pow[j] === 0) break;
    }
    return (e[k] - integral) * this.scale;
  }

  /** P(slowest excess ≤ x). */
  at(scaledX: number): number {
    const x = scaledX / this.scale;
    if (x < this.min) return 0;
    if (x >= this.max) return 1;
    const e = this.excess;
    let j = this.grid[Math.floor((x - this.min) / this.step)];
    while (e[j + 1] <= x) j++;
    const span = e[j + 1] - e[j];
    const f0 = this.pow[j];
    return span > 0 ? f0 + (this.pow[j + 1] - f0) * ((x - e[j]) / span) : this.pow[j + 1];
  }
}

// Keyed by the start curve, not the model: the joint optimizer's per-configuration models share one curve.
const startCaches = new WeakMap<StartCurve, Map<number, Float64Array>>();

/** Start offsets of an n-wide fan-out without a limit, computed once per start curve and width. */
function startOffsets(model: FittedModel, n: number): Float64Array {
  let cache = startCaches.get(model.start);
  if (!cache) {
    cache = new Map();
    startCaches.set(model.start, cache);
  }
  let offsets = cache.get(n);
  if (!offsets) {
    offsets = startOffsetsFor(model.start, n);
    cache.set(n, offsets);
  }
  return offsets;
}

/** Instances of one (C, p): all but the last run p tasks; the last runs the remainder. */
interface Layout {
  n: number;
  /** Start offset of each instance (s); may be longer than n (a shared cache). */
  starts: Float64Array;
  /** Median execution time and tasks of the full instances and of the last one. */
  e0: number;
  q0: number;
  eLast: number;
  qLast: number;
}

function layout(model: FittedModel, concurrency: number, p: number): Layout {
  const n = Math.ceil(concurrency / p);
  const e0 = fittedExecutionTime(model, p, concurrency);
  const qLast = concurrency - (n - 1) * p;
  const eLast = qLast === p ? e0 : fittedExecutionTime(model, qLast, concurrency, p);
  const unlimited = startOffsets(model, n);
  const limit = model.concurrencyLimit;
  if (n <= limit) return { n, starts: unlimited, e0, q0: p, eLast, qLast };
  // Beyond the limit, an instance waits for the slot of the one started `limit` earlier to free up.
  const starts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    starts[i] = i >= limit ? Math.max(unlimited[i], starts[i - limit] + e0) : unlimited[i];
  }
  return { n, starts, e0, q0: p, eLast, qLast };
}

/**
 * Solves increasing g(t) = target on [lo, hi] to `tolerance` seconds: regula falsi with the Illinois
 * fix (a few evaluations on these smooth curves), bisecting whenever a side is infinite (log 0).
 */
function solve(g: (t: number) => number, target: number, lo: number, hi: number, tolerance: number): number {
  let flo = g(lo) - target;
  let fhi = g(hi) - target;
  if (flo >= 0) return lo;
  if (fhi < 0) return hi;
  let side = 0;
  for (let it = 0; it < 100 && hi - lo > tolerance; it++) {
    let x = Number.isFinite(flo) ? (lo * fhi - hi * flo) / (fhi - flo) : (lo + hi) / 2;
    // Keep each probe at least a tolerance inside, so the bracket always shrinks.
    x = Math.min(hi - tolerance / 2, Math.max(lo + tolerance / 2, x));
    const fx = g(x) - target;
    if (fx >= 0) {
      hi = x;
      fhi = fx;
      if (side === 1) flo /= 2;
      side = 1;
    } else {
      lo = x;
      flo = fx;
      if (side === -1) fhi /= 2;
      side = -1;
    }
  }
  return hi;
}

/** Which completion statistic to compute: the last completion, or a task-weighted quantile level. */
type Statistic = 'max' | number;

/**
 * Completion-time statistics of a layout (s from the first start): the median of the last completion and
 * task-weighted quantiles. Instance i with q tasks is done by t with probability F_X(t − s_i − e_i)^q.
 */
function completionStats(l: Layout, fullCdf: MaxOfDrawsCdf, lastCdf: MaxOfDrawsCdf, wanted: Statistic[]): number[] {
  const { n, starts, e0, q0, eLast, qLast } = l;
  const xMin = fullCdf.lowest;
  const xMax = fullCdf.highest;
  // Starts ascend, so the first and the last two instances bound every completion.
  const lastEnd = starts[n - 1] + eLast;
  const lo = Math.min(starts[0] + e0, lastEnd) + xMin;
  const hi = Math.max(n > 1 ? starts[n - 2] + e0 : -Infinity, lastEnd) + xMax;
  const total = (n - 1) * q0 + qLast;
  if (xMax === xMin) {
    // Deterministic durations: order statistics of the completion times directly.
    const done = (i: number): number => starts[i] + (i === n - 1 ? eLast : e0) + xMin;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => done(a) - done(b));
    return wanted.map((w) => {
      if (w === 'max') return hi;
      const rank = Math.max(1, Math.ceil(w * total - 1e-9));
      let seen = 0;
      for (const i of order) {
        seen += i === n - 1 ? qLast : q0;
        if (seen >= rank) return done(i);
      }
      return hi;
    });
  }
  // Instances 0..n−2 share one execution time, task count and start order, so at any t those surely done
  // form a prefix and those surely running a suffix: only the band between needs the CDF.
  const full = n - 1;
  const firstAfter = (x: number): number => {
    let a = 0;
    let b = full;
    while (a < b) {
      const m = (a + b) >> 1;
      if (starts[m] <= x) a = m + 1;
      else b = m;
    }
    return a;
  };
  const lastDone = (t: number): number => lastCdf.at(t - lastEnd);
  const logAllDone = (t: number): number => {
    let s = Math.log(lastDone(t));
    for (let i = firstAfter(t - e0 - xMax); i < full && s > -Infinity; i++) s += Math.log(fullCdf.at(t - starts[i] - e0));
    return s;
  };
  const doneFraction = (t: number): number => {
    const surelyDone = firstAfter(t - e0 - xMax);
    const possiblyDone = firstAfter(t - e0 - xMin);
    let s = 0;
    for (let i = surelyDone; i < possiblyDone; i++) s += fullCdf.at(t - starts[i] - e0);
    return (surelyDone * q0 + q0 * s + qLast * lastDone(t)) / total;
  };
  // 1 ms or 0.01% of the span, whichever is coarser: finer than any clock that measures these runs.
  const tolerance = Math.max(1e-3, (hi - lo) * 1e-4);
  const max = solve(logAllDone, Math.log(0.5), lo, hi, tolerance);
  // The quantiles solve the expected done fraction, the maximum the median of the last completion. With few
  // instances the first lies above the second (one instance: all its tasks return together, so every
  // percentile is that instance's completion), yet no order statistic exceeds the maximum: cap them there,
  // so p50 ≤ p90 ≤ p95 ≤ max and a tail metric is never slower than net.
  return wanted.map((w) => (w === 'max' ? max : Math.min(max, solve(doneFraction, w, lo, hi, tolerance))));
}

/**
 * The fitted prediction at concurrency C and packing degree p; undefined when an instance would exceed
 * 900 s. With `percentiles` false only the metric's own statistic is computed (the optimizer's fast path).
 */
export function fittedPredict(
  model: FittedModel,
  concurrency: number,
  p: number,
  metric: Metric,
  tailPercentile: TailPercentile = 90,
  percentiles = true,
): Prediction | undefined {
  const { shape, scale } = spreadFor(model, p, concurrency);
  const fullCdf = new MaxOfDrawsCdf(shape.excessS, p, scale);
  const l = layout(model, concurrency, p);
  if (!fitsTimeout(l.e0, fullCdf)) return undefined;
  const n = l.n;
  const o = model.overheadS;
  const level = metricLevel(metric, tailPercentile);
  const own: Statistic = level === 1 ? 'max' : level;
  const all: Statistic[] = percentiles ? [0.5, 0.9, 0.95, 'max'] : [own];
  const lastCdf = l.qLast === p ? fullCdf : new MaxOfDrawsCdf(shape.excessS, l.qLast, scale);
  const stats = completionStats(l, fullCdf, lastCdf, all).map((x) => x + o);
  // The sampled order statistics miss part of a heavy tail: correct the expected excess by the exact mean.
  const tailCorrection = (shape.meanExcessS - shape.sampleMeanExcessS) * scale;
  const bill = (e: number, cdfOfInstance: MaxOfDrawsCdf): number =>
    invocationCostUsd(
      { durationS: Math.max(0.001, e + cdfOfInstance.expectedMax() + tailCorrection), initDurationS: model.initDurationS },
      model.memoryMb,
      model.architecture,
      model.price,
    );
  const pred: Prediction = {
    packingDegree: p,
    concurrency,
    serviceTime: stats[all.indexOf(own)],
    scalingTime: model.dispatchLatencyS + l.starts[n - 1],
    cost: (n - 1) * bill(l.e0, fullCdf) + bill(l.eLast, lastCdf),
    instances: n,
    executionTime: l.e0,
    extrapolated: extrapolationOf(model, concurrency, p),
  };
  // "Tested" means measured: a measured degree at a concurrency beyond every measured run was not.
  pred.tested = model.measuredDegrees.has(p) && !pred.extrapolated?.concurrency;
  if (percentiles) pred.percentiles = { p50: stats[0], p90: stats[1], p95: stats[2], max: stats[3] };
  return pred;
}
