import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFittedModel, fittedExecutionTime } from '../../../src/core/fitted-model';
import { vcpusForMemory } from '../../../src/core/pricing';
import { fitResourceModel, fittedModelAt, resourceExecutionTime } from '../../../src/core/resource-model';
import type { PackingProfile, Profile } from '../../../src/core/types';
import { syntheticProfile } from '../../support/fixtures';

/** Isolated packing times of a task with CPU work w, fixed time a and per-task time b at vCPUs v. */
const packingAt = (v: number, a: number, b: number, w: number, maxQ = 8): PackingProfile => ({
  clientOverheadS: 0,
  samples: Array.from({ length: maxQ }, (_, i) => ({ degree: i + 1, timesS: [a + b * (i + 1) + w * Math.max(1, (i + 1) / v)] })),
});

/** A profile measured at 3,538 MB (2 vCPUs) on x86, with variants at 1,769 MB x86 and 3,538 MB arm64. */
function multiProfile(armFactor = 0.8): Profile {
  const p = syntheticProfile({ memoryMb: 3538 });
  p.packing = packingAt(2, 0.2, 0.05, 1);
  const arm = packingAt(2, 0.2, 0.05, 1);
  arm.samples = arm.samples.map((s) => ({ ...s, timesS: s.timesS.map((t) => t * armFactor) }));
  p.variants = [
    { memoryMb: 1769, architecture: 'x86_64', packing: packingAt(1, 0.2, 0.05, 1) },
    { memoryMb: 3538, architecture: 'arm64', packing: arm },
  ];
  return p;
}

test('several vCPU counts identify fixed time, per-task time and CPU work exactly', () => {
  const rm = fitResourceModel(multiProfile());
  assert.equal(rm.cpuWorkFrom, 'several-vcpu-counts');
  assert.ok(Math.abs(rm.fixedS - 0.2) < 1e-9);
  assert.ok(Math.abs(rm.perTaskS - 0.05) < 1e-9);
  assert.ok(Math.abs(rm.cpuWorkS - 1) < 1e-9);
  assert.ok(rm.armSpeedMeasured);
  assert.ok(Math.abs(rm.armSpeedFactor - 0.8) < 1e-9);
  // An unmeasured size: 5,307 MB is three vCPUs, so six tasks take two rounds of W.
  assert.ok(Math.abs(resourceExecutionTime(rm, 6, 5307, 'x86_64') - (0.2 + 0.3 + 2)) < 1e-9);
  assert.ok(Math.abs(resourceExecutionTime(rm, 6, 5307, 'arm64') - 0.8 * 2.5) < 1e-9);
});

test('without an arm64 measurement the factor is 1 and flagged as assumed', () => {
  const p = multiProfile();
  p.variants = p.variants?.slice(0, 1);
  const rm = fitResourceModel(p);
  assert.equal(rm.armSpeedFactor, 1);
  assert.equal(rm.armSpeedMeasured, false);
});

test('one configuration with a knee: its own curve is reproduced exactly at its own size', () => {
  const p = syntheticProfile({ memoryMb: 3538 });
  p.packing = packingAt(2, 0.2, 0.05, 1, 6);
  const rm = fitResourceModel(p);
  assert.equal(rm.cpuWorkFrom, 'one-configuration-knee');
  const base = buildFittedModel(p);
  const moved = fittedModelAt(base, rm, 3538, 'x86_64');
  for (const q of [1, 2, 4, 6, 9]) assert.ok(Math.abs(fittedExecutionTime(moved, q, 1) - fittedExecutionTime(base, q, 1)) < 1e-9);
  // Half the memory (one vCPU): two tasks now take two rounds of W.
  assert.ok(Math.abs(resourceExecutionTime(rm, 2, 1769, 'x86_64') - (0.2 + 0.1 + 2)) < 1e-6);
});

test('no knee measured: time scales with size below the measured vCPUs and stays above them', () => {
  const rm = fitResourceModel(syntheticProfile({ memoryMb: 3538 }));
  assert.equal(rm.cpuWorkFrom, 'assumed-proportional');
  assert.equal(rm.proportionalFromVcpus, 2);
  const at2 = resourceExecutionTime(rm, 1, 3538, 'x86_64');
  assert.ok(Math.abs(resourceExecutionTime(rm, 1, 1769, 'x86_64') - 2 * at2) < 1e-9);
  assert.ok(Math.abs(resourceExecutionTime(rm, 1, 10240, 'x86_64') - at2) < 1e-9);
});

test('a moved model carries the configuration: memory, vCPUs, architecture and measured degrees', () => {
  const p = multiProfile();
  const rm = fitResourceModel(p);
  const base = buildFittedModel(p);
  const measured = fittedModelAt(base, rm, 1769, 'x86_64');
  assert.equal(measured.vcpus, 1);
  assert.deepEqual(
    [...measured.measuredDegrees].sort((a, b) => a - b),
    [1, 2, 3, 4, 5, 6, 7, 8],
  );
  const predicted = fittedModelAt(base, rm, 8845, 'arm64');
  assert.equal(predicted.vcpus, vcpusForMemory(8845));
  assert.equal(predicted.architecture, 'arm64');
  assert.equal(predicted.measuredDegrees.size, 0);
});

test('sizes measured at one packing degree only: no crash, W from the sizes below one vCPU, per-task time folded in', () => {
  const base = syntheticProfile({ taskS: 1, slopeS: 0, maxDegree: 1, memoryMb: 1769 });
  base.function.vcpus = 1;
  // One task: 1 s at one vCPU, 2 s at half of one (pure CPU work); 2 vCPUs cannot show anything at q = 1.
  const half: Profile = {
    ...base,
    variants: [
      { memoryMb: 884, architecture: 'x86_64', vcpus: 0.5, packing: { clientOverheadS: 0, samples: [{ degree: 1, timesS: [2] }] } },
    ],
  };
  const rm = fitResourceModel(half);
  assert.equal(rm.cpuWorkFrom, 'several-vcpu-counts');
  assert.equal(rm.perTaskS, 0);
  assert.ok(Math.abs(rm.cpuWorkS - 1) < 1e-9 && Math.abs(rm.fixedS) < 1e-9, JSON.stringify(rm));
  const double: Profile = {
    ...base,
    variants: [
      { memoryMb: 3538, architecture: 'x86_64', vcpus: 2, packing: { clientOverheadS: 0, samples: [{ degree: 1, timesS: [1] }] } },
    ],
  };
  assert.notEqual(fitResourceModel(double).cpuWorkFrom, 'several-vcpu-counts');
});
