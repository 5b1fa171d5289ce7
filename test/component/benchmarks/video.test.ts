import { test } from 'node:test';
import assert from 'node:assert/strict';
import { putObjectBytes, getObjectBytes, putObjectJson } from '../../../src/runtime/s3';
import { handler } from '../../../benchmarks/video/function';
import { WORKLOADS } from '../../../benchmarks/workloads';
import type { PreparedJob } from '../../../benchmarks/types';
import type { VideoPayload } from '../../../benchmarks/video/handler';
import { benchmarkFixture, runJob, runPacked } from './harness';

const fx = benchmarkFixture('video', handler, {
  bucket: 'bench',
  prefix: 'v1',
  tasks: 6,
  seed: 11,
  sizes: { width: 160, height: 120, framesPerTask: 5, distinctChunks: 3 },
});

test('video: generated clip → packed scan on worker threads → labels match the ground truth', async () => {
  assert.equal(fx.job.phases[0].payloads.length, 6);
  const [results] = await runJob(handler, fx.job, 3, 'threads');
  const frames = results.reduce((n, r) => n + (r.result as { frames: number }).frames, 0);
  assert.equal(frames, 30);
  const report = await WORKLOADS.video.check(fx.s3, fx.job);
  assert.deepEqual(report, { ok: true, checked: 30, failures: [] });
});

test('video: the check catches a wrong label and a missing output', async () => {
  const [p0, p1] = fx.job.phases[0].payloads as VideoPayload[];
  const good = await getObjectBytes(fx.s3, 'bench', p0.outputKey);
  const out = JSON.parse(Buffer.from(good).toString()) as { labels: string[] };
  out.labels[2] = out.labels[2] === 'empty' ? 'red circle' : 'empty';
  await putObjectJson(fx.s3, 'bench', p0.outputKey, out);
  const broken: PreparedJob = { ...fx.job, phases: [{ name: 'scan', payloads: [p0, { ...p1, outputKey: 'v1/output/none.json' }] }] };
  const report = await WORKLOADS.video.check(fx.s3, broken);
  assert.equal(report.ok, false);
  assert.equal(report.failures.length, 2, report.failures.join('\n'));
  assert.ok(
    report.failures.some((f) => f.startsWith(`${p0.outputKey} frame 2:`)),
    report.failures.join('\n'),
  );
  assert.ok(
    report.failures.some((f) => /none\.json: missing/.test(f)),
    report.failures.join('\n'),
  );
  await putObjectBytes(fx.s3, 'bench', p0.outputKey, good);
});

test('video: corrupt or missing input is a task error, not a crash', async () => {
  const p = (fx.job.phases[0].payloads as VideoPayload[])[0];
  const clip = await getObjectBytes(fx.s3, 'bench', p.chunkKey);
  await putObjectBytes(fx.s3, 'bench', 'v1/input/truncated.mjpeg', clip.subarray(0, Math.floor(clip.length / 2)));
  await putObjectBytes(fx.s3, 'bench', 'v1/input/garbage.mjpeg', new Uint8Array(1000).fill(7));
  const bad = [
    { ...p, chunkKey: 'v1/input/truncated.mjpeg', outputKey: 'v1/x1.json' },
    { ...p, chunkKey: 'v1/input/garbage.mjpeg', outputKey: 'v1/x2.json' },
    { ...p, chunkKey: 'v1/input/absent.mjpeg', outputKey: 'v1/x3.json' },
    { bucket: 'bench' },
    p,
  ];
  for (const mode of ['threads', 'async'] as const) {
    const r = await runPacked(handler, bad, bad.length, mode);
    assert.deepEqual(
      r.map((t) => t.status),
      ['error', 'error', 'error', 'error', 'ok'],
      mode,
    );
    assert.match(r[0].error?.message ?? '', /truncated/);
    assert.equal(r[1].error?.type, 'BadInputError');
    assert.equal(r[2].error?.type, 'NoSuchKey');
    assert.match(r[3].error?.message ?? '', /chunkKey/);
  }
});
