import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PRICE, invocationCostUsd, priceFor, vcpusForMemory } from '../../../src/core/pricing';

test('billing rounds up to the next millisecond and adds the request fee', () => {
  const c = invocationCostUsd({ durationS: 0.0101 }, 1024, 'x86_64');
  assert.ok(Math.abs(c - (0.011 * 0.0000166667 + 0.2e-6)) < 1e-15);
  const exact = invocationCostUsd({ durationS: 0.01 }, 1024, 'x86_64');
  assert.ok(Math.abs(exact - (0.01 * 0.0000166667 + 0.2e-6)) < 1e-15);
});

test('arm64 is cheaper per GB-s and memory scales the price', () => {
  const x86 = invocationCostUsd({ durationS: 1 }, 2048, 'x86_64') - DEFAULT_PRICE.requestUsd;
  const arm = invocationCostUsd({ durationS: 1 }, 2048, 'arm64') - DEFAULT_PRICE.requestUsd;
  assert.ok(Math.abs(x86 - 2 * 0.0000166667) < 1e-15);
  assert.ok(Math.abs(arm - 2 * 0.0000133334) < 1e-15);
});

test('billed init duration is charged like run time', () => {
  const warm = invocationCostUsd({ durationS: 1 }, 1024, 'x86_64');
  const cold = invocationCostUsd({ durationS: 1, initDurationS: 0.25 }, 1024, 'x86_64');
  assert.ok(Math.abs(cold - warm - 0.25 * 0.0000166667) < 1e-15);
});

test('regions override the default price as data', () => {
  assert.equal(priceFor('us-east-1'), DEFAULT_PRICE);
  assert.ok(priceFor('af-south-1').gbSecondUsd.x86_64 > DEFAULT_PRICE.gbSecondUsd.x86_64);
});

test('one vCPU per 1,769 MB, six at most', () => {
  assert.equal(vcpusForMemory(1769), 1);
  assert.equal(vcpusForMemory(10240), 6);
  assert.ok(vcpusForMemory(128) < 0.1);
});
