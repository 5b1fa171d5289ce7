// A job's later phases run on the first phase's warm instances: sort's 8 reducers after 1,000 maps packed
// 126 per instance must not all land on one instance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phaseDegrees } from '../../../src/core/job-phases';

test('the first phase packs p (at most its task count); later phases spread over its instances', () => {
  assert.deepEqual(phaseDegrees(126, [1000, 8]), [126, 1], '8 map instances: one reducer each');
  assert.deepEqual(phaseDegrees(17, [32, 32]), [17, 16], '2 map instances: 16 reducers each');
  assert.deepEqual(phaseDegrees(1, [1000, 8]), [1, 1]);
  assert.deepEqual(phaseDegrees(1000, [1000, 8]), [1000, 8], 'one map instance: the reducers share it');
  assert.deepEqual(phaseDegrees(50, [20, 3]), [20, 3], 'p above the first phase: one instance');
  assert.deepEqual(phaseDegrees(4, [10]), [4]);
  assert.deepEqual(phaseDegrees(3, []), []);
});

test('no phase packs more tasks than it has, and every task of a later phase has an instance', () => {
  for (const p of [1, 2, 3, 7, 16, 33, 100])
    for (const counts of [
      [100, 1],
      [100, 7],
      [64, 64],
      [5, 200],
    ]) {
      const d = phaseDegrees(p, counts);
      const instances0 = Math.ceil(counts[0] / d[0]);
      assert.ok(d[0] <= counts[0] && d[0] >= 1);
      assert.ok(d[1] >= 1 && d[1] <= counts[1], `${p} ${counts}: ${d}`);
      assert.ok(Math.ceil(counts[1] / d[1]) <= instances0, `${p} ${counts}: later phase starts no new instances`);
    }
});
