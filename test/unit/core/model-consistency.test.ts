// Issue 18: percentiles never above the maximum, Lambda's 900 s limit in the what-if, the remainder
// instance's load, extrapolation labels, one account-limit default, least-violating choices, and the
// what-if keeping the report's weights and tail percentile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFittedModel, degreeFitsTimeout, fitPackingCurve, fittedExecutionTime } from '../../../src/core/fitted-model';
import { isotonicNonDecreasing } from '../../../src/core/stats';
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
  // A load factor that rises with the tasks at once (the shipped profile's is nearly flat past 100).
  const model = { ...buildFittedModel(video), load: { concurrency: [1, 1000, 5000], factor: [1, 1.5, 3] } };
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
  // Weights all on one axis pick its strict optimum; the single objectives may take a near tie (within the
  // model's noise) that is better on the other axis.
  const noise = buildFittedModel(video).noise;
  assert.ok(costly.packed.cost <= byCost.packed.cost && byCost.packed.cost <= costly.packed.cost * (1 + noise));
  assert.ok(quick.packed.serviceTime <= byTime.packed.serviceTime && byTime.packed.serviceTime <= quick.packed.serviceTime * (1 + noise));
  assert.notEqual(costly.packed.packingDegree, quick.packed.packingDegree);
  const tail = (tailPercentile: 90 | 95): number =>
    // The measured start rate spreads the starts, so the 95th percentile task returns after the 90th.
    whatIf(video, { ...base, packingDegree: 1, metric: 'tail', tailPercentile, rule: measuredScalingRule(video) ?? base.rule }).points[0]
      .packed.serviceTime;
  assert.ok(tail(95) > tail(90), `p95 ${tail(95)} vs p90 ${tail(90)}`);
});

test('isotonic fit: adjacent values that go down are pooled by weight, the rest kept', () => {
  assert.deepEqual(isotonicNonDecreasing([1, 2, 3]), [1, 2, 3]);
  assert.deepEqual(isotonicNonDecreasing([1, 3, 2], [1, 1, 3]), [1, 2, 2]);
  assert.deepEqual(isotonicNonDecreasing([1, 3, 2], [1, 3, 1]), [1, 3, 3]);
  // One slow level among flat ones is voted down, not averaged into all of them.
  const pooled = isotonicNonDecreasing([1, 1.224, 1.007, 1.0, 0.999, 1.0, 1.3]);
  for (let i = 1; i < pooled.length; i++) assert.ok(pooled[i] >= pooled[i - 1], JSON.stringify(pooled));
  assert.deepEqual(
    pooled.slice(1, 6),
    [1, 1, 1, 1, 1].map(() => pooled[1]),
  );
  assert.ok(pooled[1] <= 1.007 && pooled[6] === 1.3, JSON.stringify(pooled));
});

test('the load factor never falls as more tasks run at once (one slow run at C=100 does not dent it)', () => {
  const { factor } = buildFittedModel(video).load;
  for (let i = 1; i < factor.length; i++) assert.ok(factor[i] >= factor[i - 1], `L = ${JSON.stringify(factor)}`);
  // Cost at C=1000 then falls as packing amortizes each instance's fixed time, instead of zigzagging in p.
  const costs = candidatesFor(video, { concurrency: 1000, objective: 'cost', metric: 'net' }).map((c) => c.cost);
  const ups = costs.filter((c, i) => i > 0 && c > costs[i - 1] * 1.001).length;
  assert.ok(ups <= 2, `${ups} rises in cost over p`);
});

test('a cost difference inside the model noise does not buy a much slower p; the classic model keeps its argmin', () => {
  const pred = (p: number, serviceTime: number, cost: number): Prediction => ({
    packingDegree: p,
    concurrency: 1000,
    serviceTime,
    scalingTime: 1,
    cost,
    instances: Math.ceil(1000 / p),
    executionTime: serviceTime - 1,
    tested: true,
  });
  const cands = [pred(1, 50, 0.45), pred(12, 15.4, 0.1419), pred(20, 20, 0.1448), pred(29, 28.2, 0.1414)];
  const req = { concurrency: 1000, objective: 'cost' as const, metric: 'net' as const };
  assert.equal(chooseDegree(cands, req).choice.packingDegree, 29, 'strict argmin without a tolerance');
  const tie = chooseDegree(cands, req, 0.01);
  assert.deepEqual([tie.choice.packingDegree, tie.nearTie], [12, { argmin: 29, tolerance: 0.01 }]);
  assert.equal(chooseDegree(cands, req, 0.001).choice.packingDegree, 29, '0.35% is outside a 0.1% noise');
  const time = chooseDegree([pred(8, 10, 0.2), pred(10, 10.02, 0.15)], { ...req, objective: 'time' }, 0.01);
  assert.equal(time.choice.packingDegree, 10, 'time within 1% and 25% cheaper');
  const fitted = optimize(video, req);
  const classic = optimize(video, { ...req, model: 'classic' });
  assert.equal(classic.nearTie, undefined);
  if (fitted.nearTie)
    assert.ok(fitted.predicted.serviceTime < (fitted.candidates.find((c) => c.packingDegree === fitted.nearTie?.argmin)?.serviceTime ?? 0));
});

test('a negative knee in the packing curve is noise: the curve is refit as a line instead of keeping the knee fit’s slope', () => {
  // Two vCPUs; past them each task adds less than before (c < 0), which cannot be.
  const points = [1, 2, 3, 4, 6, 8].map((q) => ({ q, t: q <= 2 ? q : 2 + 0.5 * (q - 2) }));
  const [a, b, c] = fitPackingCurve(points, 2);
  assert.equal(c, 0);
  assert.ok(b > 0.5 && b < 0.9, `slope ${b}: the line through all points, not the knee fit's 1`);
  assert.ok(Math.abs(a + b * 8 - 5) < 0.6, `f(8) = ${a + b * 8} near the measured 5`);
});

test('whatif bills each cold start its init, as Lambda has since 2025-08-01, so fewer instances also save init', () => {
  const base: WhatIfRequest = { concurrencies: [1000], packingDegree: 1, rule: SCALING_RULES['aws-2023'] };
  const cost = (coldStartS: number, packingDegree: number): number =>
    whatIf(video, { ...base, coldStartS, packingDegree }).points[0].packed.cost;
  const gbS = (video.function.memoryMb / 1024) * 0.0000166667;
  // One second more init on each of 1,000 cold instances bills 1,000 s more.
  assert.ok(Math.abs(cost(1.25, 1) - cost(0.25, 1) - 1000 * gbS) < 1000 * gbS * 0.01, `${cost(1.25, 1) - cost(0.25, 1)}`);
  // p = 20 starts 50 instances: 50 s more.
  assert.ok(Math.abs(cost(1.25, 20) - cost(0.25, 20) - 50 * gbS) < 50 * gbS * 0.02);
});
