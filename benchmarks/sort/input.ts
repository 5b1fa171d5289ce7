import type { S3Client } from '@aws-sdk/client-s3';
import { putObjectBytes, putObjectJson } from '../../src/runtime/s3';
import { mapLimit } from '../shared/concurrency';
import { Rng, subSeed } from '../shared/rng';
import { resolveSizes } from '../shared/sizes';
import type { PrepareOptions, PreparedJob } from '../types';
import type { SortMapPayload, SortReducePayload } from './handler';
import { sortKeys } from './keys';
import { RECORD_BYTES, RecordChecksum, writeRecord } from './records';

/** Size knobs: records per map split (100 B each), distinct splits (maps beyond reuse them), reduce partitions (0 = as many as maps). */
export const SORT_SIZES = { recordsPerTask: 40_000, distinctSplits: 16, partitions: 0 };
export type SortSizes = typeof SORT_SIZES;

/** What the check needs: how many records went in and their checksum. */
export interface SortManifest {
  maps: number;
  partitions: number;
  input: { count: number; sum: number; xor: number };
}

/** Split `s` of a job: `records` gensort-style records, deterministic from (seed, s). */
export function generateSplit(seed: number, s: number, records: number): Uint8Array {
  const rng = new Rng(subSeed(seed, s));
  const out = new Uint8Array(records * RECORD_BYTES);
  for (let r = 0; r < records; r++) writeRecord(rng, s * records + r, out, r * RECORD_BYTES);
  return out;
}

/** Generates the input splits and manifest into S3; returns map payloads, then reduce payloads. */
export async function prepareSort(s3: S3Client, opts: PrepareOptions): Promise<PreparedJob> {
  const sizes = resolveSizes(SORT_SIZES, opts.sizes);
  const seed = opts.seed ?? 1;
  const maps = opts.tasks;
  const partitions = sizes.partitions || maps;
  const splits = Math.min(maps, sizes.distinctSplits);
  const sums = await mapLimit(
    Array.from({ length: splits }, (_, s) => s),
    4,
    async (s) => {
      const data = generateSplit(seed, s, sizes.recordsPerTask);
      await putObjectBytes(s3, opts.bucket, sortKeys.split(opts.prefix, s), data);
      return new RecordChecksum().add(data);
    },
  );
  // Maps reuse splits round-robin: the expected multiset counts each split once per map that reads it.
  const input = { count: 0, sum: 0, xor: 0 };
  for (let m = 0; m < maps; m++) {
    const c = sums[m % splits];
    input.count += c.count;
    input.sum = (input.sum + c.sum) >>> 0;
    input.xor = (input.xor ^ c.xor) >>> 0;
  }
  await putObjectJson(s3, opts.bucket, sortKeys.manifest(opts.prefix), { maps, partitions, input } satisfies SortManifest);
  const base = { bucket: opts.bucket, prefix: opts.prefix };
  const mapPayloads: SortMapPayload[] = Array.from({ length: maps }, (_, m) => ({
    phase: 'map',
    ...base,
    map: m,
    inputKey: sortKeys.split(opts.prefix, m % splits),
    partitions,
  }));
  const reducePayloads: SortReducePayload[] = Array.from({ length: partitions }, (_, r) => ({
    phase: 'reduce',
    ...base,
    partition: r,
    maps,
  }));
  return {
    benchmark: 'sort',
    bucket: opts.bucket,
    prefix: opts.prefix,
    sizes: { ...sizes, partitions },
    phases: [
      { name: 'map', payloads: mapPayloads },
      { name: 'reduce', payloads: reducePayloads },
    ],
  };
}
