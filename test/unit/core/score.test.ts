import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bothScoreOf, minimaOf, objectiveScore } from '../../../src/core/score';
import { oracleAndRegret, scoreRuns } from '../../../src/engine/objective';
import type { MeasuredRun } from '../../../src/core/run-record';

const w = { cost: 0.55, time: 0.45 };

test('the both score is the weighted relative excess over the minima', () => {
  assert.equal(bothScoreOf({ timeS: 12, costUsd: 6 }, { timeS: 6, costUsd: 3 }, w), 0.55 * 1 + 0.45 * 1);
  assert.equal(bothScoreOf({ timeS: 6, costUsd: 3 }, { timeS: 6, costUsd: 3 }, w), 0);
});

test('a zero minimum (a free or instant candidate) adds nothing instead of dividing by zero', () => {
  const free = bothScoreOf({ timeS: 4, costUsd: 2 }, { timeS: 2, costUsd: 0 }, w);
  assert.ok(Number.isFinite(free));
  assert.equal(free, 0.45 * 1, 'only the time excess counts');
  assert.equal(bothScoreOf({ timeS: 0, costUsd: 0 }, { timeS: 0, costUsd: 0 }, w), 0);
});

test('objectiveScore is the time, the cost or the both score as the objective says', () => {
  const x = { timeS: 3, costUsd: 0.5 };
  const minima = minimaOf([x, { timeS: 1, costUsd: 1 }]);
  assert.deepEqual(minima, { timeS: 1, costUsd: 0.5 });
  assert.equal(objectiveScore('time', x, minima, w), 3);
  assert.equal(objectiveScore('cost', x, minima, w), 0.5);
  assert.equal(objectiveScore('both', x, minima, w), 0.45 * 2);
});

const run = (packingDegree: number, serviceTime: number, cost: number): MeasuredRun =>
  ({ packingDegree, serviceTime, p50: serviceTime, p90: serviceTime, cost }) as unknown as MeasuredRun; // only the scored fields matter here

test('measured runs with zero cost (the local platform bills nothing) score finitely and pick a best run', () => {
  const runs = [run(1, 4, 0), run(4, 2, 0), run(16, 3, 0)];
  const scores = scoreRuns(runs, 'both', 'net');
  assert.ok(scores.every(Number.isFinite), `scores ${scores.join(', ')}`);
  const { oracle, regret } = oracleAndRegret(runs, runs[0], 'both', 'net');
  assert.equal(oracle.packingDegree, 4);
  assert.ok(regret > 0 && Number.isFinite(regret));
});
