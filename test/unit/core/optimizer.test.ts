import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bothScore, chooseDegree, optimize, paretoFront } from '../../../src/core/optimizer';
import type { Prediction } from '../../../src/core/types';
import { syntheticProfile } from '../../support/fixtures';

const pred = (p: number, serviceTime: number, cost: number): Prediction => ({
  packingDegree: p,
  concurrency: 100,
  serviceTime,
  scalingTime: 0,
  cost,
  instances: Math.ceil(100 / p),
  executionTime: 1,
});

test('time, cost and both pick their argmin; ties go to the smallest p', () => {
  const c = [pred(1, 10, 5), pred(2, 6, 4), pred(3, 6, 3), pred(4, 8, 3)];
  assert.equal(chooseDegree(c, { concurrency: 100, objective: 'time', metric: 'net' }).choice.packingDegree, 2);
  assert.equal(chooseDegree(c, { concurrency: 100, objective: 'cost', metric: 'net' }).choice.packingDegree, 3);
  assert.equal(chooseDegree(c, { concurrency: 100, objective: 'both', metric: 'net' }).choice.packingDegree, 3);
});

test('both uses relative excess over each minimum with the weights', () => {
  assert.equal(bothScore(pred(1, 12, 6), 3, 6, { cost: 0.55, time: 0.45 }), 0.55 * 1 + 0.45 * 1);
  const c = [pred(1, 6, 10), pred(2, 12, 3)];
  assert.equal(
    chooseDegree(c, { concurrency: 100, objective: 'both', metric: 'net', weights: { cost: 0, time: 1 } }).choice.packingDegree,
    1,
  );
  assert.equal(
    chooseDegree(c, { concurrency: 100, objective: 'both', metric: 'net', weights: { cost: 1, time: 0 } }).choice.packingDegree,
    2,
  );
});

test('constraints filter candidates; none feasible relaxes and says so', () => {
  const c = [pred(1, 10, 5), pred(2, 6, 4), pred(3, 7, 3)];
  const r = chooseDegree(c, { concurrency: 100, objective: 'cost', metric: 'net', constraints: { maxServiceTimeS: 6.5 } });
  assert.equal(r.choice.packingDegree, 2);
  assert.equal(r.relaxed, false);
  const none = chooseDegree(c, { concurrency: 100, objective: 'cost', metric: 'net', constraints: { maxCostUsd: 1 } });
  assert.equal(none.relaxed, true);
  assert.equal(none.choice.packingDegree, 3);
});

test('the Pareto front keeps exactly the non-dominated points', () => {
  const front = paretoFront([pred(1, 10, 5), pred(2, 6, 4), pred(3, 7, 3), pred(4, 8, 3.5), pred(5, 6, 4.5)]);
  assert.deepEqual(
    front.map((p) => p.packingDegree),
    [2, 3],
  );
});

test('optimize returns every candidate, the baseline and the choice', () => {
  const r = optimize(syntheticProfile(), { concurrency: 400, objective: 'time', metric: 'net' });
  assert.equal(r.candidates.length, 10);
  assert.equal(r.baseline.packingDegree, 1);
  assert.ok(r.predicted.serviceTime <= Math.min(...r.candidates.map((c) => c.serviceTime)));
  assert.ok(r.pareto.length >= 1);
  const capped = optimize(syntheticProfile(), { concurrency: 400, objective: 'time', metric: 'net', maxDegree: 3 });
  assert.equal(capped.candidates.length, 3);
  const extrapolated = optimize(syntheticProfile(), { concurrency: 400, objective: 'time', metric: 'net', maxDegree: 20 });
  assert.equal(extrapolated.candidates.length, 20);
  assert.equal(extrapolated.candidates[15].tested, false);
});
