import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, GetFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { deploy, payloadJson, withPlatform } from './helpers';

test('a streamed PutObject reads back byte for byte; ListObjectsV2 pages', async () => {
  const env = await withPlatform();
  try {
    await env.s3.send(new CreateBucketCommand({ Bucket: 'data' }));
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const dir = mkdtempSync(join(tmpdir(), 'propack-s3-'));
    writeFileSync(join(dir, 'blob'), bytes);
    await env.s3.send(
      new PutObjectCommand({ Bucket: 'data', Key: 'blob', Body: createReadStream(join(dir, 'blob')), ContentLength: bytes.length }),
    );
    rmSync(dir, { recursive: true, force: true });
    const got = Buffer.from(await (await env.s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'blob' }))).Body!.transformToByteArray());
    assert.equal(got.length, bytes.length);
    assert.ok(got.equals(bytes), 'stored bytes differ from the streamed ones');

    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        env.s3.send(new PutObjectCommand({ Bucket: 'data', Key: `page/k${String(i).padStart(2, '0')}`, Body: `v${i}` })),
      ),
    );
    const keys: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client: env.s3, pageSize: 10 }, { Bucket: 'data', Prefix: 'page/' })) {
      pages++;
      keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
    }
    assert.equal(pages, 3);
    assert.deepEqual(
      keys,
      Array.from({ length: 25 }, (_, i) => `page/k${String(i).padStart(2, '0')}`),
    );
  } finally {
    await env.close();
  }
});

test('a restart with the same data dir keeps deployed functions and stored objects', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'propack-data-'));
  try {
    const first = await withPlatform({ dataDir });
    await deploy(first.lambda, 'kept', 'exports.handler = async (e) => ({ kept: e.x });', { MemorySize: 256 });
    await first.s3.send(new CreateBucketCommand({ Bucket: 'kept' }));
    await first.s3.send(new PutObjectCommand({ Bucket: 'kept', Key: 'k', Body: 'still here' }));
    await first.close();

    const second = await withPlatform({ dataDir });
    try {
      const fn = await second.lambda.send(new GetFunctionCommand({ FunctionName: 'kept' }));
      assert.equal(fn.Configuration?.MemorySize, 256);
      const r = await second.lambda.send(new InvokeCommand({ FunctionName: 'kept', Payload: '{"x":7}' }));
      assert.deepEqual(payloadJson(r.Payload), { kept: 7 });
      const obj = await second.s3.send(new GetObjectCommand({ Bucket: 'kept', Key: 'k' }));
      assert.equal(await obj.Body?.transformToString(), 'still here');
      const list = await second.s3.send(new ListObjectsV2Command({ Bucket: 'kept' }));
      assert.equal(list.KeyCount, 1);
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
