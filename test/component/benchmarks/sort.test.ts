import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getObjectBytes, putObjectBytes } from '../../../src/runtime/s3';
import { handler } from '../../../benchmarks/sort/function';
import type { SortMapPayload } from '../../../benchmarks/sort/handler';
import { sortKeys } from '../../../benchmarks/sort/keys';
import { RECORD_BYTES } from '../../../benchmarks/sort/records';
import { WORKLOADS } from '../../../benchmarks/workloads';
import { benchmarkFixture, runJob, runPacked } from './harness';

// 5 maps over 4 distinct splits (one reused), 3 reduce partitions.
const fx = benchmarkFixture('sort', handler, {
  bucket: 'bench',
  prefix: 's1',
  tasks: 5,
  seed: 5,
  sizes: { recordsPerTask: 3000, distinctSplits: 4, partitions: 3 },
});

test('sort: map (partition + sort) then reduce (merge) gives globally ordered output with every record', async () => {
  assert.deepEqual(
    fx.job.phases.map((p) => [p.name, p.payloads.length]),
    [
      ['map', 5],
      ['reduce', 3],
    ],
  );
  const [maps, reduces] = await runJob(handler, fx.job, 2);
  assert.deepEqual(
    maps.map((r) => (r.result as { records: number }).records),
    [3000, 3000, 3000, 3000, 3000],
  );
  assert.equal(
    reduces.reduce((n, r) => n + (r.result as { records: number }).records, 0),
    15000,
  );
  const report = await WORKLOADS.sort.check(fx.s3, fx.job);
  assert.deepEqual(report, { ok: true, checked: 15000, failures: [] });
  // The same fx.job in threads mode gives the same bytes.
  const part1 = await getObjectBytes(fx.s3, 'bench', sortKeys.output('s1', 1));
  await runJob(handler, fx.job, 5, 'threads');
  assert.deepEqual(await getObjectBytes(fx.s3, 'bench', sortKeys.output('s1', 1)), part1);
});

test('sort: the check catches out-of-order, lost and altered records', async () => {
  const key = sortKeys.output('s1', 1);
  const good = await getObjectBytes(fx.s3, 'bench', key);
  const swapped = Uint8Array.from(good);
  swapped.set(good.subarray(0, RECORD_BYTES), RECORD_BYTES);
  swapped.set(good.subarray(RECORD_BYTES, 2 * RECORD_BYTES), 0);
  const cases: [Uint8Array, RegExp][] = [
    [swapped, /key smaller than/],
    [good.subarray(RECORD_BYTES), /record count 14999, expected 15000/],
    [Uint8Array.from(good, (b, i) => (i === 50 ? b ^ 1 : b)), /checksum differs/],
    [good.subarray(0, 150), /not a whole number/],
  ];
  for (const [data, reason] of cases) {
    await putObjectBytes(fx.s3, 'bench', key, data);
    const report = await WORKLOADS.sort.check(fx.s3, fx.job);
    assert.equal(report.ok, false);
    assert.ok(
      report.failures.some((f) => reason.test(f)),
      `${reason}: ${report.failures.join('; ')}`,
    );
  }
  await putObjectBytes(fx.s3, 'bench', key, good);
  assert.equal((await WORKLOADS.sort.check(fx.s3, fx.job)).ok, true);
});

test('sort: corrupt or missing input is a task error, not a crash', async () => {
  const map = fx.job.phases[0].payloads[0] as SortMapPayload;
  await putObjectBytes(fx.s3, 'bench', 's1/input/bad.bin', new Uint8Array(250));
  const r = await runPacked(
    handler,
    [
      { ...map, inputKey: 's1/input/bad.bin', prefix: 'scratch' },
      { ...map, inputKey: 's1/input/none.bin', prefix: 'scratch' },
      { ...map, phase: 'shuffle' },
      { phase: 'reduce', bucket: 'bench', prefix: 'scratch-empty', partition: 0, maps: 2 },
      { ...map, prefix: 'scratch' },
    ],
    5,
  );
  assert.deepEqual(
    r.map((t) => t.status),
    ['error', 'error', 'error', 'error', 'ok'],
  );
  assert.equal(r[0].error?.type, 'BadInputError');
  assert.equal(r[1].error?.type, 'NoSuchKey');
  assert.match(r[2].error?.message ?? '', /phase/);
  assert.equal(r[3].error?.type, 'NoSuchKey');
});
