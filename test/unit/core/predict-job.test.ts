// A job of several phases at one p (sort's map, then its reduce) is predicted phase by phase: the demo
// compares that, not one fan-out, with the whole job it measures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelFor, predict, predictJob } from '../../../src/core/predict';
import { loadProfile } from '../../../src/engine/profile-store';
import { shippedProfile } from '../../support/fixtures';

const video = loadProfile(shippedProfile('video'));
const model = modelFor(video);

test('one phase is the fan-out itself', () => {
  const one = predictJob(model, [200], { packingDegree: 10, metric: 'net' });
  assert.deepEqual(one, predict(video, { concurrency: 200, packingDegree: 10, metric: 'net' }));
});

test("phases add their service and scaling times, costs and instances; a later phase spreads over the first one's instances", () => {
  const map = predict(video, { concurrency: 200, packingDegree: 10, metric: 'net' });
  // 20 instances for the map: the 4 reducers get one each, not one instance of 4.
  const reduce = predict(video, { concurrency: 4, packingDegree: 1, metric: 'net' });
  const job = predictJob(model, [200, 4], { packingDegree: 10, metric: 'net' });
  assert.ok(job);
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  assert.ok(close(job.serviceTime, map.serviceTime + reduce.serviceTime), `${job.serviceTime}`);
  assert.ok(close(job.scalingTime, map.scalingTime + reduce.scalingTime));
  assert.ok(close(job.cost, map.cost + reduce.cost));
  assert.equal(job.instances, map.instances + reduce.instances);
  assert.equal(job.packingDegree, 10);
  assert.equal(job.concurrency, 200, "the job's C is its first phase's");
  assert.ok(job.percentiles && map.percentiles && reduce.percentiles);
  assert.ok(close(job.percentiles.max, map.percentiles.max + reduce.percentiles.max));
});

test('a Step Functions dispatch bills every phase', () => {
  const job = predictJob(model, [100, 100], { packingDegree: 5, metric: 'net', dispatch: 'stepfunctions' });
  const one = predict(video, { concurrency: 100, packingDegree: 5, metric: 'net', dispatch: 'stepfunctions' });
  assert.ok(job?.dispatchCost !== undefined && one.dispatchCost !== undefined);
  assert.ok(Math.abs(job.dispatchCost - 2 * one.dispatchCost) < 1e-12);
});

test('a later phase measured at the degree it will run at counts as measured; at another degree, as modelled', () => {
  const measured = { packingDegree: 1, serviceTime: 7, p50: 5, p90: 6, p95: 6.5, scalingTime: 0.25, costUsd: 0.01, instances: 4 };
  const map = predict(video, { concurrency: 200, packingDegree: 10, metric: 'net' });
  const job = predictJob(model, [200, 4], { packingDegree: 10, metric: 'net' }, [undefined, measured]);
  assert.ok(job);
  assert.ok(Math.abs(job.serviceTime - (map.serviceTime + 7)) < 1e-9, `${job.serviceTime}`);
  assert.ok(Math.abs(job.cost - (map.cost + 0.01)) < 1e-12);
  assert.equal(job.instances, map.instances + 4);
  const median = predictJob(model, [200, 4], { packingDegree: 10, metric: 'median' }, [undefined, measured]);
  const mapMedian = predict(video, { concurrency: 200, packingDegree: 10, metric: 'median' });
  assert.ok(median && Math.abs(median.serviceTime - (mapMedian.serviceTime + 5)) < 1e-9, 'the metric picks the order statistic');
  // At p = 200 the map runs on one instance, so the 4 reducers share it (p = 4): the measurement at p = 1 does not apply.
  const packed = predictJob(model, [200, 4], { packingDegree: 200, metric: 'net' }, [undefined, measured]);
  const modelled = predictJob(model, [200, 4], { packingDegree: 200, metric: 'net' });
  assert.deepEqual(packed, modelled);
});
