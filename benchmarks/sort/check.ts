import type { S3Client } from '@aws-sdk/client-s3';
import { getObjectBytes, getObjectJson } from '../../src/runtime/s3';
import { FailureList, type CheckReport, type PreparedJob } from '../types';
import { sortKeys } from './keys';
import type { SortManifest } from './input';
import { keyHi, keyLo, RecordChecksum, recordCount } from './records';

/** Verifies global key order across the output partitions, the record count and the records' checksum. */
export async function checkSort(s3: S3Client, job: PreparedJob): Promise<CheckReport> {
  const manifest = await getObjectJson<SortManifest>(s3, job.bucket, sortKeys.manifest(job.prefix));
  const failures = new FailureList();
  const seen = new RecordChecksum();
  let prev: { hi: number; lo: number; where: string } | undefined;
  // Sequential on purpose: order is checked across partition boundaries, one part in memory at a time.
  for (let r = 0; r < manifest.partitions; r++) {
    const key = sortKeys.output(job.prefix, r);
    let data: Uint8Array;
    try {
      data = await getObjectBytes(s3, job.bucket, key);
      recordCount(data, key);
    } catch (err) {
      failures.add(`${key}: ${(err as Error).message || (err as Error).name}`);
      continue;
    }
    seen.add(data);
    const n = data.length / 100;
    for (let i = 0; i < n; i++) {
      const hi = keyHi(data, i);
      const lo = keyLo(data, i);
      if (prev && (hi < prev.hi || (hi === prev.hi && lo < prev.lo))) failures.add(`${key} record ${i}: key smaller than ${prev.where}`);
      prev = { hi, lo, where: `${key} record ${i}` };
    }
  }
  const got = seen.toJSON();
  if (got.count !== manifest.input.count) failures.add(`record count ${got.count}, expected ${manifest.input.count}`);
  else if (got.sum !== manifest.input.sum || got.xor !== manifest.input.xor)
    failures.add('record checksum differs from the input: records were altered');
  return failures.report(got.count);
}
