/**
 * The fitted model (the default). Instead of ProPack's polynomial in instance count it fits:
 * - an instance-start curve S(k): when the k-th instance starts, from measured per-instance start times;
 * - a packing curve f(q) = a + b·q + c·max(0, q − vCPUs): in-function time of an instance with q tasks;
 * - a load factor L(C): how much slower one task runs while C tasks run at once (S3-bound jobs slow down);
 * - the excess X of task durations over their median (S3 stalls, slow hosts): each packed task draws its
 *   own, and an instance returns when its slowest task is done, so percentiles are order statistics of
 *   task completion times rather than positions in invocation order;
 * - the fixed client/dispatch overhead o seen between the platform's clock and the end-to-end time.
 * It bills the full Lambda price (memory, architecture, 1 ms rounding, request fee, billed init), starts
 * ceil(C/p) instances with the remainder packed in the last, and honours a concurrency limit.
 */
import { metricLevel } from './metric';
import { DEFAULT_PRICE, invocationCostUsd, priceFor, vcpusForMemory, type LambdaPrice } from './pricing';
import { interpolate, leastSquares, mean, median } from './stats';
import type { Metric, Prediction, Profile, ScalingRun, TailPercentile } from './types';

/** Lambda's maximum timeout (s): an instance that would run longer is not a candidate. */
export const MAX_TIMEOUT_S = 900;

export interface FittedModel {
  kind: 'fitted';
  /** Instance-start curve knots: instance index → start offset from the first start (s). */
  startKnots: { k: number[]; offsetS: number[] };
  /** Start spacing past the last knot (s per instance). */
  startSlopeS: number;
  /** Packing curve coefficients [a, b, c] of f(q) = a + b·q + c·max(0, q − vcpus) (s). */
  packing: [number, number, number];
  vcpus: number;
  /** Load factor points: concurrency → median task duration / f(1). */
  load: { concurrency: number[]; factor: number[] };
  /** Sorted excess of task durations over their median (s), by the concurrency it was measured at. */
  shapes: { concurrency: number; excessS: number[]; meanExcessS: number }[];
  /** Dispatch plus return overhead added to every completion (s). */
  overheadS: number;
  /** Dispatch until the first instance starts (s), part of the scaling time. */
  dispatchLatencyS: number;
  concurrencyLimit: number;
  memoryMb: number;
  architecture: Profile['function']['architecture'];
  price: LambdaPrice;
  initDurationS: number;
  /** Largest packing degree that was measured. */
  maxMeasuredDegree: number;
  measuredDegrees: Set<number>;
}

/** Instance count a run describes (its sampled arrays may summarize more instances than they hold). */
function runInstances(run: ScalingRun): number {
  return run.sampledFrom ?? run.startOffsetsS?.length ?? run.concurrency;
}

/** Position (instance index) of sample j of a sampled array that summarizes n instances. */
function sampleIndex(j: number, samples: number, n: number): number {
  return samples <= 1 ? 0 : (j * (n - 1)) / (samples - 1);
}

function fitStartCurve(runs: ScalingRun[]): { k: number[]; offsetS: number[]; slope: number } {
  const withOffsets = runs.filter((r) => (r.startOffsetsS?.length ?? 0) >= 2);
  if (withOffsets.length === 0) {
    // Only scale times are known: the k-th instance of a C-wide run started scaleTime·k/(C−1) after the first.
    const pts = runs.map((r) => ({ k: Math.max(1, r.concurrency - 1), y: r.scaleTimeS })).sort((a, b) => a.k - b.k);
    const k = [0, ...pts.map((p) => p.k)];
    const y = [0, ...pts.map((p) => p.y)];
    const last = pts[pts.length - 1];
    return { k, offsetS: monotone(y), slope: last.y / last.k };
  }
  const curves = withOffsets.map((r) => {
    const n = runInstances(r);
    const offs = r.startOffsetsS as number[];
    return { n, ks: offs.map((_, j) => sampleIndex(j, offs.length, n)), offs };
  });
  const knots = new Set<number>([0, 1, 2, 5, 10, 20, 50]);
  for (const c of curves) {
    knots.add(c.n - 1);
    for (const f of [0.25, 0.5, 0.75]) knots.add(Math.round((c.n - 1) * f));
  }
  const k = [...knots].filter((x) => curves.some((c) => c.n - 1 >= x)).sort((a, b) => a - b);
  const offsetS = monotone(k.map((x) => median(curves.filter((c) => c.n - 1 >= x).map((c) => interpolate(c.ks, c.offs, x)))));
  // Past the widest run, starts continue at the rate of that run's second half.
  const widest = curves.reduce((a, b) => (b.n > a.n ? b : a));
  const half = (widest.n - 1) / 2;
  const slope = half > 0 ? (interpolate(widest.ks, widest.offs, widest.n - 1) - interpolate(widest.ks, widest.offs, half)) / half : 0;
  return { k, offsetS, slope: Math.max(0, slope) };
}

function monotone(values: number[]): number[] {
  let m = -Infinity;
  return values.map((v) => (m = Math.max(m, v)));
}

function fitPackingCurve(points: { q: number; t: number }[], vcpus: number): [number, number, number] {
  const qs = new Set(points.map((p) => p.q));
  if (qs.size === 1) return [points[0].t, 0, 0];
  const useKnee = [...qs].filter((q) => q > vcpus).length >= 2 && [...qs].filter((q) => q <= vcpus).length >= 2;
  const rows = points.map((p) => (useKnee ? [1, p.q, Math.max(0, p.q - vcpus)] : [1, p.q]));
  const b = leastSquares(rows, points.map((p) => p.t));
  return [b[0], Math.max(0, b[1]), useKnee ? b[2] : 0];
}

/** Fits the model's curves to a profile. */
export function buildFittedModel(profile: Profile): FittedModel {
  const fn = profile.function;
  const vcpus = fn.vcpus ?? vcpusForMemory(fn.memoryMb);
  const overheadC = profile.packing.clientOverheadS;
  const isolated = profile.packing.samples.filter((s) => (s.concurrency ?? 1) === 1);
  const points = isolated.map((s) => ({ q: s.degree, t: Math.max(0.001, median(s.timesS) - overheadC) }));
  const packing = fitPackingCurve(points, vcpus);
  const f1 = Math.max(0.001, packing[0] + packing[1]);

  const runs = profile.scaling.runs;
  const start = fitStartCurve(runs);
  // Durations belong to the profiled function: runs of other apps only inform the start curve.
  const ownRuns = runs
    .filter((r) => (r.app === undefined || r.app === fn.name) && (r.durationsS?.length ?? 0) > 0)
    .sort((a, b) => a.concurrency - b.concurrency);
  const loadPts = new Map<number, number[]>();
  const shapes: FittedModel['shapes'] = [];
  for (const r of ownRuns) {
    const d = r.durationsS as number[];
    const med = median(d);
    if (med <= 0) continue;
    const list = loadPts.get(r.concurrency) ?? [];
    list.push(med / f1);
    loadPts.set(r.concurrency, list);
    shapes.push({ concurrency: r.concurrency, excessS: d.map((x) => x - med), meanExcessS: (r.meanDurationS ?? mean(d)) - med });
  }
  for (const s of profile.packing.samples) {
    const c = s.concurrency ?? 1;
    if (c <= 1) continue;
    const fq = packing[0] + packing[1] * s.degree + packing[2] * Math.max(0, s.degree - vcpus);
    if (fq > 0) {
      const list = loadPts.get(c * s.degree) ?? [];
      list.push(Math.max(0.001, median(s.timesS) - overheadC) / fq);
      loadPts.set(c * s.degree, list);
    }
  }
  const loadC = [...loadPts.keys()].sort((a, b) => a - b);
  const overheads = runs
    .filter((r) => r.serviceTimeS !== undefined && (r.completionOffsetsS?.length ?? 0) > 0)
    .map((r) => (r.serviceTimeS as number) - (r.completionOffsetsS as number[])[(r.completionOffsetsS as number[]).length - 1]);
  const dispatch = runs.map((r) => r.dispatchLatencyS).filter((x): x is number => x !== undefined);
  return {
    kind: 'fitted',
    startKnots: { k: start.k, offsetS: start.offsetS },
    startSlopeS: start.slope,
    packing,
    vcpus,
    load: { concurrency: loadC, factor: loadC.map((c) => median(loadPts.get(c) ?? [1])) },
    shapes: shapes.length > 0 ? shapes : [{ concurrency: 1, excessS: [0], meanExcessS: 0 }],
    overheadS: overheads.length > 0 ? Math.max(0, median(overheads)) : 0,
    dispatchLatencyS: dispatch.length > 0 ? median(dispatch) : 0,
    concurrencyLimit: profile.concurrencyLimit ?? Infinity,
    memoryMb: fn.memoryMb,
    architecture: fn.architecture,
    price: priceFor(fn.region) ?? DEFAULT_PRICE,
    initDurationS: profile.initDurationS ?? 0,
    maxMeasuredDegree: Math.max(...isolated.map((s) => s.degree)),
    measuredDegrees: new Set(isolated.map((s) => s.degree)),
  };
}

/** Start offset of the k-th instance (s from the first start), without a concurrency limit. */
export function fittedStartOffset(model: FittedModel, k: number): number {
  const { k: ks, offsetS } = model.startKnots;
  const lastK = ks[ks.length - 1];
  if (k <= lastK) return interpolate(ks, offsetS, k);
  return offsetS[offsetS.length - 1] + (k - lastK) * model.startSlopeS;
}

/** Median in-function time of an instance packing q tasks while C tasks run (s). */
export function fittedExecutionTime(model: FittedModel, q: number, concurrency: number): number {
  const [a, b, c] = model.packing;
  const base = Math.max(0.001, a + b * q + c * Math.max(0, q - model.vcpus));
  const { concurrency: cs, factor } = model.load;
  if (cs.length === 0) return base;
  const x = Math.min(cs[cs.length - 1], Math.max(cs[0], concurrency));
  return base * Math.max(0.05, interpolate(cs, factor, x));
}

function shapeFor(model: FittedModel, concurrency: number): FittedModel['shapes'][number] {
  let best = model.shapes[0];
  for (const s of model.shapes) {
    if (Math.abs(Math.log(s.concurrency / concurrency)) < Math.abs(Math.log(best.concurrency / concurrency))) best = s;
  }
  return best;
}

/** Fraction of a sorted sample at or below x (empirical CDF, linear between order statistics). */
function cdf(sorted: readonly number[], x: number): number {
  const n = sorted.length;
  if (x < sorted[0]) return 0;
  if (x >= sorted[n - 1]) return 1;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid;
    else hi = mid;
  }
  const span = sorted[hi] - sorted[lo];
  return (lo + (span > 0 ? (x - sorted[lo]) / span : 1)) / (n - 1);
}

interface Layout {
  /** Start offset of each instance (s). */
  starts: Float64Array;
  /** Median execution time of each instance (s). */
  exec: Float64Array;
  /** Tasks in each instance. */
  tasks: Int32Array;
}

function layout(model: FittedModel, concurrency: number, p: number): Layout {
  const n = Math.ceil(concurrency / p);
  const starts = new Float64Array(n);
  const exec = new Float64Array(n);
  const tasks = new Int32Array(n);
  const eFull = fittedExecutionTime(model, p, concurrency);
  const remainder = concurrency - (n - 1) * p;
  const eLast = remainder === p ? eFull : fittedExecutionTime(model, remainder, concurrency);
  const limit = model.concurrencyLimit;
  for (let i = 0; i < n; i++) {
    tasks[i] = i === n - 1 ? remainder : p;
    exec[i] = i === n - 1 ? eLast : eFull;
    let s = fittedStartOffset(model, i);
    // Beyond the limit, an instance waits for the slot of the one started `limit` earlier to free up.
    if (i >= limit) s = Math.max(s, starts[i - limit] + exec[i - limit]);
    starts[i] = s;
  }
  return { starts, exec, tasks };
}

/** Solves increasing g(t) = target on [lo, hi] by bisection to 1 ms. */
function solve(g: (t: number) => number, target: number, lo: number, hi: number): number {
  for (let it = 0; it < 60 && hi - lo > 1e-3; it++) {
    const mid = (lo + hi) / 2;
    if (g(mid) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Expected maximum of q draws from a sorted sample (each order statistic equally likely). */
export function expectedMaxOfDraws(sorted: readonly number[], q: number): number {
  const k = sorted.length;
  let e = 0;
  let prev = 0;
  for (let j = 1; j <= k; j++) {
    const f = (j / k) ** q;
    e += sorted[j - 1] * (f - prev);
    prev = f;
  }
  return e;
}

/**
 * Completion-time statistics of a layout (s from the first start): the median of the last completion and
 * task-weighted quantiles. Instance i with q tasks is done by t with probability F_X(t − s_i − e_i)^q.
 */
function completionStats(l: Layout, excess: readonly number[], levels: number[]): { max: number; quantiles: number[] } {
  const n = l.starts.length;
  const xMin = excess[0];
  const xMax = excess[excess.length - 1];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, l.starts[i] + l.exec[i] + xMin);
    hi = Math.max(hi, l.starts[i] + l.exec[i] + xMax);
  }
  const total = l.tasks.reduce((a, b) => a + b, 0);
  if (xMax === xMin) {
    // Deterministic durations: order statistics of the completion times directly.
    const done = Array.from(l.starts, (s, i) => s + l.exec[i] + xMin);
    const order = done.map((_, i) => i).sort((a, b) => done[a] - done[b]);
    const quantiles = levels.map((q) => {
      const rank = Math.max(1, Math.ceil(q * total - 1e-9));
      let seen = 0;
      for (const i of order) {
        seen += l.tasks[i];
        if (seen >= rank) return done[i];
      }
      return done[order[order.length - 1]];
    });
    return { max: hi, quantiles };
  }
  // Instances 0..n−2 share one execution time, task count and start order, so at any t those surely done
  // form a prefix and those surely running a suffix: only the band between needs the CDF.
  const full = n - 1;
  const firstAfter = (x: number): number => {
    let a = 0;
    let b = full;
    while (a < b) {
      const m = (a + b) >> 1;
      if (l.starts[m] <= x) a = m + 1;
      else b = m;
    }
    return a;
  };
  const e0 = l.exec[0];
  const q0 = l.tasks[0];
  const instanceDone = (t: number, i: number): number => cdf(excess, t - l.starts[i] - l.exec[i]) ** l.tasks[i];
  const logAllDone = (t: number): number => {
    let s = Math.log(instanceDone(t, n - 1));
    for (let i = firstAfter(t - e0 - xMax); i < full && s > -Infinity; i++) s += Math.log(instanceDone(t, i));
    return s;
  };
  const doneFraction = (t: number): number => {
    const surelyDone = firstAfter(t - e0 - xMax);
    const possiblyDone = firstAfter(t - e0 - xMin);
    let s = surelyDone * q0 + l.tasks[n - 1] * instanceDone(t, n - 1);
    for (let i = surelyDone; i < possiblyDone; i++) s += q0 * instanceDone(t, i);
    return s / total;
  };
  return {
    max: solve(logAllDone, Math.log(0.5), lo, hi),
    quantiles: levels.map((q) => solve(doneFraction, q, lo, hi)),
  };
}

/** The fitted prediction at concurrency C and packing degree p; undefined when an instance would exceed 900 s. */
export function fittedPredict(
  model: FittedModel,
  concurrency: number,
  p: number,
  metric: Metric,
  tailPercentile: TailPercentile = 90,
): Prediction | undefined {
  const shape = shapeFor(model, concurrency);
  const l = layout(model, concurrency, p);
  const n = l.starts.length;
  if (l.exec[0] + expectedMaxOfDraws(shape.excessS, p) > MAX_TIMEOUT_S) return undefined;
  const stats = completionStats(l, shape.excessS, [0.5, 0.9, 0.95]);
  const o = model.overheadS;
  const percentiles = { p50: o + stats.quantiles[0], p90: o + stats.quantiles[1], p95: o + stats.quantiles[2], max: o + stats.max };
  const level = metricLevel(metric, tailPercentile);
  const serviceTime = level === 1 ? percentiles.max : level === 0.5 ? percentiles.p50 : level === 0.95 ? percentiles.p95 : percentiles.p90;
  // The sampled order statistics miss part of a heavy tail: correct the expected excess by the exact mean.
  const tailCorrection = shape.meanExcessS - mean(shape.excessS);
  const bill = (e: number, q: number): number =>
    invocationCostUsd(
      { durationS: Math.max(0.001, e + expectedMaxOfDraws(shape.excessS, q) + tailCorrection), initDurationS: model.initDurationS },
      model.memoryMb,
      model.architecture,
      model.price,
    );
  const cost = (n - 1) * bill(l.exec[0], l.tasks[0]) + bill(l.exec[n - 1], l.tasks[n - 1]);
  return {
    packingDegree: p,
    concurrency,
    serviceTime,
    scalingTime: model.dispatchLatencyS + l.starts[n - 1],
    cost,
    instances: n,
    executionTime: l.exec[0],
    percentiles,
    tested: model.measuredDegrees.has(p),
  };
}
