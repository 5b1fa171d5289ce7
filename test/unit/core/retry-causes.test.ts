import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeRetries, mergeRetryCauses, RetryCauseTally } from '../../../src/core/run-metrics';
import { runRecordProblem } from '../../../src/core/run-record';

test('retried attempts are counted by reason, most frequent first', () => {
  const t = new RetryCauseTally();
  t.add('Sandbox.Timedout: Task timed out after 3.00 seconds', 2);
  t.add('Error: socket hang up');
  t.add('Sandbox.Timedout: Task timed out after 3.00 seconds');
  t.add('nothing retried', 0);
  assert.deepEqual(t.list(), [
    { reason: 'Sandbox.Timedout: Task timed out after 3.00 seconds', count: 3 },
    { reason: 'Error: socket hang up', count: 1 },
  ]);
});

test('past eight distinct reasons the rest are counted together, none dropped', () => {
  const t = new RetryCauseTally();
  for (let i = 0; i < 12; i++) t.add(`Error: key k${i} not found`, 1);
  const list = t.list();
  assert.equal(list.length, 9);
  assert.deepEqual(list[8], { reason: 'other reasons', count: 4 });
  assert.equal(
    list.reduce((a, c) => a + c.count, 0),
    12,
  );
});

test("a job's phases merge their causes", () => {
  const merged = mergeRetryCauses([
    [{ reason: 'a', count: 1 }],
    undefined,
    [
      { reason: 'b', count: 3 },
      { reason: 'a', count: 1 },
    ],
  ]);
  assert.deepEqual(merged, [
    { reason: 'b', count: 3 },
    { reason: 'a', count: 2 },
  ]);
});

test('the log line names the count and each cause', () => {
  assert.equal(describeRetries(0, []), '0 retries');
  assert.equal(
    describeRetries(3, [
      { reason: 'Error: x', count: 2 },
      { reason: 'not run', count: 1 },
    ]),
    '3 retries (Error: x ×2; not run ×1)',
  );
});

test('a run file with malformed retry causes is refused with the field named', () => {
  const record = {
    id: 'r1',
    functionName: 'f',
    createdAt: '2026-12-03T00:00:00Z',
    platform: 'local',
    concurrency: 4,
    label: 'x',
    dispatch: 'sync',
    measured: {
      packingDegree: 1,
      serviceTime: 1,
      p50: 1,
      p90: 1,
      p95: 1,
      scalingTime: 0,
      cost: 0,
      tasks: { total: 1, succeeded: 1, failed: 0 },
      throttles: 0,
      retries: 0,
      completionTimes: [1],
    },
  };
  assert.equal(runRecordProblem(record), undefined, 'a record saved before causes were kept still reads');
  assert.equal(runRecordProblem({ ...record, measured: { ...record.measured, retryCauses: [{ reason: 'a', count: 1 }] } }), undefined);
  assert.equal(
    runRecordProblem({ ...record, measured: { ...record.measured, retryCauses: [{ reason: 3 }] } }),
    'measured.retryCauses is not an array of { reason, count }',
  );
});
