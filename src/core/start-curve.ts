/**
 * When the instances of a fan-out start. Measured runs show that the k-th start depends on the run's
 * width, not on k alone (ProPack's client slowed as it spawned thousands of invocations), so the curve is
 * a start span per instance count, span(n), times a normalized shape g(u), u = k/(n−1) in [0, 1].
 */
import { interpolate, leastSquares, median } from './stats';
import type { ScalingRun } from './types';

/** Points of the normalized shape. */
const SHAPE_POINTS = 101;

export interface StartCurve {
  /** Measured start spans (s) by instance count, ascending. */
  spans: { n: number[]; spanS: number[] };
  /** Span growth past the widest run (s per instance). */
  slopeS: number;
  /** Normalized shapes by instance count: g[j] = offset at u = j/(SHAPE_POINTS−1), divided by the span. */
  shapes: { n: number; g: number[] }[];
}

const IDENTITY = Array.from({ length: SHAPE_POINTS }, (_, j) => j / (SHAPE_POINTS - 1));

/** Fits the start curve to no-packing runs (start offsets when measured, scale times otherwise). */
export function fitStartCurve(runs: readonly ScalingRun[]): StartCurve {
  const byN = new Map<number, { spans: number[]; shapes: number[][] }>();
  for (const r of runs) {
    const offs = r.startOffsetsS;
    const n = r.sampledFrom ?? offs?.length ?? r.concurrency;
    const entry = byN.get(n) ?? { spans: [], shapes: [] };
    if (offs && offs.length >= 2 && offs[offs.length - 1] > 0) {
      const span = offs[offs.length - 1];
      const us = offs.map((_, j) => j / (offs.length - 1));
      entry.spans.push(span);
      entry.shapes.push(IDENTITY.map((u) => interpolate(us, offs, u) / span));
    } else {
      entry.spans.push(r.scaleTimeS);
      entry.shapes.push(IDENTITY);
    }
    byN.set(n, entry);
  }
  const ns = [...byN.keys()].sort((a, b) => a - b);
  const spanS = ns.map((n) => median(byN.get(n)?.spans ?? [0]));
  const shapes = ns.map((n) => {
    const list = byN.get(n)?.shapes ?? [IDENTITY];
    return { n, g: IDENTITY.map((_, j) => median(list.map((g) => g[j]))) };
  });
  // Extrapolate with the least-squares slope of the wider half of the runs: robust to one odd run.
  const upper = ns.map((n, i) => ({ n, s: spanS[i] })).filter((_, i) => i >= Math.floor(ns.length / 2));
  let slopeS = 0;
  if (upper.length >= 2)
    slopeS = leastSquares(
      upper.map((p) => [1, p.n]),
      upper.map((p) => p.s),
    )[1];
  else if (ns[ns.length - 1] > 1) slopeS = spanS[spanS.length - 1] / (ns[ns.length - 1] - 1);
  return { spans: { n: ns, spanS }, slopeS: Math.max(0, slopeS), shapes };
}

/** Time from the first to the last start of n instances (s). */
export function startSpan(curve: StartCurve, n: number): number {
  if (n <= 1) return 0;
  const { n: ns, spanS } = curve.spans;
  const last = ns.length - 1;
  if (n >= ns[last]) return spanS[last] + (n - ns[last]) * curve.slopeS;
  if (n <= ns[0]) return ns[0] <= 1 ? spanS[0] : (spanS[0] * (n - 1)) / (ns[0] - 1);
  return interpolate(ns, spanS, n);
}

/** Start offsets (s from the first start) of instances 0..n−1 of an n-wide fan-out. */
export function startOffsetsFor(curve: StartCurve, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n <= 1) return out;
  const span = startSpan(curve, n);
  // The shape of the run nearest in width (log scale) stands for this width.
  let shape = curve.shapes[0];
  for (const s of curve.shapes) if (Math.abs(Math.log(s.n / n)) < Math.abs(Math.log(shape.n / n))) shape = s;
  const g = shape.g;
  const m = g.length - 1;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const pos = (i / (n - 1)) * m;
    const j = Math.min(m - 1, Math.floor(pos));
    // Monotone by construction: medians of monotone curves can cross, so keep starts in order.
    prev = Math.max(prev, span * (g[j] + (g[j + 1] - g[j]) * (pos - j)));
    out[i] = prev;
  }
  return out;
}
