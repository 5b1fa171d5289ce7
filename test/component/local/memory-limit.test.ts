import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { deploy, payloadJson, withPlatform } from './helpers';

const HANDLER = `
let held;
exports.handler = async (e) => {
  if (e.mb) held = Buffer.alloc(e.mb * 1024 * 1024, 1); // touched pages: resident memory
  return { pid: process.pid };
};`;

const maxUsed = (log: string | undefined) => Number(/Max Memory Used: (\d+) MB/.exec(Buffer.from(log ?? '', 'base64').toString())?.[1]);
const logOf = (log: string | undefined) => Buffer.from(log ?? '', 'base64').toString();

test('a worker past its MemorySize is killed: Runtime.OutOfMemory, the platform stays healthy, the next call gets a fresh instance', async () => {
  const env = await withPlatform({ spareProcesses: 2 }, { maxAttempts: 1 });
  try {
    await deploy(env.lambda, 'hog', HANDLER, { MemorySize: 128, Timeout: 30 });
    const first = await env.lambda.send(new InvokeCommand({ FunctionName: 'hog', Payload: '{}', LogType: 'Tail' }));
    assert.equal(first.FunctionError, undefined, logOf(first.LogResult));
    const baseline = maxUsed(first.LogResult);
    assert.ok(baseline > 10 && baseline < 128, `Node's own baseline fits in 128 MB: ${baseline} MB`);
    const { pid } = payloadJson(first.Payload) as { pid: number };

    const t0 = performance.now();
    const oom = await env.lambda.send(new InvokeCommand({ FunctionName: 'hog', Payload: '{"mb":1536}', LogType: 'Tail' }));
    const killMs = performance.now() - t0;
    assert.equal(oom.FunctionError, 'Unhandled');
    const body = payloadJson(oom.Payload) as { errorType: string; errorMessage: string };
    assert.equal(body.errorType, 'Runtime.OutOfMemory', JSON.stringify(body));
    const used = maxUsed(oom.LogResult);
    assert.ok(used > 128 && used < 1536, `Max Memory Used ${used} MB: past the limit, stopped well before 1,536 MB`);
    assert.match(logOf(oom.LogResult), /Memory Size: 128 MB\tMax Memory Used: \d+ MB/);

    const next = await env.lambda.send(new InvokeCommand({ FunctionName: 'hog', Payload: '{}', LogType: 'Tail' }));
    assert.equal(next.FunctionError, undefined);
    assert.notEqual((payloadJson(next.Payload) as { pid: number }).pid, pid, 'a fresh process');
    assert.match(logOf(next.LogResult), /Init Duration/, 'a cold start');
    console.log(`MemorySize 128: baseline ${baseline} MB; a 1,536 MB allocation killed at ${used} MB after ${killMs.toFixed(0)} ms`);
  } finally {
    await env.close();
  }
});

test('memory within MemorySize is allowed and reported honestly', async () => {
  const env = await withPlatform({ spareProcesses: 1 }, { maxAttempts: 1 });
  try {
    await deploy(env.lambda, 'fits', HANDLER, { MemorySize: 512, Timeout: 30 });
    const r = await env.lambda.send(new InvokeCommand({ FunctionName: 'fits', Payload: '{"mb":200}', LogType: 'Tail' }));
    assert.equal(r.FunctionError, undefined, logOf(r.LogResult));
    const used = maxUsed(r.LogResult);
    assert.ok(used >= 200 && used < 512, `Max Memory Used ${used} MB`);
  } finally {
    await env.close();
  }
});
