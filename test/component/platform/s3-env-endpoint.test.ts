// An AWS target whose S3 endpoint comes from the environment (AWS_ENDPOINT_URL_S3, as the installed-package
// test and any S3-compatible server use): the SDK takes the endpoint itself, and createS3Client must set the
// options such a server needs, or a streamed upload is stored with its aws-chunked framing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../../src/platform';
import { s3EndpointFromEnv } from '../../../src/platform/s3-client';
import { startLocalS3, type LocalS3 } from '../../support/s3';

let s3srv: LocalS3;
before(async () => {
  // Sets AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID/SECRET and AWS_REGION for this process.
  s3srv = await startLocalS3(['data']);
});
after(() => s3srv.stop());

test('s3EndpointFromEnv: the S3 or global endpoint variable, unless configured endpoints are ignored', () => {
  assert.equal(s3EndpointFromEnv({}), false);
  assert.equal(s3EndpointFromEnv({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1' }), true);
  assert.equal(s3EndpointFromEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }), true);
  assert.equal(s3EndpointFromEnv({ AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:1' }), false);
  assert.equal(s3EndpointFromEnv({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }), false);
});

/** Streams `bytes` into data/<key> (no length known to the SDK up front: aws-chunked if checksums are on). */
async function streamedRoundTrip(client: S3Client, key: string, bytes: Buffer): Promise<Buffer> {
  await client.send(
    new PutObjectCommand({
      Bucket: 'data',
      Key: key,
      Body: Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]),
      ContentLength: bytes.length,
    }),
  );
  const out = await client.send(new GetObjectCommand({ Bucket: 'data', Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

test('an AWS target with AWS_ENDPOINT_URL_S3 reaches the server and a streamed upload reads back byte for byte', async () => {
  const client = createS3Client({ kind: 'aws', region: 'us-east-1' });
  try {
    assert.equal(await client.config.forcePathStyle, true);
    await client.send(new CreateBucketCommand({ Bucket: 'data' })).catch(() => undefined);
    const bytes = randomBytes(256 * 1024 + 17);
    const got = await streamedRoundTrip(client, 'streamed', bytes);
    assert.equal(got.length, bytes.length);
    assert.ok(got.equals(bytes), 'stored bytes differ from the streamed ones');
  } finally {
    client.destroy();
  }
});

test('control: the SDK defaults against the same server corrupt the streamed upload (what the options prevent)', async () => {
  const client = new S3Client({ region: 'us-east-1', forcePathStyle: true });
  try {
    const bytes = randomBytes(64 * 1024);
    const got = await streamedRoundTrip(client, 'defaults', bytes);
    assert.ok(!got.equals(bytes), 'the defaults stored the bytes intact: this test no longer shows why the options are needed');
  } finally {
    client.destroy();
  }
});

test('an AWS target without an endpoint variable keeps the SDK defaults (virtual-hosted style, default checksums)', async () => {
  const saved = process.env.AWS_ENDPOINT_URL_S3;
  delete process.env.AWS_ENDPOINT_URL_S3;
  try {
    const client = createS3Client({ kind: 'aws', region: 'us-east-1' });
    assert.equal(await client.config.forcePathStyle, false);
    client.destroy();
  } finally {
    process.env.AWS_ENDPOINT_URL_S3 = saved;
  }
});
