import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildClassicModel, classicPredict, CLASSIC_PRICE_PER_S } from '../../../src/core/classic-model';
import { optimize } from '../../../src/core/optimizer';
import { loadProfile } from '../../../src/engine/profile-store';
import { shippedProfile, syntheticProfile } from '../../support/fixtures';

// DESIGN.md's known values, from ProPack's own data (scaling apps video, sort, statelesscost).
const KNOWN: { app: 'video' | 'sort'; objective: 'both' | 'time'; c: number; p: number }[] = [
  { app: 'video', objective: 'both', c: 100, p: 5 },
  { app: 'video', objective: 'both', c: 2000, p: 16 },
  { app: 'video', objective: 'both', c: 5000, p: 25 },
  { app: 'sort', objective: 'time', c: 100, p: 2 },
  { app: 'sort', objective: 'time', c: 2000, p: 12 },
  { app: 'sort', objective: 'time', c: 5000, p: 15 },
];

for (const k of KNOWN) {
  test(`classic ${k.app}, ${k.objective}, net at C=${k.c} chooses p=${k.p}`, () => {
    const r = optimize(loadProfile(shippedProfile(k.app)), { concurrency: k.c, objective: k.objective, metric: 'net', model: 'classic' });
    assert.equal(r.packingDegree, k.p);
  });
}

test('classic uses the median scale time over apps per C and t(p) from the table', () => {
  const profile = syntheticProfile({ spacingS: 0.1, taskS: 2, slopeS: 1 });
  const m = buildClassicModel(profile);
  assert.equal(m.maxDegree, 10);
  const pred = classicPredict(m, 400, 4, 'net');
  assert.ok(pred);
  assert.equal(pred.instances, 100);
  assert.equal(pred.executionTime, 5);
  // scale times lie on a line, so the polynomial fit reproduces it: scale(100) = 99 * 0.1.
  assert.ok(Math.abs(pred.scalingTime - 9.9) < 1e-6);
  assert.ok(Math.abs(pred.cost - 5 * 100 * CLASSIC_PRICE_PER_S) < 1e-12);
});

test('classic quirks: remainder instance double-counted; tail = floor(0.9 C); median = floor(C/2)', () => {
  const m = buildClassicModel(syntheticProfile());
  const net = classicPredict(m, 101, 10, 'net');
  assert.ok(net);
  assert.equal(net.instances, 11);
  assert.ok(Math.abs(net.cost - net.executionTime * 12 * CLASSIC_PRICE_PER_S) < 1e-12, 'N = n + 1 when p does not divide m');
  const tail = classicPredict(m, 101, 10, 'tail');
  assert.equal(tail?.instances, 9, 'm = floor(0.9 · 101) = 90 → ceil(90/10) = 9');
  assert.equal(classicPredict(m, 101, 10, 'median')?.instances, 5, 'm = floor(101/2) = 50');
});

test('classic has no prediction for unmeasured degrees', () => {
  const m = buildClassicModel(syntheticProfile({ maxDegree: 4 }));
  assert.equal(classicPredict(m, 100, 5, 'net'), undefined);
});
