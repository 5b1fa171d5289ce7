import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_SIZES, demoSizes } from '../../../benchmarks/workloads';

test('the demo keeps its task sizes up to C = 256, and keeps the job at about that work above it', () => {
  assert.deepEqual(demoSizes(32), DEMO_SIZES);
  assert.deepEqual(demoSizes(256), DEMO_SIZES);
  const wide = demoSizes(1000);
  assert.deepEqual(wide.video, { framesPerTask: 1 });
  assert.deepEqual(wide.sort, { recordsPerTask: 2560, partitions: 8 }, 'a shuffle of maps × 8 objects, not a million');
  assert.deepEqual(wide['stateless-cost'], { width: 320, height: 240, size: 152 }, 'the thumbnail shrinks with the photo');
  // Never below a workable task, however wide.
  const widest = demoSizes(5000);
  assert.equal(widest.video.framesPerTask, 1);
  assert.equal(widest.sort.recordsPerTask, 1000);
  assert.ok(widest['stateless-cost'].width % 16 === 0 && widest['stateless-cost'].width >= 16);
});
