import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand, PutFunctionConcurrencyCommand, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { GetObjectCommand, CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { deploy, payloadJson, rejection, withPlatform } from './helpers';

let env: Awaited<ReturnType<typeof withPlatform>>;
before(async () => {
  env = await withPlatform(
    { preset: 'instant', accountConcurrency: 6, eventRetryDelaysMs: [10, 20], maxProcessesPerFunction: 2 },
    { maxAttempts: 1 },
  );
});
after(async () => {
  await env.close();
});

/** A handler that waits until the event's `gate` file exists, so tests hold invocations open without sleeps. */
const GATED = `const fs = require('node:fs'); let n = 0;
exports.handler = async (e) => { n++; const id = process.env.PROPACK_INSTANCE_ID;
  while (e.gate && !fs.existsSync(e.gate)) await new Promise((r) => setTimeout(r, 5));
  return { n, id }; };`;

test('reserved concurrency 1: a second concurrent invoke is throttled with the reserved Reason', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const gate = `${mkdtempSync('/tmp/propack-gate-')}/open`;
  await deploy(env.lambda, 'reserved1', GATED);
  await env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'reserved1', ReservedConcurrentExecutions: 1 }));
  const first = env.lambda.send(new InvokeCommand({ FunctionName: 'reserved1', Payload: JSON.stringify({ gate }) }));
  const e = await rejection(env.lambda.send(new InvokeCommand({ FunctionName: 'reserved1', Payload: '{}' })));
  assert.ok(e instanceof TooManyRequestsException, e.name);
  assert.equal(e.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
  assert.equal((e.$metadata as { httpStatusCode: number }).httpStatusCode, 429);
  writeFileSync(gate, '');
  assert.equal((await first).FunctionError, undefined);
});

test('account concurrency: the unreserved pool throttles with ConcurrentInvocationLimitExceeded', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const gate = `${mkdtempSync('/tmp/propack-gate-')}/open`;
  await deploy(env.lambda, 'pool', GATED);
  // Account 6, reserved1 holds 1: five unreserved executions fit, the sixth is throttled.
  const held = Array.from({ length: 5 }, () =>
    env.lambda.send(new InvokeCommand({ FunctionName: 'pool', Payload: JSON.stringify({ gate }) })),
  );
  await waitFor(() => env.platform.counts().inflight === 5);
  const e = await rejection(env.lambda.send(new InvokeCommand({ FunctionName: 'pool', Payload: '{}' })));
  assert.equal(e.name, 'TooManyRequestsException');
  assert.equal(e.Reason, 'ConcurrentInvocationLimitExceeded');
  writeFileSync(gate, '');
  const results = (await Promise.all(held)).map((r) => payloadJson(r.Payload) as { n: number; id: string });
  // Five concurrent executions = five logical instances (sharing at most 2 processes), each with its own module state.
  assert.equal(new Set(results.map((r) => r.id)).size, 5);
  assert.ok(results.every((r) => r.n === 1));
  assert.ok(env.platform.counts().processes <= 2 + 1 /* reserved1's */);
});

test('an Event invocation runs exactly once; a failing one is retried twice', async () => {
  await env.s3.send(new CreateBucketCommand({ Bucket: 'markers' }));
  const src = `const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3') /* provided by the platform, as Lambda's runtime does */;
    const s3 = new S3Client({ endpoint: process.env.S3, region: 'us-east-1', forcePathStyle: true }); // the function role's key from its environment, as on Lambda
    exports.handler = async (e, ctx) => {
      await s3.send(new PutObjectCommand({ Bucket: 'markers', Key: e.prefix + '/' + ctx.awsRequestId + '-' + Date.now() + '-' + Math.random(), Body: 'x' }));
      if (e.fail) throw new Error('fail on purpose');
      return 'ok';
    };`;
  await deploy(env.lambda, 'evented', src, { Environment: { Variables: { S3: env.platform.s3Endpoint } } });
  const ok = await env.lambda.send(
    new InvokeCommand({ FunctionName: 'evented', InvocationType: 'Event', Payload: JSON.stringify({ prefix: 'once' }) }),
  );
  assert.equal(ok.StatusCode, 202);
  const bad = await env.lambda.send(
    new InvokeCommand({ FunctionName: 'evented', InvocationType: 'Event', Payload: JSON.stringify({ prefix: 'retried', fail: true }) }),
  );
  assert.equal(bad.StatusCode, 202);
  const count = async (prefix: string) =>
    (await env.s3.send(new ListObjectsV2Command({ Bucket: 'markers', Prefix: prefix + '/' }))).KeyCount ?? 0;
  await waitFor(async () => (await count('once')) >= 1 && (await count('retried')) >= 3);
  // Drain the queue completely before counting again: nothing more may run.
  await env.platform.drainEvents();
  assert.equal(await count('once'), 1);
  assert.equal(await count('retried'), 3);
  const marker = await env.s3.send(new ListObjectsV2Command({ Bucket: 'markers', Prefix: 'once/' }));
  const body = await env.s3.send(new GetObjectCommand({ Bucket: 'markers', Key: marker.Contents?.[0].Key }));
  assert.equal(await body.Body?.transformToString(), 'x');
});

/** Polls a condition on the event loop (state, not time, ends the wait); fails after 20 s. */
async function waitFor(cond: () => boolean | Promise<boolean>): Promise<void> {
  const t0 = performance.now();
  while (!(await cond())) {
    if (performance.now() - t0 > 20_000) throw new Error('condition not reached in 20 s');
    await new Promise((r) => setImmediate(r));
  }
}
