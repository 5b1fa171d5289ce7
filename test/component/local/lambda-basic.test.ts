import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  ListFunctionsCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  paginateListFunctions,
} from '@aws-sdk/client-lambda';
import { deploy, deployFiles, payloadJson, rejection, withPlatform, zipFiles } from './helpers';

let env: Awaited<ReturnType<typeof withPlatform>>;
before(async () => {
  env = await withPlatform({ preset: 'instant' }, { maxAttempts: 1 });
});
after(async () => {
  await env.close();
});

const COUNTER = `let n = 0; exports.handler = async (event, ctx) => ({ n: ++n, event, fn: ctx.functionName, mem: ctx.memoryLimitInMB,
  envName: process.env.AWS_LAMBDA_FUNCTION_NAME, region: process.env.AWS_REGION, instance: process.env.PROPACK_INSTANCE_ID,
  remaining: ctx.getRemainingTimeInMillis(), vcpu: process.env.PROPACK_VCPU_SHARE });`;

test('deploy, invoke warm and cold, update code and config, delete', async () => {
  const created = await deploy(env.lambda, 'roundtrip', COUNTER, { MemorySize: 1769 });
  assert.equal(created.FunctionName, 'roundtrip');
  assert.equal(created.MemorySize, 1769);
  const r1 = await env.lambda.send(new InvokeCommand({ FunctionName: 'roundtrip', Payload: JSON.stringify({ a: 1 }), LogType: 'Tail' }));
  assert.equal(r1.StatusCode, 200);
  assert.equal(r1.FunctionError, undefined);
  const p1 = payloadJson(r1.Payload) as Record<string, unknown>;
  assert.deepEqual(p1.event, { a: 1 });
  assert.equal(p1.n, 1);
  assert.equal(p1.fn, 'roundtrip');
  assert.equal(p1.envName, 'roundtrip');
  assert.equal(p1.mem, '1769');
  assert.equal(p1.vcpu, '1.000');
  assert.equal(p1.region, 'us-east-1');
  assert.match(String(p1.instance), /^roundtrip-\d+$/);
  assert.ok((p1.remaining as number) > 0 && (p1.remaining as number) <= 3000);
  const log1 = Buffer.from(r1.LogResult ?? '', 'base64').toString();
  assert.match(log1, /REPORT RequestId: .*Init Duration: [\d.]+ ms/, 'a cold start reports its init duration');
  // Lambda has billed INIT since 2025-08-01: the cold start's billed duration covers its run and its init.
  const report = /Duration: ([\d.]+) ms\tBilled Duration: (\d+) ms\t.*Init Duration: ([\d.]+) ms/.exec(log1);
  assert.ok(report, log1);
  // The log prints both to 0.01 ms; billing rounds their unrounded sum up to the next ms.
  const [billed, sum] = [Number(report[2]), Number(report[1]) + Number(report[3])];
  assert.ok(billed >= sum - 0.011 && billed < sum + 1.011, `billed ${billed} ms for ${sum} ms`);
  // Warm reuse keeps module state: the same instance counts on.
  const r2 = await env.lambda.send(new InvokeCommand({ FunctionName: 'roundtrip', Payload: '{}', LogType: 'Tail' }));
  const p2 = payloadJson(r2.Payload) as Record<string, unknown>;
  assert.equal(p2.n, 2);
  assert.equal(p2.instance, p1.instance);
  assert.doesNotMatch(Buffer.from(r2.LogResult ?? '', 'base64').toString(), /Init Duration/);

  await env.lambda.send(
    new UpdateFunctionCodeCommand({ FunctionName: 'roundtrip', ZipFile: zipFiles({ 'index.js': 'exports.handler = async () => "v2";' }) }),
  );
  const r3 = await env.lambda.send(new InvokeCommand({ FunctionName: 'roundtrip' }));
  assert.equal(payloadJson(r3.Payload), 'v2');

  const cfg = await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'roundtrip', MemorySize: 512, Timeout: 10 }));
  assert.equal(cfg.MemorySize, 512);
  const got = await env.lambda.send(new GetFunctionCommand({ FunctionName: 'roundtrip' }));
  assert.equal(got.Configuration?.Timeout, 10);

  await env.lambda.send(new DeleteFunctionCommand({ FunctionName: 'roundtrip' }));
  const e = await rejection(env.lambda.send(new InvokeCommand({ FunctionName: 'roundtrip' })));
  assert.equal(e.name, 'ResourceNotFoundException');
  assert.equal((e.$metadata as { httpStatusCode: number }).httpStatusCode, 404);
});

test('ESM handlers (.mjs) load and keep module state between warm invocations', async () => {
  await deployFiles(env.lambda, 'esm', 'app.run', { 'app.mjs': 'let n = 0; export const run = async () => ++n;' });
  const r = await env.lambda.send(new InvokeCommand({ FunctionName: 'esm' }));
  assert.equal(payloadJson(r.Payload), 1);
  const r2 = await env.lambda.send(new InvokeCommand({ FunctionName: 'esm' }));
  assert.equal(payloadJson(r2.Payload), 2);
});

test('a .js handler under a nested package.json with "type": "module" loads as an ES module, as Node decides', async () => {
  await deployFiles(env.lambda, 'esm-nested', 'src/app.run', {
    'package.json': '{"name":"outer"}',
    'src/package.json': '{"type":"module"}',
    'src/app.js': 'export const run = async () => ({ require: typeof require, url: import.meta.url });',
  });
  const r = await env.lambda.send(new InvokeCommand({ FunctionName: 'esm-nested' }));
  assert.equal(r.FunctionError, undefined, Buffer.from(r.Payload ?? []).toString());
  const p = payloadJson(r.Payload) as { require: string; url: string };
  assert.equal(p.require, 'undefined', 'an ES module has no require');
  // Imported as ESM with its own module instance per execution environment (Node 20's require(esm) would
  // share one instance between the environments a worker process hosts).
  assert.match(p.url, /\/src\/app\.js\?instance=/);
});

test('a throwing handler answers FunctionError Unhandled with the error in the payload', async () => {
  await deploy(env.lambda, 'thrower', 'exports.handler = async () => { console.log("about to fail"); throw new TypeError("boom"); };');
  const r = await env.lambda.send(new InvokeCommand({ FunctionName: 'thrower', LogType: 'Tail' }));
  assert.equal(r.FunctionError, 'Unhandled');
  const p = payloadJson(r.Payload) as Record<string, unknown>;
  assert.equal(p.errorType, 'TypeError');
  assert.equal(p.errorMessage, 'boom');
  assert.match(Buffer.from(r.LogResult ?? '', 'base64').toString(), /INFO\tabout to fail/);
});

test('a crash of the worker mid-invoke is Runtime.ExitError, and the next invoke gets a fresh instance', async () => {
  await deploy(
    env.lambda,
    'crasher',
    'exports.handler = async (e) => { if (e.crash) process.exit(3); return process.env.PROPACK_INSTANCE_ID; };',
  );
  const r = await env.lambda.send(new InvokeCommand({ FunctionName: 'crasher', Payload: '{"crash":true}' }));
  assert.equal(r.FunctionError, 'Unhandled');
  assert.equal((payloadJson(r.Payload) as Record<string, unknown>).errorType, 'Runtime.ExitError');
  const ok = await env.lambda.send(new InvokeCommand({ FunctionName: 'crasher', Payload: '{}' }));
  assert.equal(ok.FunctionError, undefined);
});

test('a handler running past its timeout is stopped with Sandbox.Timedout', async () => {
  await deploy(env.lambda, 'sleeper', 'exports.handler = () => new Promise(() => {});', { Timeout: 1 });
  const t0 = performance.now();
  const r = await env.lambda.send(new InvokeCommand({ FunctionName: 'sleeper' }));
  const ms = performance.now() - t0;
  assert.equal(r.FunctionError, 'Unhandled');
  const p = payloadJson(r.Payload) as Record<string, unknown>;
  assert.equal(p.errorType, 'Sandbox.Timedout');
  assert.match(String(p.errorMessage), /Task timed out after 1.00 seconds/);
  assert.ok(ms >= 1000 && ms < 2500, `timed out after ${ms} ms`);
});

test('malformed JSON, oversized payloads, bad names and unknown functions get Lambda errors', async () => {
  await deploy(env.lambda, 'noop', 'exports.handler = async () => null;');
  const bad = await rejection(env.lambda.send(new InvokeCommand({ FunctionName: 'noop', Payload: Buffer.from('{not json') })));
  assert.equal(bad.name, 'InvalidRequestContentException');
  const big = await rejection(
    env.lambda.send(new InvokeCommand({ FunctionName: 'noop', Payload: Buffer.from(JSON.stringify('x'.repeat(6 * 1024 * 1024))) })),
  );
  assert.equal(big.name, 'RequestTooLargeException');
  const bigAsync = await rejection(
    env.lambda.send(
      new InvokeCommand({ FunctionName: 'noop', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify('x'.repeat(1024 * 1024))) }),
    ),
  );
  assert.equal(bigAsync.name, 'RequestTooLargeException');
  const dry = await env.lambda.send(new InvokeCommand({ FunctionName: 'noop', InvocationType: 'DryRun' }));
  assert.equal(dry.StatusCode, 204);
  const dup = await rejection(deploy(env.lambda, 'noop', 'exports.handler = async () => 1;'));
  assert.equal(dup.name, 'ResourceConflictException');
  for (const name of ['../evil', '..%2Fevil', 'a/b', 'x'.repeat(65)]) {
    const e = await rejection(deploy(env.lambda, name, 'exports.handler = async () => 1;'));
    assert.equal(e.name, 'ValidationException', name);
    const inv = await rejection(env.lambda.send(new InvokeCommand({ FunctionName: name })));
    assert.equal(inv.name, 'ValidationException', name);
  }
  const slip = await rejection(
    env.lambda.send(
      new (await import('@aws-sdk/client-lambda')).CreateFunctionCommand({
        FunctionName: 'zipslip',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: 'r',
        Code: { ZipFile: zipFiles({ '../../escape.js': 'x' }) },
      }),
    ),
  );
  assert.equal(slip.name, 'InvalidParameterValueException');
});

test('ListFunctions pages with Marker / NextMarker', async () => {
  await Promise.all(Array.from({ length: 7 }, (_, i) => deploy(env.lambda, `page-${i}`, 'exports.handler = async () => 1;')));
  const first = await env.lambda.send(new ListFunctionsCommand({ MaxItems: 3 }));
  assert.equal(first.Functions?.length, 3);
  assert.ok(first.NextMarker);
  const names: string[] = [];
  let pages = 0;
  for await (const page of paginateListFunctions({ client: env.lambda, pageSize: 3 }, {})) {
    pages++;
    names.push(...(page.Functions ?? []).map((f) => f.FunctionName ?? ''));
  }
  const pageNames = names.filter((n) => n.startsWith('page-'));
  assert.deepEqual(
    pageNames,
    Array.from({ length: 7 }, (_, i) => `page-${i}`),
  );
  assert.equal(new Set(names).size, names.length, 'no function listed twice');
  assert.ok(pages >= 3);
});

test('a handler returning a function or nothing answers null, as Lambda does; a BigInt is a function error', async () => {
  await deploy(
    env.lambda,
    'odd-results',
    `exports.handler = async (e) => (e.kind === 'fn' ? () => 1 : e.kind === 'big' ? 1n : undefined);`,
  );
  for (const kind of ['fn', 'none']) {
    const r = await env.lambda.send(new InvokeCommand({ FunctionName: 'odd-results', Payload: JSON.stringify({ kind }) }));
    assert.deepEqual([r.StatusCode, r.FunctionError, payloadJson(r.Payload)], [200, undefined, null], kind);
  }
  const big = await env.lambda.send(new InvokeCommand({ FunctionName: 'odd-results', Payload: JSON.stringify({ kind: 'big' }) }));
  assert.equal(big.FunctionError, 'Unhandled');
  assert.match(String((payloadJson(big.Payload) as { errorMessage?: string }).errorMessage), /BigInt/);
});
