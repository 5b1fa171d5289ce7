import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as jpeg from 'jpeg-js';
import { classify, extractFeatures } from '../../../benchmarks/video/classify';
import { generateChunk, VIDEO_SIZES } from '../../../benchmarks/video/input';
import { splitMjpeg } from '../../../benchmarks/video/mjpeg';
import { generateSplit } from '../../../benchmarks/sort/input';
import { keyHi, keyLo, partitionOf, RECORD_BYTES, RecordChecksum } from '../../../benchmarks/sort/records';
import { photoParams, IMAGE_SIZES } from '../../../benchmarks/stateless-cost/input';
import { resolveSizes } from '../../../benchmarks/shared/sizes';

const small = { ...VIDEO_SIZES, width: 96, height: 72, framesPerTask: 4 };

test('generators are deterministic from the seed and differ across seeds', () => {
  const two = { ...small, framesPerTask: 2 };
  assert.deepEqual(generateChunk(4, 2, two), generateChunk(4, 2, two));
  assert.notDeepEqual(generateChunk(4, 2, two).mjpeg, generateChunk(5, 2, two).mjpeg);
  assert.deepEqual(generateSplit(9, 1, 100), generateSplit(9, 1, 100));
  assert.notDeepEqual(generateSplit(9, 1, 100), generateSplit(9, 2, 100));
  assert.deepEqual(photoParams(3, 0, IMAGE_SIZES), photoParams(3, 0, IMAGE_SIZES));
});

test('MJPEG split returns each frame intact; truncation is an error', () => {
  const { mjpeg, labels } = generateChunk(1, 0, small);
  const frames = splitMjpeg(mjpeg);
  assert.equal(frames.length, labels.length);
  assert.equal(
    frames.reduce((n, f) => n + f.length, 0),
    mjpeg.length,
  );
  frames.forEach((f, i) =>
    assert.equal(classify(extractFeatures(jpeg.decode(f, { useTArray: true }).data, small.width, small.height)), labels[i]),
  );
  assert.throws(() => splitMjpeg(mjpeg.subarray(0, mjpeg.length - 1)), /truncated/);
  assert.throws(() => splitMjpeg(Uint8Array.from([1, 2, 3])), /start-of-image/);
});

test('sort records: partitions follow key order; the checksum ignores order but sees changes', () => {
  const data = generateSplit(2, 0, 2000);
  for (let i = 0; i < 2000; i++) {
    assert.equal(data[i * RECORD_BYTES + 10], 0x00);
    assert.equal(data[i * RECORD_BYTES + 11], 0x11);
  }
  const order = Array.from({ length: 2000 }, (_, i) => i).sort(
    (a, b) => keyHi(data, a) - keyHi(data, b) || keyLo(data, a) - keyLo(data, b),
  );
  const parts = order.map((i) => partitionOf(data, i, 7));
  assert.deepEqual(
    parts,
    [...parts].sort((a, b) => a - b),
    'partition index is monotone in the key',
  );
  assert.equal(new Set(parts).size, 7);
  const reversed = new Uint8Array(data.length);
  for (let i = 0; i < 2000; i++) reversed.set(data.subarray(i * RECORD_BYTES, (i + 1) * RECORD_BYTES), (1999 - i) * RECORD_BYTES);
  assert.deepEqual(new RecordChecksum().add(reversed).toJSON(), new RecordChecksum().add(data).toJSON());
  reversed[5] ^= 0x40;
  assert.notDeepEqual(new RecordChecksum().add(reversed).toJSON(), new RecordChecksum().add(data).toJSON());
});

test('size overrides are checked', () => {
  assert.deepEqual(resolveSizes({ a: 1, b: 0 }, { b: 3 }), { a: 1, b: 3 });
  assert.throws(() => resolveSizes({ a: 1 }, { c: 1 }), /unknown size "c"/);
  assert.throws(() => resolveSizes({ a: 1 }, { a: 0 }), /≥ 1/);
});
