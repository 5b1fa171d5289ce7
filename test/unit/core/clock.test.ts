import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateClockOffset } from '../../../src/core/clock';

test('a cold start between sending and starting does not bias the offset', () => {
  const theta = 3.25;
  // Warm exchange: 5 ms each way. Cold exchange: 2 s of provisioning before the start.
  const warm = { sentS: 10, startS: 10.005 + theta, endS: 10.105 + theta, receivedS: 10.11 };
  const cold = { sentS: 20, startS: 22 + theta, endS: 22.1 + theta, receivedS: 22.105 };
  const est = estimateClockOffset([cold, warm, cold]);
  assert.ok(Math.abs(est - theta) <= 0.005, `estimated ${est}`);
});

test('same clock: offset within the smallest one-way delay; no exchanges: 0', () => {
  const xs = [0, 1, 2].map((i) => ({ sentS: i, startS: i + 0.5 + i, endS: i + 0.6 + i, receivedS: i + 0.61 + i }));
  assert.ok(Math.abs(estimateClockOffset(xs)) <= 0.5);
  assert.equal(estimateClockOffset([]), 0);
});
