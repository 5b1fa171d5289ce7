import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GetFunctionCommand, InvokeCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { deploy, payloadJson, rejection, withPlatform, zipFiles } from './helpers';

let env: Awaited<ReturnType<typeof withPlatform>>;
before(async () => {
  env = await withPlatform({ preset: 'instant' }, { maxAttempts: 1 });
});
after(async () => {
  await env.close();
});

const REPORT = `exports.handler = async (event, ctx) => ({ greeting: process.env.GREETING, stage: process.env.STAGE, mem: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  ctxMem: ctx.memoryLimitInMB, timeout: process.env.AWS_LAMBDA_FUNCTION_TIMEOUT, remaining: ctx.getRemainingTimeInMillis(), vcpu: process.env.PROPACK_VCPU_SHARE });`;

const invoke = async (name: string): Promise<Record<string, unknown>> =>
  payloadJson((await env.lambda.send(new InvokeCommand({ FunctionName: name, Payload: '{}' }))).Payload) as Record<string, unknown>;

test('memory, timeout, architecture and environment given at CreateFunction reach the function', async () => {
  const created = await deploy(env.lambda, 'configured', REPORT, {
    MemorySize: 1024,
    Timeout: 7,
    Environment: { Variables: { GREETING: 'hello', STAGE: 'dev' } },
  });
  assert.deepEqual([created.MemorySize, created.Timeout, created.Environment?.Variables], [1024, 7, { GREETING: 'hello', STAGE: 'dev' }]);
  const p = await invoke('configured');
  assert.deepEqual(
    [p.greeting, p.stage, p.mem, p.ctxMem, p.timeout, p.vcpu],
    ['hello', 'dev', '1024', '1024', '7', (1024 / 1769).toFixed(3)],
  );
  assert.ok((p.remaining as number) > 0 && (p.remaining as number) <= 7000, `remaining ${String(p.remaining)} ms within the 7 s timeout`);
});

test('UpdateFunctionConfiguration takes effect on the next invocation; UpdateFunctionCode takes Architectures', async () => {
  await invoke('configured'); // a warm instance on the old configuration
  await env.lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName: 'configured',
      MemorySize: 2048,
      Timeout: 30,
      Environment: { Variables: { GREETING: 'changed' } },
    }),
  );
  const p = await invoke('configured');
  assert.deepEqual(
    [p.greeting, p.stage, p.mem, p.timeout],
    ['changed', undefined, '2048', '30'],
    'a new instance with the new configuration; the variables map is replaced, not merged',
  );
  const updated = await env.lambda.send(
    new UpdateFunctionCodeCommand({ FunctionName: 'configured', ZipFile: zipFiles({ 'index.js': REPORT }), Architectures: ['arm64'] }),
  );
  assert.deepEqual(updated.Architectures, ['arm64']);
  assert.deepEqual((await env.lambda.send(new GetFunctionCommand({ FunctionName: 'configured' }))).Configuration?.Architectures, ['arm64']);
});

test('configurations Lambda refuses are refused: reserved keys, bad architectures, out-of-range memory', async () => {
  const reserved = await rejection(
    deploy(env.lambda, 'reserved', REPORT, { Environment: { Variables: { AWS_REGION: 'eu-west-1', OK: 'x' } } }),
  );
  assert.equal(reserved.name, 'InvalidParameterValueException');
  assert.match(
    reserved.message,
    /reserved keys that are currently not supported for modification\. Reserved keys used in this request: AWS_REGION$/,
  );
  const update = await rejection(
    env.lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'configured',
        MemorySize: 4096,
        Environment: { Variables: { LAMBDA_TASK_ROOT: '/x' } },
      }),
    ),
  );
  assert.equal(update.name, 'InvalidParameterValueException');
  assert.equal(
    (await env.lambda.send(new GetFunctionCommand({ FunctionName: 'configured' }))).Configuration?.MemorySize,
    2048,
    'a refused update changes nothing',
  );
  const arch = await rejection(
    env.lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'configured',
        ZipFile: zipFiles({ 'index.js': REPORT }),
        Architectures: ['x86_64', 'arm64'],
      }),
    ),
  );
  assert.equal(arch.name, 'ValidationException');
  const memory = await rejection(deploy(env.lambda, 'tiny', REPORT, { MemorySize: 64 }));
  assert.match(memory.message, /MemorySize must be an integer from 128 to 10240 MB, got 64/);
});
