import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as jpeg from 'jpeg-js';
import { getObjectBytes, putObjectBytes } from '../../../src/runtime/s3';
import { handler } from '../../../benchmarks/stateless-cost/function';
import type { ImagePayload } from '../../../benchmarks/stateless-cost/handler';
import { crop, resizeBilinear } from '../../../benchmarks/stateless-cost/image';
import { WORKLOADS } from '../../../benchmarks/workloads';
import { benchmarkFixture, runJob, runPacked } from './harness';

const fx = benchmarkFixture('stateless-cost', handler, {
  bucket: 'bench',
  prefix: 'i1',
  tasks: 4,
  seed: 3,
  sizes: { width: 400, height: 300, distinctImages: 2 },
});

test('bilinear resize: exact on a linear ramp, and crop takes the right pixels', () => {
  const w = 8;
  const data = new Uint8Array(w * 1 * 4);
  for (let x = 0; x < w; x++) data.set([x * 30, 0, 0, 255], x * 4);
  const half = resizeBilinear({ width: w, height: 1, data }, 4, 1);
  // Output pixel i samples source x = 2i + 0.5: halfway between two ramp values.
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => half.data[i * 4]),
    [15, 75, 135, 195],
  );
  const c = crop({ width: w, height: 1, data }, { left: 5, top: 0, width: 2, height: 1 });
  assert.deepEqual([c.data[0], c.data[4]], [150, 180]);
  assert.throws(() => crop({ width: w, height: 1, data }, { left: 7, top: 0, width: 2, height: 1 }), RangeError);
});

test('stateless-cost: packed decode → crop → 300×300 resize → encode matches the analytic photo', async () => {
  const [results] = await runJob(handler, fx.job, 2, 'threads');
  assert.ok(results.every((r) => (r.result as { width: number }).width === 300));
  const out = jpeg.decode(await getObjectBytes(fx.s3, 'bench', (fx.job.phases[0].payloads[0] as ImagePayload).outputKey));
  assert.deepEqual([out.width, out.height], [300, 300]);
  assert.deepEqual(await WORKLOADS['stateless-cost'].check(fx.s3, fx.job), { ok: true, checked: 4, failures: [] });
});

test('stateless-cost: the check catches a wrong crop and a wrong size', async () => {
  const [p0, p1] = fx.job.phases[0].payloads as ImagePayload[];
  const shifted = { ...p0, crop: { ...p0.crop, left: p0.crop.left > 60 ? p0.crop.left - 60 : p0.crop.left + 60 } };
  const small = { ...p1, size: 200 };
  await runPacked(handler, [shifted, small], 2);
  const report = await WORKLOADS['stateless-cost'].check(fx.s3, fx.job);
  assert.equal(report.ok, false);
  assert.ok(
    report.failures.some((f) => f.startsWith(`${p0.outputKey}: mean pixel error`)),
    report.failures.join('; '),
  );
  assert.ok(
    report.failures.some((f) => f.startsWith(`${p1.outputKey}: 200x200`)),
    report.failures.join('; '),
  );
});

test('stateless-cost: corrupt or missing input and a bad crop are task errors, not crashes', async () => {
  const p = fx.job.phases[0].payloads[0] as ImagePayload;
  await putObjectBytes(fx.s3, 'bench', 'i1/input/corrupt.jpg', Uint8Array.from([0xff, 0xd8, 0xff, 0xdb, 0, 5, 1, 2, 3]));
  const r = await runPacked(
    handler,
    [
      { ...p, inputKey: 'i1/input/corrupt.jpg', outputKey: 'i1/x1.jpg' },
      { ...p, inputKey: 'i1/input/none.jpg', outputKey: 'i1/x2.jpg' },
      { ...p, crop: { left: 390, top: 0, width: 100, height: 100 }, outputKey: 'i1/x3.jpg' },
      { ...p, outputKey: 'i1/x4.jpg' },
    ],
    4,
    'threads',
  );
  assert.deepEqual(
    r.map((t) => t.status),
    ['error', 'error', 'error', 'ok'],
  );
  assert.equal(r[1].error?.type, 'NoSuchKey');
  assert.equal(r[2].error?.type, 'RangeError');
});
