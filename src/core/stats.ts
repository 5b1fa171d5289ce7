/** Small, dependency-free statistics used by the models. */

/** Median of a non-empty list (mean of the middle two for even lengths). */
export function median(values: readonly number[]): number {
  return quantileSorted(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** Linear-interpolated quantile (type 7) of an ascending, non-empty array; q in [0, 1]. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty list');
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Rounds a stored time to 0.1 ms (s): finer than any clock that measured it, and short in JSON. */
export function roundTime(seconds: number): number {
  return Math.round(seconds * 1e4) / 1e4;
}

/** Arithmetic mean of a non-empty list. */
export function mean(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Coefficient of variation (sample standard deviation / mean); 0 for fewer than two values. */
export function coefficientOfVariation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) ** 2;
  return Math.sqrt(ss / (values.length - 1)) / Math.abs(m);
}

/** Evenly spaced order statistics (k points, including min and max) of an ascending array. */
export function sampleOrderStatistics(sorted: readonly number[], k: number): number[] {
  if (sorted.length <= k) return [...sorted];
  const out: number[] = [];
  for (let i = 0; i < k; i++) out.push(quantileSorted(sorted, i / (k - 1)));
  return out;
}

/**
 * Ordinary least squares: the coefficients b minimizing |A b − y|², by Householder QR.
 * A is row-major (rows × cols), rows ≥ cols, full column rank expected.
 */
export function leastSquares(a: readonly (readonly number[])[], y: readonly number[]): number[] {
  const m = a.length;
  const n = a[0]?.length ?? 0;
  if (m < n || n === 0) throw new RangeError(`least squares needs at least ${n} rows, got ${m}`);
  const r = a.map((row) => [...row]);
  const qty = [...y];
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += r[i][k] ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    const alpha = r[k][k] > 0 ? -norm : norm;
    const v: number[] = new Array(m).fill(0);
    v[k] = r[k][k] - alpha;
    for (let i = k + 1; i < m; i++) v[i] = r[i][k];
    let vv = 0;
    for (let i = k; i < m; i++) vv += v[i] ** 2;
    if (vv === 0) continue;
    for (let j = k; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i] * r[i][j];
      const f = (2 * dot) / vv;
      for (let i = k; i < m; i++) r[i][j] -= f * v[i];
    }
    let dot = 0;
    for (let i = k; i < m; i++) dot += v[i] * qty[i];
    const f = (2 * dot) / vv;
    for (let i = k; i < m; i++) qty[i] -= f * v[i];
  }
  const b: number[] = new Array(n).fill(0);
  for (let k = n - 1; k >= 0; k--) {
    let s = qty[k];
    for (let j = k + 1; j < n; j++) s -= r[k][j] * b[j];
    b[k] = r[k][k] === 0 ? 0 : s / r[k][k];
  }
  return b;
}

/** A least-squares polynomial in x, fitted on centred and scaled x so high degrees stay well conditioned. */
export interface Polynomial {
  degree: number;
  centre: number;
  scale: number;
  /** Coefficients of z^0..z^degree with z = (x − centre) / scale. */
  coefficients: number[];
}

/** Fits an OLS polynomial of the given degree (intercept included) to the points (x, y). */
export function fitPolynomial(x: readonly number[], y: readonly number[], degree: number): Polynomial {
  const centre = mean(x);
  let ss = 0;
  for (const v of x) ss += (v - centre) ** 2;
  const scale = Math.sqrt(ss / x.length) || 1;
  const rows = x.map((v) => {
    const z = (v - centre) / scale;
    const row: number[] = [];
    for (let d = 0, p = 1; d <= degree; d++, p *= z) row.push(p);
    return row;
  });
  return { degree, centre, scale, coefficients: leastSquares(rows, y) };
}

/** Evaluates a fitted polynomial at x (Horner). */
export function evaluatePolynomial(poly: Polynomial, x: number): number {
  const z = (x - poly.centre) / poly.scale;
  let s = 0;
  for (let d = poly.coefficients.length - 1; d >= 0; d--) s = s * z + poly.coefficients[d];
  return s;
}

/** Piecewise-linear interpolation through ascending knots xs; linear extrapolation past either end. */
export function interpolate(xs: readonly number[], ys: readonly number[], x: number): number {
  const n = xs.length;
  if (n === 1) return ys[0];
  let i = 1;
  if (x >= xs[n - 1]) i = n - 1;
  else if (x > xs[0]) {
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid] <= x) lo = mid;
      else hi = mid;
    }
    i = hi;
  }
  const x0 = xs[i - 1];
  const x1 = xs[i];
  const t = x1 === x0 ? 0 : (x - x0) / (x1 - x0);
  return ys[i - 1] + (ys[i] - ys[i - 1]) * t;
}

/**
 * The non-decreasing sequence closest to `values` in weighted least absolute deviations (pool adjacent
 * violators with weighted medians): adjacent values that go down are pooled until none does. Medians, not
 * means, so one outlier (a slow run) is voted down instead of lifting every level it is pooled with.
 */
export function isotonicNonDecreasing(values: readonly number[], weights: readonly number[] = values.map(() => 1)): number[] {
  const blocks: { members: { v: number; w: number }[]; level: number }[] = [];
  values.forEach((v, i) => {
    blocks.push({ members: [{ v, w: Math.max(Number.MIN_VALUE, weights[i] ?? 1) }], level: v });
    while (blocks.length > 1 && blocks[blocks.length - 2].level > blocks[blocks.length - 1].level) {
      const b = blocks.pop() as (typeof blocks)[number];
      const a = blocks.pop() as (typeof blocks)[number];
      const members = [...a.members, ...b.members];
      blocks.push({ members, level: weightedMedian(members) });
    }
  });
  return blocks.flatMap((b) => b.members.map(() => b.level));
}

/** The weighted median of `members` (the lower one when the weights split evenly). */
function weightedMedian(members: readonly { v: number; w: number }[]): number {
  const sorted = [...members].sort((a, b) => a.v - b.v);
  const half = sorted.reduce((t, m) => t + m.w, 0) / 2;
  let acc = 0;
  for (const m of sorted) {
    acc += m.w;
    if (acc >= half) return m.v;
  }
  return sorted[sorted.length - 1].v;
}
