import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/**
 * An S3 client set up the way ProPack needs it everywhere: endpoint from AWS_ENDPOINT_URL_S3 when set
 * (the local platform), path-style addressing, and checksums only when required (otherwise s3rver stores
 * the aws-chunked framing of streamed uploads: silent corruption).
 */
export function createS3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL_S3 || undefined;
  return new S3Client({
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    ...(endpoint ? { endpoint } : {}),
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

let shared: S3Client | undefined;

/** One client per module load (per instance or worker thread), made on first use. */
export function sharedS3Client(): S3Client {
  shared ??= createS3Client();
  return shared;
}

/** Reads a whole object into memory (bytes). */
export async function getObjectBytes(client: S3Client, bucket: string, key: string): Promise<Uint8Array> {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!out.Body) throw new Error(`s3://${bucket}/${key}: empty response body`);
  return out.Body.transformToByteArray();
}

/** Writes a whole object from memory; strings are stored as UTF-8. */
export async function putObjectBytes(
  client: S3Client,
  bucket: string,
  key: string,
  body: Uint8Array | string,
  contentType?: string,
): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...(contentType ? { ContentType: contentType } : {}) }));
}

/** Reads an object and parses it as JSON. */
export async function getObjectJson<T>(client: S3Client, bucket: string, key: string): Promise<T> {
  return JSON.parse(Buffer.from(await getObjectBytes(client, bucket, key)).toString('utf8')) as T;
}

/** Writes a value as a JSON object. */
export async function putObjectJson(client: S3Client, bucket: string, key: string, value: unknown): Promise<void> {
  await putObjectBytes(client, bucket, key, JSON.stringify(value), 'application/json');
}
