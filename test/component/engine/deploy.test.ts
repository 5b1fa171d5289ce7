import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { buildBundle, type FunctionBundle } from '../../../src/engine/bundle';
import { deployFunction, LOCAL_ROLE } from '../../../src/engine/deploy';
import { withPlatform } from '../local/helpers';

let env: Awaited<ReturnType<typeof withPlatform>>;
let bundle: FunctionBundle;
before(async () => {
  env = await withPlatform({ preset: 'instant' }, { maxAttempts: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'propack-deploy-'));
  writeFileSync(join(dir, 'h.js'), 'exports.handler = async () => process.env.GREETING;\n');
  bundle = await buildBundle({ kind: 'file', file: join(dir, 'h.js') });
});
after(async () => {
  await env.close();
});

test('a redeploy applies a changed memory size, timeout, architecture and environment; an unchanged one changes nothing', async () => {
  const base = {
    name: 'redeploy',
    memoryMb: 1769,
    architecture: 'x86_64' as const,
    timeoutS: 300,
    role: LOCAL_ROLE,
    environment: { A: '1', B: '2' },
  };
  assert.equal((await deployFunction(env.lambda, bundle, base)).action, 'created');
  assert.equal(
    (await deployFunction(env.lambda, bundle, { ...base, environment: { B: '2', A: '1' } })).action,
    'unchanged',
    'the same variables in another order',
  );
  assert.equal(
    (await deployFunction(env.lambda, bundle, { ...base, memoryMb: 1024, timeoutS: 60, architecture: 'arm64', environment: { A: '1' } }))
      .action,
    'updated',
  );
  const c = (await env.lambda.send(new GetFunctionCommand({ FunctionName: 'redeploy' }))).Configuration;
  assert.deepEqual(
    [c?.MemorySize, c?.Timeout, c?.Architectures, c?.Environment?.Variables],
    [1024, 60, ['arm64'], { A: '1', ...bundle.environment }],
    "the user's variables, with the package's own (NODE_OPTIONS for its source map)",
  );
});

test('a Python package deploys as python3.12 with handler redirection; redeploying a Node.js function as Python switches its runtime', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'propack-deploy-py-'));
  writeFileSync(
    join(dir, 'greet.py'),
    'import os\ndef lambda_handler(event, context):\n    return "py:" + os.environ.get("GREETING", "")\n',
  );
  const py = await buildBundle({ kind: 'file', file: join(dir, 'greet.py') });
  const opts = {
    name: 'swap',
    memoryMb: 256,
    architecture: 'x86_64' as const,
    timeoutS: 30,
    role: LOCAL_ROLE,
    environment: { GREETING: 'hi' },
  };
  assert.equal((await deployFunction(env.lambda, bundle, opts)).action, 'created');
  const invoke = async (): Promise<unknown> =>
    JSON.parse(Buffer.from((await env.lambda.send(new InvokeCommand({ FunctionName: 'swap' }))).Payload ?? []).toString()) as unknown;
  assert.equal(await invoke(), 'hi');
  assert.equal((await deployFunction(env.lambda, py, opts)).action, 'updated');
  const c = (await env.lambda.send(new GetFunctionCommand({ FunctionName: 'swap' }))).Configuration;
  assert.deepEqual([c?.Runtime, c?.Handler], ['python3.12', 'propack_runtime.handler']);
  assert.deepEqual(c?.Environment?.Variables, { GREETING: 'hi', PROPACK_ORIGINAL_HANDLER: 'greet.lambda_handler' });
  assert.equal(await invoke(), 'py:hi');
  assert.equal((await deployFunction(env.lambda, py, opts)).action, 'unchanged');
});

test('a declared runtime is deployed and a changed one is applied on redeploy; without one the function keeps its own', async () => {
  const base = { name: 'declared-runtime', memoryMb: 512, architecture: 'x86_64' as const, timeoutS: 30, role: LOCAL_ROLE };
  const runtimeOf = async (): Promise<string | undefined> =>
    (await env.lambda.send(new GetFunctionCommand({ FunctionName: 'declared-runtime' }))).Configuration?.Runtime;
  assert.equal((await deployFunction(env.lambda, bundle, { ...base, runtime: 'nodejs22.x' })).action, 'created');
  assert.equal(await runtimeOf(), 'nodejs22.x');
  assert.equal((await deployFunction(env.lambda, bundle, { ...base, runtime: 'nodejs18.x' })).action, 'updated');
  assert.equal(await runtimeOf(), 'nodejs18.x');
  assert.equal((await deployFunction(env.lambda, bundle, base)).action, 'unchanged');
  assert.equal(await runtimeOf(), 'nodejs18.x');
});
