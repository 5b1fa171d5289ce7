import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  coefficientOfVariation,
  evaluatePolynomial,
  fitPolynomial,
  interpolate,
  leastSquares,
  median,
  quantileSorted,
  sampleOrderStatistics,
} from '../../../src/core/stats';

test('median and quantiles interpolate between order statistics', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(quantileSorted([0, 10], 0.25), 2.5);
  assert.throws(() => quantileSorted([], 0.5), RangeError);
});

test('least squares recovers an exact line', () => {
  const b = leastSquares(
    [
      [1, 0],
      [1, 1],
      [1, 2],
      [1, 3],
    ],
    [1, 3, 5, 7],
  );
  assert.ok(Math.abs(b[0] - 1) < 1e-12 && Math.abs(b[1] - 2) < 1e-12);
});

test('a degree-4 fit in raw instance counts up to 5000 stays exact (ill-conditioned Vandermonde)', () => {
  const xs = [100, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000];
  const truth = (x: number): number => 2 + 0.04 * x + 1e-6 * x ** 2 - 3e-10 * x ** 3 + 2e-14 * x ** 4;
  const poly = fitPolynomial(xs, xs.map(truth), 4);
  for (const x of [100, 777, 2500, 5000, 6000]) {
    assert.ok(Math.abs(evaluatePolynomial(poly, x) - truth(x)) < 1e-6 * Math.abs(truth(x)), `x=${x}`);
  }
});

test('interpolation extrapolates linearly past both ends', () => {
  assert.equal(interpolate([0, 10], [0, 100], 5), 50);
  assert.equal(interpolate([0, 10], [0, 100], 20), 200);
  assert.equal(interpolate([0, 10], [0, 100], -1), -10);
  assert.equal(interpolate([3], [7], 100), 7);
});

test('order statistics keep min and max; CV of equal values is 0', () => {
  const s = sampleOrderStatistics(
    Array.from({ length: 1000 }, (_, i) => i),
    11,
  );
  assert.equal(s.length, 11);
  assert.equal(s[0], 0);
  assert.equal(s[10], 999);
  assert.equal(coefficientOfVariation([2, 2, 2]), 0);
  assert.ok(Math.abs(coefficientOfVariation([1, 3]) - Math.SQRT2 / 2) < 1e-12);
});
