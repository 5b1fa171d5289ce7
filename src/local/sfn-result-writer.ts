/**
 * The Map's ResultWriter: the child executions of a finished Map Run written to S3 in AWS's layout,
 * `<Prefix>/<map run id>/SUCCEEDED_<n>.json`, `FAILED_<n>.json` (aborted children among the failed, with
 * their own status) and last `manifest.json` naming them, so a manifest means every file it names exists.
 */
import type { MapResultManifest } from '../core/step-functions';
import type { SignedS3 } from './s3-signed';

/** One child execution as ResultWriter writes it (dates as ISO text). */
export interface ResultEntry {
  ExecutionArn: string;
  Input: string;
  InputDetails: { Included: true };
  Name: string;
  Output?: string;
  OutputDetails?: { Included: true };
  RedriveCount: 0;
  RedriveStatus: 'NOT_REDRIVABLE';
  StartDate: string;
  StateMachineArn: string;
  Status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  StopDate: string;
  Error?: string;
  Cause?: string;
}

/** A result file holds at most this many entries ... */
export const ENTRIES_PER_FILE = 1000;
/** ... and at most this many bytes of JSON, beyond one entry (5 MiB). */
export const BYTES_PER_FILE = 5 * 1024 * 1024;

/** The folder of a Map Run's results: `<prefix>/<id>` (no doubled or leading slash). */
export function resultFolder(prefix: string, mapRunId: string): string {
  const p = prefix.replace(/\/+$/, '');
  return p === '' ? mapRunId : `${p}/${mapRunId}`;
}

/** Splits entries into files of at most ENTRIES_PER_FILE entries and about BYTES_PER_FILE bytes each. */
export function splitEntries(entries: readonly ResultEntry[]): string[] {
  const files: string[] = [];
  let parts: string[] = [];
  let bytes = 2;
  for (const e of entries) {
    const text = JSON.stringify(e);
    const size = Buffer.byteLength(text) + 1;
    if (parts.length > 0 && (parts.length === ENTRIES_PER_FILE || bytes + size > BYTES_PER_FILE)) {
      files.push(`[${parts.join(',')}]`);
      parts = [];
      bytes = 2;
    }
    parts.push(text);
    bytes += size;
  }
  if (parts.length > 0) files.push(`[${parts.join(',')}]`);
  return files;
}

/**
 * Writes the result files and then the manifest; returns the manifest's key. Throws (S3RequestError) when a
 * write fails: the Map Run then fails with States.ResultWriterFailed.
 */
export async function writeResults(
  s3: SignedS3,
  target: { bucket: string; prefix: string },
  mapRun: { arn: string; id: string },
  entries: readonly ResultEntry[],
): Promise<string> {
  const folder = resultFolder(target.prefix, mapRun.id);
  const files: MapResultManifest['ResultFiles'] = { FAILED: [], PENDING: [], SUCCEEDED: [] };
  for (const status of ['SUCCEEDED', 'FAILED'] as const) {
    const chosen = entries.filter((e) => (status === 'SUCCEEDED' ? e.Status === 'SUCCEEDED' : e.Status !== 'SUCCEEDED'));
    const texts = splitEntries(chosen);
    for (let i = 0; i < texts.length; i++) {
      const key = `${folder}/${status}_${i}.json`;
      await s3.putObject(target.bucket, key, texts[i]);
      files[status].push({ Key: key, Size: Buffer.byteLength(texts[i]) });
    }
  }
  const manifest: MapResultManifest = { DestinationBucket: target.bucket, MapRunArn: mapRun.arn, ResultFiles: files };
  const key = `${folder}/manifest.json`;
  await s3.putObject(target.bucket, key, JSON.stringify(manifest));
  return key;
}
