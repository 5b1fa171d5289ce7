import { test } from 'node:test';
import assert from 'node:assert/strict';
import { creationAllowedAt, SCALING_RULES, simulateProvisioning, type SimulationInput } from '../../../src/core/provisioning-sim';
import { invocationCostUsd } from '../../../src/core/pricing';

const base = (over: Partial<SimulationInput>): SimulationInput => ({
  concurrency: 3000,
  packingDegree: 1,
  rule: SCALING_RULES['aws-2023'],
  accountLimit: Infinity,
  coldStartS: 1,
  executionS: 100,
  memoryMb: 1024,
  architecture: 'x86_64',
  ...over,
});

test('the 2023 rule allows 1,000 environments now and 1,000 more every 10 s', () => {
  const r = SCALING_RULES['aws-2023'];
  assert.equal(creationAllowedAt(r, 999, 0), 0);
  assert.equal(creationAllowedAt(r, 1000, 0), 10);
  assert.equal(creationAllowedAt(r, 2999, 0), 20);
  assert.equal(creationAllowedAt(r, 3000, 5), 30);
  assert.equal(creationAllowedAt(SCALING_RULES['aws-2021'], 3499, 0), 60);
  assert.equal(creationAllowedAt(SCALING_RULES['aws-2021'], 3500, 0), 120);
});

test('3,000 long instances at 1,000 per 10 s: the last starts at 20 s and ends 20 + 1 + 100 s later', () => {
  const r = simulateProvisioning(base({}));
  assert.equal(r.scalingTime, 20);
  assert.equal(r.serviceTime, 121);
  assert.equal(r.coldStarts, 3000);
  assert.equal(r.peakConcurrency, 3000);
  assert.equal(r.throttled, 2000);
});

test('an account limit of 1,000 forces waves that reuse warm environments', () => {
  const r = simulateProvisioning(base({ accountLimit: 1000, executionS: 10 }));
  // Wave 1 cold at 0 (ends 11), wave 2 warm at 11 (ends 21), wave 3 warm at 21 (ends 31).
  assert.equal(r.scalingTime, 21);
  assert.equal(r.serviceTime, 31);
  assert.equal(r.coldStarts, 1000);
  assert.equal(r.peakConcurrency, 1000);
});

test('short tasks reuse environments freed before the rule allows new ones', () => {
  const r = simulateProvisioning(base({ executionS: 2 }));
  // 1,000 cold at 0 end at 3; the rest take those warm environments at 3 and 5.
  assert.equal(r.coldStarts, 1000);
  assert.equal(r.scalingTime, 5);
  assert.equal(r.serviceTime, 7);
});

test('packing p=3 needs 1,000 instances: all start at once', () => {
  const r = simulateProvisioning(base({ packingDegree: 3, executionS: 150 }));
  assert.equal(r.instances, 1000);
  assert.equal(r.scalingTime, 0);
  assert.equal(r.serviceTime, 151);
});

test('median and tail count tasks, not instances; dispatch and return overheads add', () => {
  const r = simulateProvisioning(
    base({ accountLimit: 1000, executionS: 10, metric: 'median', dispatchLatencyS: 0.5, returnOverheadS: 0.25 }),
  );
  // Task 1,500 of 3,000 runs in wave 2, which ends at 21.
  assert.equal(r.serviceTime, 21.75);
});

test('cost bills every instance and the init of each cold start', () => {
  const r = simulateProvisioning(base({ concurrency: 10, executionS: 2, billedInitS: 0.5, lastExecutionS: 1, packingDegree: 3 }));
  const bill = (d: number, i: number) => invocationCostUsd({ durationS: d, initDurationS: i }, 1024, 'x86_64');
  // Four instances: three of 2 s and the last of 1 s, all cold.
  const expected = 3 * bill(2, 0) + bill(1, 0) + 4 * (bill(2, 0.5) - bill(2, 0));
  assert.ok(Math.abs(r.cost - expected) < 1e-12);
});

test('a retry interval rounds the wait for capacity up to the client backoff grid', () => {
  const r = simulateProvisioning(base({ concurrency: 2, accountLimit: 1, executionS: 1.2, coldStartS: 0, retryIntervalS: 1 }));
  assert.equal(r.scalingTime, 2);
  assert.equal(r.serviceTime, 3.2);
});

// Its speed is measured by `npm run bench:model`, not here.
test('100,000 tasks without packing against an account limit of 10,000 run in ten waves at least', () => {
  const r = simulateProvisioning(base({ concurrency: 100000, accountLimit: 10000, executionS: 30 }));
  assert.equal(r.instances, 100000);
  assert.ok(r.serviceTime > 30 * 10, 'ten waves at least');
  assert.equal(r.peakConcurrency, 10000);
});

test('a rate measured end to end bounds warm starts too: 100 short tasks at 10 starts/s take 9.9 s to start', () => {
  const rule = { name: 'measured', burst: 1, perInterval: 1, intervalS: 0.1, limitsEveryStart: true };
  const r = simulateProvisioning(base({ concurrency: 100, executionS: 0.05, coldStartS: 0, rule }));
  assert.ok(Math.abs(r.scalingTime - 9.9) < 1e-9, String(r.scalingTime));
  // Each environment is free again before the next start, so one environment serves all 100.
  assert.equal(r.coldStarts, 1);
  const unbounded = simulateProvisioning(
    base({ concurrency: 100, executionS: 0.05, coldStartS: 0, rule: { ...rule, limitsEveryStart: false } }),
  );
  assert.ok(unbounded.scalingTime < 5, `without the flag warm reuse outpaces the rate: ${unbounded.scalingTime} s`);
});
