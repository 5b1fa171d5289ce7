// Issue 18: percentiles never above the maximum, Lambda's 900 s limit in the what-if, the remainder
// instance's load, extrapolation labels, one account-limit default, least-violating choices, and the
// what-if keeping the report's weights and tail percentile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFittedModel, degreeFitsTimeout, fittedExecutionTime } from '../../../src/core/fitted-model';
import { DEFAULT_ACCOUNT_LIMIT } from '../../../src/core/limits';
import { candidatesFor, chooseDegree, optimize } from '../../../src/core/optimizer';
import { predict } from '../../../src/core/predict';
import { constraintViolation } from '../../../src/core/score';
import { SCALING_RULES } from '../../../src/core/provisioning-sim';
import { measuredScalingRule, whatIf, type WhatIfRequest } from '../../../src/core/whatif';
import type { Prediction } from '../../../src/core/types';
import { loadProfile } from '../../../src/engine/profile-store';
import { shippedProfile } from '../../support/fixtures';

const video = loadProfile(shippedProfile('video'));

test('p50 ≤ p90 ≤ p95 ≤ max, and the tail metric is never slower than net', () => {
  for (const [c, p] of [
    [1, 1],
    [40, 40],
    [80, 40],
    [1000, 29],
    [2000, 1],
  ]) {
    const net = predict(video, { concurrency: c, packingDegree: p, metric: 'net' });
    const q = net.percentiles;
    assert.ok(q, 'the fitted model gives percentiles');
    assert.ok(q.p50 <= q.p90 && q.p90 <= q.p95 && q.p95 <= q.max, `C=${c}, p=${p}: ${JSON.stringify(q)}`);
    for (const tailPercentile of [90, 95] as const) {
      const tail = predict(video, { concurrency: c, packingDegree: p, metric: 'tail', tailPercentile });
      assert.ok(tail.serviceTime <= net.serviceTime, `C=${c}, p=${p}: tail ${tail.serviceTime} > net ${net.serviceTime}`);
    }
  }
  // One instance returns all its tasks at once: every percentile is that instance's completion.
  const one = predict(video, { concurrency: 40, packingDegree: 40, metric: 'net' }).percentiles;
  assert.ok(one);
  assert.equal(one.p90, one.max);
});

test('the remainder instance runs under the whole run’s load, not under a run packed at its own q', () => {
  const model = buildFittedModel(video);
  // C = 1000, p = 29: 35 instances, the last with 14 tasks. A run of 490 tasks packed 14 per instance has the
  // same 35 instances of 14 tasks, hence the same tasks at once as the 29-task run.
  const remainder = fittedExecutionTime(model, 14, 1000, 29);
  assert.ok(Math.abs(remainder - fittedExecutionTime(model, 14, 35 * 14)) < 1e-12);
  // The old key (a run of 1000 packed 14 per instance: 72 instances) is a different load here.
  assert.notEqual(remainder, fittedExecutionTime(model, 14, 1000));
  // A full instance is unchanged by the degree argument.
  assert.equal(fittedExecutionTime(model, 29, 1000, 29), fittedExecutionTime(model, 29, 1000));
});

test('whatif: an explicit p past Lambda’s 900 s timeout is an error; auto never picks one', () => {
  assert.throws(
    () => whatIf(video, { concurrencies: [5000], packingDegree: 2000, rule: SCALING_RULES['aws-2023'] }),
    /^RangeError: p=2000 at C=5000 would run one instance longer than Lambda's 900 s limit$/,
  );
  assert.throws(() => predict(video, { concurrency: 5000, packingDegree: 2000, metric: 'net' }), RangeError);
  const auto = whatIf(video, {
    concurrencies: [5000],
    packingDegree: 'auto',
    objective: 'cost',
    maxDegree: 5000,
    rule: SCALING_RULES['aws-2023'],
  });
  const p = auto.points[0].packed.packingDegree;
  assert.ok(degreeFitsTimeout(buildFittedModel(video), p, 5000), `p=${p}`);
  assert.doesNotThrow(() => predict(video, { concurrency: 5000, packingDegree: p, metric: 'net' }));
  assert.equal(auto.points[0].overTimeout, undefined);
});

test('predictions beyond the measured degrees or concurrencies say so, and are not "tested"', () => {
  const inside = predict(video, { concurrency: 1000, packingDegree: 1, metric: 'net' });
  assert.deepEqual(inside.extrapolated, { degree: false, concurrency: false });
  assert.equal(inside.tested, true);
  const wide = predict(video, { concurrency: 100000, packingDegree: 1, metric: 'net' });
  assert.deepEqual(wide.extrapolated, { degree: false, concurrency: true });
  assert.equal(wide.tested, false);
  const maxDegree = buildFittedModel(video).maxMeasuredDegree;
  const deep = predict(video, { concurrency: 5000, packingDegree: maxDegree + 1, metric: 'net' });
  assert.deepEqual(deep.extrapolated, { degree: true, concurrency: false });
  assert.equal(deep.tested, false);
  const r = optimize(video, { concurrency: 100000, objective: 'time', metric: 'net', maxDegree: 2000 });
  assert.equal(r.predicted.extrapolated?.concurrency, true);
  assert.equal(r.predicted.extrapolated?.degree, r.packingDegree > maxDegree);
});

test('one account-limit default: the fitted model and the what-if both assume Lambda’s 1,000 and say so', () => {
  assert.equal(video.concurrencyLimit, undefined, 'the shipped profile records no limit');
  const model = buildFittedModel(video);
  assert.equal(model.concurrencyLimit, DEFAULT_ACCOUNT_LIMIT);
  assert.equal(model.concurrencyLimitAssumed, true);
  const w = whatIf(video, { concurrencies: [10], packingDegree: 1, rule: SCALING_RULES['aws-2023'] });
  assert.equal(w.accountLimit, DEFAULT_ACCOUNT_LIMIT);
  assert.equal(w.accountLimitAssumed, true);
  const limited = { ...video, concurrencyLimit: 300 };
  assert.equal(buildFittedModel(limited).concurrencyLimitAssumed, false);
  assert.equal(buildFittedModel(limited).concurrencyLimit, 300);
  assert.equal(whatIf(limited, { concurrencies: [10], packingDegree: 1, rule: SCALING_RULES['aws-2023'] }).accountLimitAssumed, false);
});

test('infeasible constraints return the candidate closest to the caps, not the unconstrained best', () => {
  const req = { concurrency: 2000, objective: 'time', metric: 'net', constraints: { maxCostUsd: 0.01 } } as const;
  const candidates = candidatesFor(video, req);
  assert.ok(
    candidates.every((c) => c.cost > 0.01),
    'nothing meets the cap',
  );
  const r = optimize(video, req);
  assert.equal(r.constraintsRelaxed, true);
  const chosen = r.candidates.find((c) => c.packingDegree === r.packingDegree);
  // With only a cost cap, the least overrun is the cheapest candidate; the fastest costs more here.
  assert.equal(chosen?.cost, Math.min(...candidates.map((c) => c.cost)));
  assert.notEqual(chosen?.serviceTime, Math.min(...candidates.map((c) => c.serviceTime)));
});

test('constraint violation: relative overruns summed; ties of violation go to the objective', () => {
  assert.equal(constraintViolation({ timeS: 10, costUsd: 1 }, {}), 0);
  assert.equal(constraintViolation({ timeS: 15, costUsd: 1 }, { maxServiceTimeS: 10, maxCostUsd: 2 }), 0.5);
  assert.ok(Math.abs(constraintViolation({ timeS: 15, costUsd: 3 }, { maxServiceTimeS: 10, maxCostUsd: 2 }) - 1) < 1e-12);
  const pred = (p: number, t: number, k: number): Prediction => ({
    packingDegree: p,
    concurrency: 10,
    serviceTime: t,
    scalingTime: 0,
    cost: k,
    instances: 1,
    executionTime: t,
  });
  const xs = [pred(1, 200, 1), pred(2, 20, 4), pred(3, 30, 4), pred(4, 10, 9)];
  // Both p = 2 and p = 3 meet the time cap; neither meets the cost cap and both overrun it equally: the faster wins.
  const both = chooseDegree(xs, { concurrency: 10, objective: 'time', metric: 'net', constraints: { maxServiceTimeS: 50, maxCostUsd: 2 } });
  assert.deepEqual([both.choice.packingDegree, both.relaxed], [2, true]);
  const feasible = chooseDegree(xs, { concurrency: 10, objective: 'time', metric: 'net', constraints: { maxCostUsd: 5 } });
  assert.deepEqual([feasible.choice.packingDegree, feasible.relaxed], [2, false]);
});

test('whatif keeps the weights and the tail percentile it is given', () => {
  const base: WhatIfRequest = { concurrencies: [2000], packingDegree: 'auto', objective: 'both', rule: SCALING_RULES['aws-2023'] };
  const costly = whatIf(video, { ...base, weights: { cost: 1, time: 0 } }).points[0];
  const quick = whatIf(video, { ...base, weights: { cost: 0, time: 1 } }).points[0];
  const byCost = whatIf(video, { ...base, objective: 'cost' }).points[0];
  const byTime = whatIf(video, { ...base, objective: 'time' }).points[0];
  assert.equal(costly.packed.packingDegree, byCost.packed.packingDegree);
  assert.equal(quick.packed.packingDegree, byTime.packed.packingDegree);
  assert.notEqual(costly.packed.packingDegree, quick.packed.packingDegree);
  const tail = (tailPercentile: 90 | 95): number =>
    // The measured start rate spreads the starts, so the 95th percentile task returns after the 90th.
    whatIf(video, { ...base, packingDegree: 1, metric: 'tail', tailPercentile, rule: measuredScalingRule(video) ?? base.rule }).points[0]
      .packed.serviceTime;
  assert.ok(tail(95) > tail(90), `p95 ${tail(95)} vs p90 ${tail(90)}`);
});
