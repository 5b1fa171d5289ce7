import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { isInside, isUploadId, partNumberProblem } from '../../../src/local/s3-key-guard';
import { rejection, withPlatform } from './helpers';
import { signedRaw } from './raw-http';

const MARK = 'PROPACK-TRAVERSAL-MARK';

/** Every file under `dir` (relative paths). */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

test('multipart ids and part numbers are checked as S3 checks them; a valid multipart upload still works', async () => {
  assert.equal(isUploadId('0123456789abcdef0123456789abcdef'), true);
  for (const bad of [
    '',
    '../x',
    '0123456789abcdef0123456789abcde',
    '0123456789ABCDEF0123456789ABCDEF',
    '0123456789abcdef0123456789abcdef/',
  ])
    assert.equal(isUploadId(bad), false, bad);
  for (const ok of ['1', '10000', '42']) assert.equal(partNumberProblem(ok), undefined, ok);
  for (const bad of ['0', '10001', '-1', '1.5', '1e3', '', '../1', ' 1', 'NaN']) assert.ok(partNumberProblem(bad), bad);
  assert.equal(isInside('/a/b', '/a/b/c'), true);
  assert.equal(isInside('/a/b', '/a/bc'), false);
  assert.equal(isInside('/a/b', '/a/b/../c'), false);

  const env = await withPlatform({ spareProcesses: 0 });
  try {
    await env.s3.send(new CreateBucketCommand({ Bucket: 'mpart' }));
    const { UploadId } = await env.s3.send(new CreateMultipartUploadCommand({ Bucket: 'mpart', Key: 'big' }));
    assert.ok(isUploadId(UploadId));
    const part = Buffer.alloc(5 * 1024 * 1024, 7);
    const p1 = await env.s3.send(new UploadPartCommand({ Bucket: 'mpart', Key: 'big', UploadId, PartNumber: 1, Body: part }));
    const p2 = await env.s3.send(new UploadPartCommand({ Bucket: 'mpart', Key: 'big', UploadId, PartNumber: 2, Body: 'tail' }));
    await env.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'mpart',
        Key: 'big',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: p1.ETag },
            { PartNumber: 2, ETag: p2.ETag },
          ],
        },
      }),
    );
    const got = await (await env.s3.send(new GetObjectCommand({ Bucket: 'mpart', Key: 'big' }))).Body!.transformToByteArray();
    assert.equal(got.length, part.length + 4);

    const noUpload = await rejection(
      env.s3.send(new UploadPartCommand({ Bucket: 'mpart', Key: 'big', UploadId: 'f'.repeat(32), PartNumber: 1, Body: 'x' })),
    );
    assert.equal(noUpload.name, 'NoSuchUpload');
    assert.equal((noUpload.$metadata as { httpStatusCode: number }).httpStatusCode, 404);
    const { UploadId: open } = await env.s3.send(new CreateMultipartUploadCommand({ Bucket: 'mpart', Key: 'other' }));
    for (const n of [0, 10001]) {
      const e = await rejection(
        env.s3.send(new UploadPartCommand({ Bucket: 'mpart', Key: 'other', UploadId: open, PartNumber: n, Body: 'x' })),
      );
      assert.equal(e.name, 'InvalidArgument', String(n));
      assert.equal((e.$metadata as { httpStatusCode: number }).httpStatusCode, 400);
    }
    const missing = await rejection(
      env.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'mpart',
          Key: 'other',
          UploadId: open,
          MultipartUpload: { Parts: [{ PartNumber: 3, ETag: '"x"' }] },
        }),
      ),
    );
    assert.equal(missing.name, 'InvalidPart');
  } finally {
    await env.close();
  }
});

test('no traversal form in uploadId, partNumber, bucket, key or Host writes outside the data folder', async () => {
  const base = mkdtempSync(join(tmpdir(), 'propack-trav-'));
  const dataDir = join(base, 'data');
  const env = await withPlatform({ dataDir, spareProcesses: 0 });
  try {
    const creds = await env.s3.config.credentials();
    const send = (method: string, path: string, host?: string) =>
      signedRaw(env.platform.s3Endpoint, 's3', creds, method, path, { body: MARK, ...(host ? { host } : {}) });
    await env.s3.send(new CreateBucketCommand({ Bucket: 'bkt' }));
    const { UploadId } = await env.s3.send(new CreateMultipartUploadCommand({ Bucket: 'bkt', Key: 'k' }));
    const abs = encodeURIComponent(join(base, 'abs-escape'));
    const forms = [
      '..%2F..%2F..%2Fescape',
      '..%2F..%2F..%2F..%2Fescape',
      '..%5C..%5C..%5Cescape',
      '%2E%2E%2F%2E%2E%2F%2E%2E%2Fescape',
      '%252E%252E%252F%252E%252E%252Fescape',
      '.%2E%2F.%2E%2F.%2E%2Fescape',
      abs,
      '..',
      '.',
      `${UploadId}%2F..%2F..%2F..%2Fescape`,
    ];
    const answers: [string, number][] = [];
    const note = async (what: string, p: Promise<{ status: number }>) => answers.push([what, (await p).status]);
    for (const f of forms) {
      await note(`uploadId ${f}`, send('PUT', `/bkt/k?partNumber=1&uploadId=${f}`));
      await note(`partNumber ${f}`, send('PUT', `/bkt/k?partNumber=${f}&uploadId=${UploadId}`));
      await note(`complete ${f}`, send('POST', `/bkt/k?uploadId=${f}`));
      await note(`key ${f}`, send('PUT', `/bkt/${f}`));
      await note(`key-dir ${f}`, send('PUT', `/bkt/${f}%2Fk`));
      await note(`bucket ${f}`, send('PUT', `/${f}/k`));
      await note(`bucket-create ${f}`, send('PUT', `/${f}`));
    }
    // A DNS-rebinding Host becomes a bucket name in s3rver (virtual-host style): its writes must stay inside too.
    for (const host of ['rebind.example', '..', '.']) {
      await note(`host ${host} PUT /`, send('PUT', '/', host));
      for (const f of forms.slice(0, 4)) {
        await note(`host ${host} key ${f}`, send('PUT', `/${f}`, host));
        await note(`host ${host} uploadId ${f}`, send('PUT', `/k?partNumber=1&uploadId=${f}`, host));
      }
    }
    const uploadAnswers = answers.filter(([w]) => w.startsWith('uploadId ') || w.startsWith('complete '));
    for (const [w, s] of uploadAnswers) assert.ok(s === 404 || s === 400, `${w}: ${s}`);
    for (const [w, s] of answers.filter(([w]) => w.startsWith('partNumber '))) assert.equal(s, 400, w);
    // Nothing outside the data folder; inside it, the marker only where S3 would keep an object.
    const outside = files(base).filter((f) => !f.startsWith('data/'));
    assert.deepEqual(outside, [], `written outside the data folder: ${outside.join(', ')}`);
    assert.equal(existsSync(join(base, 'abs-escape')), false);
    for (const f of files(join(dataDir, 's3'))) {
      if (readFileSync(join(dataDir, 's3', f), 'utf8') === MARK)
        assert.ok(f.endsWith('._S3rver_object') || /uploads\/[0-9a-f]{32}\/1$/.test(f), f);
    }
  } finally {
    await env.close();
    rmSync(base, { recursive: true, force: true });
  }
});
