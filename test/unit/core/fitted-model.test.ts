import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFittedModel, fittedExecutionTime, fittedPredict, MaxOfDrawsCdf } from '../../../src/core/fitted-model';
import { invocationCostUsd } from '../../../src/core/pricing';
import { predict, scalingTimeAt } from '../../../src/core/predict';
import { loadProfile } from '../../../src/engine/profile-store';
import { shippedProfile, syntheticProfile } from '../../support/fixtures';

test('ceil(C/p) instances, remainder packed in the last, scaling time from the start curve', () => {
  const profile = syntheticProfile({ spacingS: 0.05, taskS: 1, slopeS: 0.5 });
  const p = predict(profile, { concurrency: 103, packingDegree: 10, metric: 'net' });
  assert.equal(p.instances, 11);
  assert.ok(Math.abs(p.scalingTime - 10 * 0.05) < 1e-9);
  assert.ok(Math.abs(p.executionTime - 5.5) < 1e-9);
  // The last (remainder) instance runs 3 tasks: 2 s; the 10th full one ends at 9·0.05 + 5.5.
  assert.ok(Math.abs(p.serviceTime - (9 * 0.05 + 5.5)) < 2e-3);
});

test('cost bills every instance with 1 ms rounding, memory and request fee', () => {
  const profile = syntheticProfile({ taskS: 1.0004, slopeS: 0.5, memoryMb: 2048 });
  const p = predict(profile, { concurrency: 25, packingDegree: 10, metric: 'net' });
  const full = invocationCostUsd({ durationS: 1.0004 + 4.5 }, 2048, 'x86_64');
  const rest = invocationCostUsd({ durationS: 1.0004 + 2.0 }, 2048, 'x86_64');
  assert.ok(Math.abs(p.cost - (2 * full + rest)) < 1e-12, `${p.cost} vs ${2 * full + rest}`);
});

test('percentiles are order statistics of task completion times', () => {
  const profile = syntheticProfile({ spacingS: 1, taskS: 1, slopeS: 0 });
  const p = predict(profile, { concurrency: 100, packingDegree: 1, metric: 'tail' });
  assert.ok(p.percentiles);
  // Instance i completes at i + 1: the 50th task at 50, the 90th at 90, the 95th at 95, the last at 100.
  assert.ok(Math.abs(p.percentiles.p50 - 50) < 1e-6);
  assert.ok(Math.abs(p.percentiles.p90 - 90) < 1e-6);
  assert.ok(Math.abs(p.percentiles.p95 - 95) < 1e-6);
  assert.ok(Math.abs(p.percentiles.max - 100) < 1e-6);
  assert.equal(p.serviceTime, p.percentiles.p90);
  assert.equal(predict(profile, { concurrency: 100, packingDegree: 1, metric: 'tail', tailPercentile: 95 }).serviceTime, p.percentiles.p95);
});

test('an account concurrency limit makes instances wait for a free slot', () => {
  const free = syntheticProfile({ spacingS: 0.01, taskS: 2 });
  const limited = { ...syntheticProfile({ spacingS: 0.01, taskS: 2 }), concurrencyLimit: 50 };
  const a = predict(free, { concurrency: 200, packingDegree: 1, metric: 'net' });
  const b = predict(limited, { concurrency: 200, packingDegree: 1, metric: 'net' });
  // 200 instances through 50 slots: four waves of 2 s.
  assert.ok(b.serviceTime >= 8 - 1e-6, `limited ${b.serviceTime}`);
  assert.ok(a.serviceTime < 4, `free ${a.serviceTime}`);
});

test('vCPUs shape the packing curve: tasks beyond the vCPU count cost more', () => {
  const profile = syntheticProfile({ memoryMb: 3538 });
  // Two vCPUs: up to two tasks run side by side, then they queue.
  profile.packing.samples = [1, 2, 3, 4, 5, 6].map((d) => ({ degree: d, timesS: [1 + 0.05 * Math.min(d, 2) + 1 * Math.max(0, d - 2)] }));
  const m = buildFittedModel(profile);
  assert.equal(m.vcpus, 2);
  assert.ok(m.packing[2] > 0.9, `knee slope ${m.packing[2]}`);
});

test('a slow task tail makes packed instances wait for their slowest task', () => {
  // Uniform excess on [0, 1]: E[max of q] = q / (q + 1).
  assert.ok(Math.abs(new MaxOfDrawsCdf([0, 1], 1).expectedMax() - 0.5) < 1e-12);
  assert.ok(Math.abs(new MaxOfDrawsCdf([0, 0.5, 1], 2).expectedMax() - 2 / 3) < 1e-12);
  assert.ok(Math.abs(new MaxOfDrawsCdf([0, 0.25, 0.5, 0.75, 1], 9).expectedMax() - 0.9) < 1e-12);
  assert.ok(Math.abs(new MaxOfDrawsCdf([0, 0.5, 1], 2).at(0.5) - 0.25) < 1e-12);
  const profile = syntheticProfile({ spacingS: 0.01, taskS: 1, slopeS: 0 });
  for (const r of profile.scaling.runs) r.durationsS = r.durationsS?.map((_, i, a) => (i === a.length - 1 ? 11 : 1));
  const m = buildFittedModel(profile);
  const p1 = fittedPredict(m, 100, 1, 'median');
  const p10 = fittedPredict(m, 100, 10, 'median');
  assert.ok(p1 && p10);
  assert.ok(p10.serviceTime > p1.serviceTime - 1, 'packing spreads the tail to more tasks');
});

test('instances that would outlast Lambda’s 900 s limit are not candidates', () => {
  const profile = syntheticProfile({ taskS: 100, slopeS: 100 });
  assert.throws(() => predict(profile, { concurrency: 100, packingDegree: 10, metric: 'net' }), /900 s/);
});

test('fitted model on ProPack’s video data predicts its own no-packing runs within 10%', () => {
  const profile = loadProfile(shippedProfile('video'));
  for (const run of profile.scaling.runs.filter((r) => r.app === 'video' && r.concurrency >= 1000)) {
    const p = predict(profile, { concurrency: run.concurrency, packingDegree: 1, metric: 'net' });
    const err = Math.abs(p.serviceTime - (run.serviceTimeS as number)) / (run.serviceTimeS as number);
    assert.ok(err < 0.1, `C=${run.concurrency}: predicted ${p.serviceTime}, measured ${run.serviceTimeS}`);
  }
  assert.ok(scalingTimeAt(profile, 5000) > scalingTimeAt(profile, 1000));
});

test('a scaled excess sample stretches the slowest-draw distribution without copying it', () => {
  const cdf = new MaxOfDrawsCdf([0, 0.25, 0.5, 0.75, 1], 9, 3);
  assert.ok(Math.abs(cdf.expectedMax() - 2.7) < 1e-12);
  assert.ok(Math.abs(cdf.at(1.5) - new MaxOfDrawsCdf([0, 0.25, 0.5, 0.75, 1], 9).at(0.5)) < 1e-12);
  assert.deepEqual([cdf.lowest, cdf.highest], [0, 3]);
});

test('a packed instance under light load does not borrow the spread of a heavily loaded run', () => {
  // One task alone takes 1 s; 100 tasks at once took 4 s each, spread over ±2 s; two at once 1.2 s.
  const profile = syntheticProfile({ spacingS: 0, taskS: 1, slopeS: 1, memoryMb: 1769 });
  profile.scaling.runs = profile.scaling.runs
    .slice(0, 1)
    .map((r) => ({ ...r, durationsS: r.durationsS?.map((_, i, a) => 2 + (4 * i) / (a.length - 1)), meanDurationS: 4 }));
  profile.packing.samples.push({ degree: 10, concurrency: 2, timesS: [12] });
  const m = buildFittedModel(profile);
  // p = 10 at C = 20: two instances, two tasks at once: 10 s × 1.2 plus the slowest of 10 draws from a
  // spread shrunk to the 1.2 s median there (±0.6 s), not the ±2 s measured at 100.
  const p = fittedPredict(m, 20, 10, 'net');
  assert.ok(p);
  const excess = p.serviceTime - p.scalingTime - 12;
  assert.ok(excess > 0.3 && excess < 0.7, `slowest-task excess ${excess} s`);
  // The loaded run itself is unchanged: p = 1 at C = 100 keeps its measured spread (up to +2 s).
  const loaded = fittedPredict(m, 100, 1, 'net');
  assert.ok(loaded && loaded.serviceTime - loaded.scalingTime > 5.5, String(loaded?.serviceTime));
});

test('a cold instance pays the cold extra once, not a load factor on every task', () => {
  // Warm: one task 1 s, +0.5 s per task. Cold: one task 1.3 s, and the fan-outs' cold tasks took 1.3 s too.
  const profile = syntheticProfile({ spacingS: 0, taskS: 1, slopeS: 0.5 });
  profile.scaling.runs = profile.scaling.runs.map((r) => ({ ...r, durationsS: r.durationsS?.map(() => 1.3), meanDurationS: 1.3 }));
  profile.packing.coldTaskS = 1.3;
  const m = buildFittedModel(profile);
  assert.ok(Math.abs(m.coldExtraS - 0.3) < 1e-9);
  // Ten tasks on a cold instance: the warm 5.5 s plus 0.3 s once; the fan-outs show no contention.
  assert.ok(Math.abs(fittedExecutionTime(m, 10, 100) - 5.8) < 0.05, String(fittedExecutionTime(m, 10, 100)));
  // Without the cold measurement the same 1.3 s reads as a slowdown under load, which ten instances barely
  // feel: the cold start's 0.3 s is missed.
  delete profile.packing.coldTaskS;
  assert.ok(fittedExecutionTime(buildFittedModel(profile), 10, 100) < 5.75);
});
