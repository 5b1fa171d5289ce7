// Request authentication of the embedded platform (issue 13): both servers verify AWS Signature Version 4
// with the keys of this start, answer refusals as AWS does, and refuse browsers and foreign Host headers
// before any other work; signed SDK requests of every kind ProPack makes still pass.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes, type Hash, type Hmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { SignatureV4 } from '@smithy/signature-v4';
import { InvokeCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { deploy, payloadJson, rejection, withPlatform } from './helpers';
import { createLambdaClient, createS3Client, localTarget } from '../../../src/platform';
import type { AccessKey } from '../../../src/local/credentials';

type Env = Awaited<ReturnType<typeof withPlatform>>;
let env: Env;

// A user environment the platform must keep from function code: a HOME with an AWS profile, AWS_* variables.
const userHome = mkdtempSync(join(tmpdir(), 'propack-user-home-'));
const USER_SECRET = `USER-SECRET-${randomBytes(6).toString('hex')}`;
const saved = {
  HOME: process.env.HOME,
  AWS_PROFILE: process.env.AWS_PROFILE,
  AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY,
  AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE,
};

before(async () => {
  mkdirSync(join(userHome, '.aws'));
  writeFileSync(
    join(userHome, '.aws', 'credentials'),
    `[default]\naws_access_key_id = AKIAUSERKEY\naws_secret_access_key = ${USER_SECRET}\n`,
  );
  Object.assign(process.env, {
    HOME: userHome,
    AWS_PROFILE: 'default',
    AWS_ACCESS_KEY_ID: 'AKIAUSERKEY',
    AWS_SECRET_ACCESS_KEY: USER_SECRET,
    AWS_SHARED_CREDENTIALS_FILE: join(userHome, '.aws', 'credentials'),
  });
  env = await withPlatform({ preset: 'instant' }, { maxAttempts: 1 });
  await env.s3.send(new CreateBucketCommand({ Bucket: 'auth' }));
  await readRoleKey();
});

after(async () => {
  await env.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(userHome, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One raw HTTP request (the SDK's signer when `key` is given), so each part of a request can be spoiled. */
async function send(
  endpoint: string,
  opts: {
    method?: string;
    path: string;
    body?: string;
    headers?: Record<string, string>;
    key?: AccessKey;
    service: 'lambda' | 's3';
    signingDate?: Date;
    hostHeader?: string;
    spoilBody?: string;
    region?: string;
  },
): Promise<Answer> {
  const url = new URL(endpoint);
  const [path, qs = ''] = opts.path.split('?');
  const query = Object.fromEntries(new URLSearchParams(qs));
  const body = opts.body ?? '';
  const headers: Record<string, string> = { host: opts.hostHeader ?? url.host, ...(opts.headers ?? {}) };
  if (body) headers['content-length'] = String(Buffer.byteLength(body));
  if (opts.key) {
    headers['x-amz-content-sha256'] = createHash('sha256').update(body).digest('hex');
    const signer = new SignatureV4({
      credentials: opts.key,
      region: opts.region ?? 'us-east-1',
      service: opts.service,
      sha256: Sha256,
      uriEscapePath: opts.service !== 's3',
    });
    const signed = await signer.sign(
      { method: opts.method ?? 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, query, headers, body },
      { signingDate: opts.signingDate ?? new Date() },
    );
    Object.assign(headers, signed.headers);
  }
  const sent = opts.spoilBody ?? body;
  if (sent !== body) headers['content-length'] = String(Buffer.byteLength(sent));
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: opts.method ?? 'GET', path: opts.path, headers, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(sent);
  });
}

/** node:crypto SHA-256/HMAC in the signer's interface. */
class Sha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(d: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(toBytes(d));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
  reset(): void {
    /* one use each */
  }
}

function toBytes(d: string | ArrayBuffer | ArrayBufferView): Buffer {
  return typeof d === 'string'
    ? Buffer.from(d)
    : ArrayBuffer.isView(d)
      ? Buffer.from(d.buffer, d.byteOffset, d.byteLength)
      : Buffer.from(d);
}

const lambdaList = '/2015-03-31/functions/';
const wrongSecret = (k: AccessKey): AccessKey => ({ accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey.slice(1) + 'x' });

function lambdaRefusal(a: Answer, type: string, message?: RegExp): void {
  assert.equal(a.status, 403, a.body);
  assert.equal(a.headers['x-amzn-errortype'], type, a.body);
  const body = JSON.parse(a.body) as { message: string };
  assert.equal(typeof body.message, 'string');
  if (message) assert.match(body.message, message);
}

function s3Refusal(a: Answer, code: string): void {
  assert.equal(a.status, 403, a.body);
  assert.match(a.body, new RegExp(`<Error><Code>${code}</Code>`));
}

test('the Lambda API refuses unsigned, unknown-key, wrongly signed, expired, function-role and tampered requests with AWS error types', async () => {
  const ep = env.platform.lambdaEndpoint;
  const admin = env.platform.credentials;
  lambdaRefusal(
    await send(ep, { path: lambdaList, service: 'lambda' }),
    'MissingAuthenticationTokenException',
    /Missing Authentication Token/,
  );
  lambdaRefusal(
    await send(ep, {
      path: lambdaList,
      service: 'lambda',
      key: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: admin.secretAccessKey },
    }),
    'UnrecognizedClientException',
    /security token included in the request is invalid/,
  );
  lambdaRefusal(
    await send(ep, { path: lambdaList, service: 'lambda', key: wrongSecret(admin) }),
    'InvalidSignatureException',
    /signature we calculated does not match/,
  );
  lambdaRefusal(
    await send(ep, { path: lambdaList, service: 'lambda', key: admin, signingDate: new Date(Date.now() - 16 * 60_000) }),
    'InvalidSignatureException',
    /^Signature expired: \d{8}T\d{6}Z is now earlier than/,
  );
  lambdaRefusal(
    await send(ep, { path: lambdaList, service: 'lambda', key: admin, signingDate: new Date(Date.now() + 16 * 60_000) }),
    'InvalidSignatureException',
    /not yet current/,
  );
  // Signed for another service (S3's scope) with the right key: not a Lambda signature.
  lambdaRefusal(await send(ep, { path: lambdaList, service: 's3', key: admin }), 'InvalidSignatureException');
  // A query parameter changed after signing.
  const signedPath = await send(ep, { path: `${lambdaList}?MaxItems=1`, service: 'lambda', key: admin });
  assert.equal(signedPath.status, 200, signedPath.body);
  // The function role's key (functions get it) may not call the Lambda API.
  const role = functionRoleKey();
  lambdaRefusal(
    await send(ep, { path: lambdaList, service: 'lambda', key: role, headers: { 'x-amz-security-token': role.sessionToken as string } }),
    'AccessDeniedException',
  );
  lambdaRefusal(
    await send(ep, { path: lambdaList, service: 'lambda', key: { accessKeyId: role.accessKeyId, secretAccessKey: role.secretAccessKey } }),
    'UnrecognizedClientException',
  );
  // A body other than the one signed: refused before the function is created.
  const create = JSON.stringify({
    FunctionName: 'tampered',
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    Role: 'r',
    Code: { ZipFile: '' },
  });
  lambdaRefusal(
    await send(ep, {
      method: 'POST',
      path: lambdaList,
      service: 'lambda',
      key: admin,
      body: create,
      spoilBody: create.replace('tampered', 'tampere2'),
      headers: { 'content-type': 'application/json' },
    }),
    'InvalidSignatureException',
  );
  assert.equal(
    (await env.lambda.send(new ListFunctionsCommand({}))).Functions?.some((f) => /^tamper/.test(f.FunctionName ?? '')),
    false,
  );
  // Correctly signed: answered.
  const ok = await send(ep, { path: lambdaList, service: 'lambda', key: admin });
  assert.equal(ok.status, 200, ok.body);
});

test('the S3 server refuses unsigned, unknown-key, wrongly signed and skewed requests with S3 error codes', async () => {
  const ep = env.platform.s3Endpoint;
  const admin = env.platform.credentials;
  s3Refusal(await send(ep, { path: '/auth', service: 's3' }), 'AccessDenied');
  const unknown = await send(ep, { path: '/auth', service: 's3', key: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' } });
  s3Refusal(unknown, 'InvalidAccessKeyId');
  assert.match(unknown.body, /<AWSAccessKeyId>AKIAUNKNOWNKEY000000<\/AWSAccessKeyId>/);
  s3Refusal(await send(ep, { path: '/auth', service: 's3', key: wrongSecret(admin) }), 'SignatureDoesNotMatch');
  s3Refusal(
    await send(ep, { path: '/auth', service: 's3', key: admin, signingDate: new Date(Date.now() - 20 * 60_000) }),
    'RequestTimeTooSkewed',
  );
  s3Refusal(await send(ep, { path: '/auth?X-Amz-Signature=00&X-Amz-Credential=x', service: 's3' }), 'AccessDenied');
  // Unsigned writes store nothing.
  s3Refusal(await send(ep, { method: 'PUT', path: '/auth/planted', service: 's3', body: 'evil' }), 'AccessDenied');
  await assert.rejects(env.s3.send(new GetObjectCommand({ Bucket: 'auth', Key: 'planted' })), { name: 'NoSuchKey' });
  const role = functionRoleKey();
  s3Refusal(await send(ep, { path: '/auth', service: 's3', key: { ...role, sessionToken: 'forged' } }), 'InvalidToken');
  s3Refusal(
    await send(ep, { path: '/auth', service: 's3', key: { accessKeyId: role.accessKeyId, secretAccessKey: role.secretAccessKey } }),
    'InvalidToken',
  );
  const ok = await send(ep, { path: '/auth', service: 's3', key: admin });
  assert.equal(ok.status, 200, ok.body);
  const asRole = await send(ep, {
    path: '/auth',
    service: 's3',
    key: role,
    headers: { 'x-amz-security-token': role.sessionToken as string },
  });
  assert.equal(asRole.status, 200, asRole.body);
});

test('browser requests (Origin, Sec-Fetch-*) and foreign Host headers are refused by both servers, even when correctly signed', async () => {
  const admin = env.platform.credentials;
  for (const [ep, service] of [
    [env.platform.lambdaEndpoint, 'lambda'],
    [env.platform.s3Endpoint, 's3'],
  ] as const) {
    const path = service === 'lambda' ? lambdaList : '/auth';
    const port = new URL(ep).port;
    const refused = (a: Answer) => (service === 'lambda' ? lambdaRefusal(a, 'AccessDeniedException') : s3Refusal(a, 'AccessDenied'));
    refused(await send(ep, { path, service, key: admin, headers: { origin: 'http://evil.example' } }));
    refused(await send(ep, { path, service, key: admin, headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' } }));
    refused(await send(ep, { path, service, key: admin, hostHeader: `evil.example:${port}` })); // DNS rebinding
    refused(await send(ep, { path, service, key: admin, hostHeader: '127.0.0.1:1' }));
    // localhost on the right port is the platform's own name.
    assert.equal((await send(ep, { path, service, key: admin, hostHeader: `localhost:${port}` })).status, 200);
  }
  // The audit's attack: a cross-site text/plain POST that creates a function. Refused, nothing created.
  const a = await send(env.platform.lambdaEndpoint, {
    method: 'POST',
    path: lambdaList,
    service: 'lambda',
    headers: { origin: 'http://evil.example', 'content-type': 'text/plain' },
    body: JSON.stringify({ FunctionName: 'evil', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'r', Code: { ZipFile: '' } }),
  });
  lambdaRefusal(a, 'AccessDeniedException');
  assert.equal(a.headers.connection, 'close', 'the refused body is not read');
  assert.equal(
    (await env.lambda.send(new ListFunctionsCommand({}))).Functions?.some((f) => f.FunctionName === 'evil'),
    false,
  );
});

test('SDK clients with another key are refused with the SDK error names; the platform key is fresh on every start', async () => {
  const wrong = { ...localTarget(env.platform), credentials: wrongSecret(env.platform.credentials) };
  const lambda = createLambdaClient(wrong, { maxAttempts: 1 });
  const s3 = createS3Client(wrong, { maxAttempts: 1 });
  const stranger = new LambdaClient({
    endpoint: env.platform.lambdaEndpoint,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIASTRANGER0000000', secretAccessKey: 'x' },
  });
  const strangerS3 = new S3Client({
    endpoint: env.platform.s3Endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIASTRANGER0000000', secretAccessKey: 'x' },
  });
  try {
    assert.equal((await rejection(lambda.send(new ListFunctionsCommand({})))).name, 'InvalidSignatureException');
    assert.equal((await rejection(stranger.send(new ListFunctionsCommand({})))).name, 'UnrecognizedClientException');
    assert.equal((await rejection(s3.send(new GetObjectCommand({ Bucket: 'auth', Key: 'x' })))).name, 'SignatureDoesNotMatch');
    assert.equal((await rejection(strangerS3.send(new GetObjectCommand({ Bucket: 'auth', Key: 'x' })))).name, 'InvalidAccessKeyId');
  } finally {
    lambda.destroy();
    s3.destroy();
    stranger.destroy();
    strangerS3.destroy();
  }
  const other = await withPlatform({ preset: 'instant' });
  try {
    assert.notEqual(other.platform.credentials.accessKeyId, env.platform.credentials.accessKeyId);
    assert.notEqual(other.platform.credentials.secretAccessKey, env.platform.credentials.secretAccessKey);
    assert.ok(other.platform.credentials.secretAccessKey.length >= 40);
    // One start's key does not open another start.
    const cross = createLambdaClient({ ...localTarget(other.platform), credentials: env.platform.credentials }, { maxAttempts: 1 });
    assert.equal((await rejection(cross.send(new ListFunctionsCommand({})))).name, 'UnrecognizedClientException');
    cross.destroy();
  } finally {
    await other.close();
  }
});

test('signed SDK requests pass: CreateFunction/Invoke, S3 put/get, a streamed upload read back byte for byte, multipart, paged listing', async () => {
  await deploy(env.lambda, 'echoauth', 'exports.handler = async (e) => ({ got: e });');
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: 'echoauth', Payload: JSON.stringify({ n: 1 }) }));
  assert.deepEqual(payloadJson(out.Payload), { got: { n: 1 } });
  await env.s3.send(new PutObjectCommand({ Bucket: 'auth', Key: 'small.txt', Body: 'hello' }));
  assert.equal(await (await env.s3.send(new GetObjectCommand({ Bucket: 'auth', Key: 'small.txt' }))).Body?.transformToString(), 'hello');
  // A streamed body: the SDK cannot hash it and signs UNSIGNED-PAYLOAD.
  const bytes = randomBytes(3 * 1024 * 1024 + 17);
  await env.s3.send(
    new PutObjectCommand({
      Bucket: 'auth',
      Key: 'streamed.bin',
      Body: Readable.from([bytes.subarray(0, 1 << 20), bytes.subarray(1 << 20)]),
      ContentLength: bytes.length,
    }),
  );
  const back = Buffer.from(
    await (await env.s3.send(new GetObjectCommand({ Bucket: 'auth', Key: 'streamed.bin' }))).Body!.transformToByteArray(),
  );
  assert.ok(back.equals(bytes), 'streamed upload reads back byte for byte');
  // Multipart upload.
  const mp = await env.s3.send(new CreateMultipartUploadCommand({ Bucket: 'auth', Key: 'multi.bin' }));
  const part1 = randomBytes(5 * 1024 * 1024),
    part2 = randomBytes(1234);
  const p1 = await env.s3.send(
    new UploadPartCommand({ Bucket: 'auth', Key: 'multi.bin', UploadId: mp.UploadId, PartNumber: 1, Body: part1 }),
  );
  const p2 = await env.s3.send(
    new UploadPartCommand({ Bucket: 'auth', Key: 'multi.bin', UploadId: mp.UploadId, PartNumber: 2, Body: part2 }),
  );
  await env.s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: 'auth',
      Key: 'multi.bin',
      UploadId: mp.UploadId,
      MultipartUpload: {
        Parts: [
          { ETag: p1.ETag, PartNumber: 1 },
          { ETag: p2.ETag, PartNumber: 2 },
        ],
      },
    }),
  );
  const multi = Buffer.from(
    await (await env.s3.send(new GetObjectCommand({ Bucket: 'auth', Key: 'multi.bin' }))).Body!.transformToByteArray(),
  );
  assert.ok(multi.equals(Buffer.concat([part1, part2])));
  // Paged listing (continuation tokens in the signed query).
  for (let i = 0; i < 5; i++) await env.s3.send(new PutObjectCommand({ Bucket: 'auth', Key: `page/k ${i}+=&?.txt`, Body: String(i) }));
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await env.s3.send(new ListObjectsV2Command({ Bucket: 'auth', Prefix: 'page/', MaxKeys: 2, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((c) => c.Key as string));
    token = page.NextContinuationToken;
  } while (token);
  assert.deepEqual(
    keys,
    [0, 1, 2, 3, 4].map((i) => `page/k ${i}+=&?.txt`),
  );
});

test('an aws-chunked streaming upload (STREAMING-* content-sha256) passes on its seed signature; a forged seed does not', async () => {
  // The SDK's default checksum mode streams PutObject as aws-chunked with a trailing checksum.
  const chunked = new S3Client({
    endpoint: env.platform.s3Endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: env.platform.credentials,
    requestChecksumCalculation: 'WHEN_SUPPORTED',
  });
  const forged = new S3Client({
    endpoint: env.platform.s3Endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: wrongSecret(env.platform.credentials),
    requestChecksumCalculation: 'WHEN_SUPPORTED',
  });
  let seen = '';
  // The deserialize step sees the request as signed and sent.
  chunked.middlewareStack.add(
    (next) => async (args) => {
      seen = String((args.request as { headers: Record<string, string> }).headers['x-amz-content-sha256']);
      return next(args);
    },
    { step: 'deserialize', name: 'seeSha' },
  );
  try {
    const body = randomBytes(70_000);
    await chunked.send(
      new PutObjectCommand({ Bucket: 'auth', Key: 'chunked.bin', Body: Readable.from([body]), ContentLength: body.length }),
    );
    assert.match(seen, /^STREAMING-/);
    assert.equal(
      (
        await rejection(
          forged.send(
            new PutObjectCommand({ Bucket: 'auth', Key: 'chunked2.bin', Body: Readable.from([body]), ContentLength: body.length }),
          ),
        )
      ).name,
      'SignatureDoesNotMatch',
    );
  } finally {
    chunked.destroy();
    forged.destroy();
  }
});

test("function code sees neither the user's AWS settings nor the platform's key: HOME is its sandbox, it holds the function role's key", async () => {
  const src = `const os = require('os'), fs = require('fs'), path = require('path');
    const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3') /* provided by the platform, as Lambda's runtime does */;
    exports.handler = async () => {
      let aws = null;
      try { aws = fs.readFileSync(path.join(os.homedir(), '.aws', 'credentials'), 'utf8'); } catch (e) { aws = 'unreadable: ' + e.code; }
      // The SDK's default chain, as the packed runtime's client uses it: the role key from the environment.
      const s3 = new S3Client({ endpoint: process.env.S3, region: 'us-east-1', forcePathStyle: true });
      await s3.send(new PutObjectCommand({ Bucket: 'auth', Key: 'from-function', Body: 'ok' }));
      fs.writeFileSync(path.join(os.tmpdir(), 'scratch'), 'x');
      return { env: process.env, home: os.homedir(), tmp: os.tmpdir(), aws };
    };`;
  await deploy(env.lambda, 'snoop', src, { Environment: { Variables: { S3: env.platform.s3Endpoint } } });
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: 'snoop', Payload: '{}' }));
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  const r = payloadJson(out.Payload) as { env: Record<string, string>; home: string; tmp: string; aws: string };
  const admin = env.platform.credentials;
  const text = JSON.stringify(r);
  assert.ok(!text.includes(USER_SECRET), "the user's secret is nowhere");
  assert.ok(!text.includes(admin.secretAccessKey) && !text.includes(admin.accessKeyId), "the platform's admin key is nowhere");
  assert.ok(!text.includes(userHome), "the user's HOME is nowhere");
  assert.match(r.aws, /^unreadable: ENOENT/);
  for (const k of ['AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE']) assert.equal(r.env[k], undefined, k);
  assert.ok(r.home.startsWith(join(env.platform.dataDir, 'sandbox')), r.home);
  assert.equal(r.tmp, r.home);
  assert.match(r.env.AWS_ACCESS_KEY_ID, /^ASIA/);
  assert.ok(r.env.AWS_SESSION_TOKEN);
  assert.equal(await (await env.s3.send(new GetObjectCommand({ Bucket: 'auth', Key: 'from-function' }))).Body?.transformToString(), 'ok');
  // The function role's key cannot drive the Lambda API (no function deploying functions).
  const asRole = new LambdaClient({
    endpoint: env.platform.lambdaEndpoint,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: {
      accessKeyId: r.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: r.env.AWS_SECRET_ACCESS_KEY,
      sessionToken: r.env.AWS_SESSION_TOKEN,
    },
  });
  assert.equal((await rejection(asRole.send(new ListFunctionsCommand({})))).name, 'AccessDeniedException');
  asRole.destroy();
});

test('endpoint.json holds the endpoints and the key, readable by the user only; it is gone after stop', () => {
  const file = env.platform.endpointFile;
  assert.equal(file, join(env.platform.dataDir, 'endpoint.json'));
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const e = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  assert.deepEqual(
    [e.lambda, e.s3, e.accessKeyId, e.secretAccessKey],
    [env.platform.lambdaEndpoint, env.platform.s3Endpoint, env.platform.credentials.accessKeyId, env.platform.credentials.secretAccessKey],
  );
});

test('a stopped platform removes its endpoint.json', async () => {
  const p = await withPlatform({ preset: 'instant' });
  const file = p.platform.endpointFile;
  assert.ok(existsSync(file));
  await p.close();
  assert.equal(existsSync(file), false);
});

/** The function role's key, as a function sees it (read through a deployed handler). */
let roleKey: AccessKey | undefined;
function functionRoleKey(): AccessKey {
  assert.ok(roleKey, 'set by the first test');
  return roleKey;
}

async function readRoleKey(): Promise<void> {
  await deploy(
    env.lambda,
    'rolekey',
    'exports.handler = async () => ({ id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, token: process.env.AWS_SESSION_TOKEN });',
  );
  const r = payloadJson((await env.lambda.send(new InvokeCommand({ FunctionName: 'rolekey', Payload: '{}' }))).Payload) as {
    id: string;
    secret: string;
    token: string;
  };
  roleKey = { accessKeyId: r.id, secretAccessKey: r.secret, sessionToken: r.token };
}
