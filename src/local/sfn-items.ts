/** The Map's ItemReader and ItemBatcher: the JSON array of items in S3, cut into batches of child input. */
import { S3RequestError, type SignedS3 } from './s3-signed';

/** A Map Run that cannot start: Step Functions' error name and cause. */
export interface MapFailure {
  error: string;
  cause: string;
}

/** Reads the items object: a JSON array, or the States.ItemReaderFailed that fails the Map Run. */
export async function readItems(s3: SignedS3, bucket: string, key: string): Promise<unknown[] | MapFailure> {
  const fail = (why: string): MapFailure => ({
    error: 'States.ItemReaderFailed',
    cause: `Reading the items of s3://${bucket}/${key}: ${why}`,
  });
  let bytes: Buffer;
  try {
    bytes = await s3.getObject(bucket, key);
  } catch (e) {
    if (e instanceof S3RequestError && e.status === 404)
      return fail(`${e.code}: ${e.code === 'NoSuchBucket' ? 'the bucket does not exist' : 'the object does not exist'}`);
    return fail(e instanceof Error ? e.message : String(e));
  }
  let items: unknown;
  try {
    items = JSON.parse(bytes.toString('utf8'));
  } catch {
    return fail('the object is not JSON (ReaderConfig.InputType is JSON: a JSON array of items)');
  }
  if (!Array.isArray(items)) return fail(`the object is JSON ${items === null ? 'null' : typeof items}, not an array of items`);
  return items;
}

/**
 * Cuts `items` into batches of at most `maxItems` items whose JSON array (`[a,b,...]`) takes at most
 * `maxBytes` bytes, in order. An item too large for a batch on its own fails the Map Run.
 */
export function batchItems(items: readonly unknown[], maxItems: number, maxBytes: number): unknown[][] | MapFailure {
  const batches: unknown[][] = [];
  let batch: unknown[] = [];
  let bytes = 2; // the brackets
  for (let i = 0; i < items.length; i++) {
    const size = Buffer.byteLength(JSON.stringify(items[i]));
    if (2 + size > maxBytes)
      return {
        error: 'States.ItemReaderFailed',
        cause: `Item ${i} takes ${size} bytes, more than the batch limit ItemBatcher.MaxInputBytesPerBatch (${maxBytes} bytes).`,
      };
    const added = size + (batch.length > 0 ? 1 : 0); // the comma
    if (batch.length === maxItems || bytes + added > maxBytes) {
      batches.push(batch);
      batch = [];
      bytes = 2;
    }
    batch.push(items[i]);
    bytes += size + (batch.length > 1 ? 1 : 0);
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
