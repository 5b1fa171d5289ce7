import { buildFittedModel } from '../../../src/core/fitted-model';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProfile } from '../../../src/engine/profile-store';
import { JOINT_MEMORY_STEPS_MB, jointMemories, optimizeJoint, tradeOff, type JointCandidate } from '../../../src/core/joint-optimizer';
import { fitResourceModel } from '../../../src/core/resource-model';
import { optimize } from '../../../src/core/optimizer';
import type { Profile } from '../../../src/core/types';
import { shippedProfile, syntheticProfile } from '../../support/fixtures';

const cand = (memoryMb: number, p: number, serviceTime: number, cost: number): JointCandidate => ({
  memoryMb,
  architecture: 'x86_64',
  vcpus: 1,
  measured: false,
  packingDegree: p,
  concurrency: 100,
  serviceTime,
  scalingTime: 0,
  cost,
  instances: 1,
  executionTime: 1,
});

test('the trade-off reads as the issue asks', () => {
  const t = tradeOff(cand(3538, 6, 10.4, 0.69), cand(10240, 20, 10, 1));
  assert.equal(t.text, '3,538 MB x86_64, p=6: 31% cheaper, 4% slower than 10,240 MB x86_64, p=20');
  assert.ok(Math.abs(t.cost + 0.31) < 1e-9);
  assert.equal(
    tradeOff(cand(3538, 6, 10, 0.69), cand(10240, 20, 10, 1)).text,
    '3,538 MB x86_64, p=6: 31% cheaper than 10,240 MB x86_64, p=20 in the same time',
  );
  assert.equal(
    tradeOff(cand(10240, 20, 10, 1), cand(10240, 20, 10, 1)).text,
    '10,240 MB x86_64, p=20: same cost and time as 10,240 MB x86_64, p=20',
  );
});

test('the default memory steps include every whole vCPU and 10,240 MB', () => {
  for (const m of [1769, 3538, 5307, 7076, 8845, 10240, 128]) assert.ok(JOINT_MEMORY_STEPS_MB.includes(m), String(m));
});

test('fixed at the measured configuration, the joint search picks what optimize picks', () => {
  const profile = loadProfile(shippedProfile('video'));
  for (const objective of ['time', 'cost', 'both'] as const) {
    const req = { concurrency: 2000, objective, metric: 'net' as const };
    const joint = optimizeJoint(profile, { ...req, memoryMb: profile.function.memoryMb, architecture: 'x86_64' });
    const own = optimize(profile, req);
    assert.equal(joint.choice.packingDegree, own.packingDegree, objective);
    assert.ok(Math.abs(joint.choice.serviceTime - own.predicted.serviceTime) < 1e-9);
    assert.ok(Math.abs(joint.choice.cost - own.predicted.cost) < 1e-12);
  }
});

test('a CPU-bound job on the cost objective is cheaper per vCPU-second off the 10 GB instance, never dearer', () => {
  const profile = loadProfile(shippedProfile('video'));
  const r = optimizeJoint(profile, { concurrency: 2000, objective: 'cost', metric: 'net' });
  assert.ok(r.choice.cost <= r.reference.cost);
  // ProPack's reference is its measured 10,000 MB, not the unmeasured 10,240 MB.
  assert.equal(r.reference.memoryMb, 10000);
  assert.equal(r.reference.architecture, 'x86_64');
  assert.ok(r.tradeOff.text.includes('than 10,000 MB x86_64'));
  assert.equal(r.model.armSpeedMeasured, false);
});

test('the grid has one row per memory and one column per p, objective lower at the choice than anywhere', () => {
  const profile = loadProfile(shippedProfile('sort'));
  const r = optimizeJoint(profile, { concurrency: 1000, objective: 'time', metric: 'net', architecture: 'x86_64' });
  assert.equal(r.grids.length, 1);
  const g = r.grids[0];
  assert.equal(g.objective.length, g.memoriesMb.length);
  assert.ok(g.objective.every((row) => row.length === g.degrees.length));
  const best = Math.min(...g.objective.flat().filter((x): x is number => x !== null));
  // The choice is the fastest or, within the model's noise of it, a cheaper one.
  const fastest = r.candidates.find((c) => c.serviceTime === best);
  assert.ok(fastest && r.choice.serviceTime <= best * (1 + buildFittedModel(profile).noise) && r.choice.cost <= fastest.cost);
  const mi = g.memoriesMb.indexOf(profile.function.memoryMb);
  assert.ok(g.measured[mi].some(Boolean), 'the measured row is marked');
  assert.ok(!g.measured[g.memoriesMb.indexOf(3538)].some(Boolean), 'predicted rows are not');
  // One measured size (10,000 MB): the search goes no lower than a quarter of it, and says so.
  assert.deepEqual(r.oneMeasuredSize, { memoryMb: 10000, floorMb: 2500 });
  assert.ok(Math.min(...g.memoriesMb) >= 2500 && !g.memoriesMb.includes(1769), g.memoriesMb.join(','));
});

test('arm64 measured faster wins the time objective; measured vs predicted is recorded per candidate', () => {
  const p: Profile = syntheticProfile({ memoryMb: 3538, taskS: 2, slopeS: 0.5, maxDegree: 6 });
  p.variants = [
    {
      memoryMb: 3538,
      architecture: 'arm64',
      packing: { clientOverheadS: 0, samples: p.packing.samples.map((s) => ({ ...s, timesS: s.timesS.map((t) => t * 0.7) })) },
    },
  ];
  const r = optimizeJoint(p, { concurrency: 200, objective: 'cost', metric: 'net', memoryMb: 3538 });
  assert.equal(r.choice.architecture, 'arm64');
  assert.equal(r.choice.measured, true);
  assert.ok(r.model.armSpeedMeasured);
  assert.ok(r.candidates.some((c) => !c.measured) === false, 'every degree 1..6 was measured at both');
});

test('the classic model cannot search memory: a RangeError says why', () => {
  assert.throws(
    () => optimizeJoint(syntheticProfile(), { concurrency: 10, objective: 'time', metric: 'net', model: 'classic' }),
    /fitted model/,
  );
});

// Its speed is measured by `npm run bench:model`, not here.
test('the joint search at C=5,000 on the tail metric evaluates every size and marks the measured row', () => {
  const profile = loadProfile(shippedProfile('video'));
  const r = optimizeJoint(profile, { concurrency: 5000, objective: 'both', metric: 'tail' });
  assert.deepEqual(
    r.grids[0].memoriesMb,
    jointMemories({ concurrency: 5000, objective: 'both', metric: 'tail' }, fitResourceModel(profile)),
  );
  const measuredRow = r.grids[0].memoriesMb.indexOf(profile.function.memoryMb);
  assert.ok(r.grids[0].measured[measuredRow].some(Boolean));
});
