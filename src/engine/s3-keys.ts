/** Listing and clearing keys under a prefix: a job's outputs are whatever appeared after its inputs. */
import { CreateBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

/** Every key under a prefix (all pages). */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Deletes every key under the prefix that is not in `keep` (a previous run's outputs); returns how many. */
export async function deleteKeysExcept(s3: S3Client, bucket: string, prefix: string, keep: ReadonlySet<string>): Promise<number> {
  const stale = (await listKeys(s3, bucket, prefix)).filter((k) => !keep.has(k));
  for (let i = 0; i < stale.length; i += 1000) {
    await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: stale.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } }),
    );
  }
  return stale.length;
}

/** Creates a bucket unless this account already has it. */
export async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (e) {
    const name = (e as Error).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw e;
  }
}

/** The bucket runs on the embedded platform keep their asynchronous and Step Functions results in. */
export const LOCAL_RUN_BUCKET = 'propack-runs';
