import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { buildBundle } from '../../../src/engine/bundle';
import { deployFunction, LOCAL_ROLE } from '../../../src/engine/deploy';
import { packEvent, type PackedResponse } from '../../../src/runtime';
import { writeTree } from '../../support/node-project';
import { deployFiles, payloadJson, withPlatform } from './helpers';

// A workspace whose node_modules holds a package no function declares, with the platform's data folder
// inside it (as .propack/local sits in a user's workspace): Node's own lookup would find the package.
const workspace = realpathSync(mkdtempSync(join(tmpdir(), 'propack-sandbox-')));
writeTree(workspace, {
  'package.json': JSON.stringify({ name: 'workspace', version: '1.0.0' }),
  'node_modules/undeclared-pkg/package.json': JSON.stringify({ name: 'undeclared-pkg', version: '1.0.0', main: 'index.js' }),
  'node_modules/undeclared-pkg/index.js': "exports.value = 'from the workspace';\n",
  'src/uses-external.js': "const { value } = require('undeclared-pkg');\nexports.handler = async () => value;\n",
});
let env: Awaited<ReturnType<typeof withPlatform>>;
before(async () => {
  env = await withPlatform({ preset: 'instant', dataDir: join(workspace, '.propack', 'local') });
});
after(async () => {
  await env.close();
  rmSync(workspace, { recursive: true, force: true });
});

// At one vCPU (deployFiles' default): at Lambda's 128 MB, loading the SDK alone takes about 1.8 s of the 3 s timeout.
async function create(name: string, files: Record<string, string>): Promise<void> {
  await deployFiles(env.lambda, name, 'index.handler', files);
}

async function invoke(name: string, payload: unknown = {}): Promise<{ body: unknown; functionError?: string }> {
  const r = await env.lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(payload) }));
  return { body: payloadJson(r.Payload), functionError: r.FunctionError };
}

test('the package exists in the workspace, so only the sandbox can make the require fail', () => {
  assert.ok(existsSync(join(workspace, 'node_modules', 'undeclared-pkg', 'index.js')));
  assert.ok(env.platform.dataDir.startsWith(workspace));
});

test('a CommonJS handler requiring an undeclared package fails as on Lambda: Runtime.ImportModuleError, "Error: Cannot find module \'x\'"', async () => {
  await create('cjs-undeclared', { 'index.js': "const x = require('undeclared-pkg');\nexports.handler = async () => x.value;\n" });
  const r = await invoke('cjs-undeclared');
  assert.equal(r.functionError, 'Unhandled');
  const body = r.body as { errorType: string; errorMessage: string };
  assert.equal(body.errorType, 'Runtime.ImportModuleError');
  assert.match(body.errorMessage, /^Error: Cannot find module 'undeclared-pkg'\nRequire stack:\n- .*index\.js/);
});

test('an ES module handler importing an undeclared package fails the same way', async () => {
  await create('esm-undeclared', { 'index.mjs': "import { value } from 'undeclared-pkg';\nexport const handler = async () => value;\n" });
  const body = (await invoke('esm-undeclared')).body as { errorType: string; errorMessage: string };
  assert.equal(body.errorType, 'Runtime.ImportModuleError');
  assert.match(body.errorMessage, /^Error: Cannot find package 'undeclared-pkg' imported from .*index\.mjs$/);
});

test('a relative path out of the code folder is refused too', async () => {
  await create('escape', { 'index.js': "exports.handler = async () => require('../../../../../node_modules/undeclared-pkg').value;\n" });
  const body = (await invoke('escape')).body as { errorType: string; errorMessage: string };
  assert.match(body.errorMessage, /^Cannot find module '(\.\.\/){5}node_modules\/undeclared-pkg'/);
});

test('a bundle leaving a dependency External fails on the platform as on Lambda, packed tasks included (threads too)', async () => {
  const bundle = await buildBundle({
    kind: 'file',
    file: join(workspace, 'src', 'uses-external.js'),
    build: { external: ['undeclared-pkg'] },
  });
  await deployFunction(env.lambda, bundle, { name: 'external', memoryMb: 256, architecture: 'x86_64', timeoutS: 30, role: LOCAL_ROLE });
  const body = (await invoke('external', packEvent([{ id: 'a', payload: {} }]))).body as { errorType: string; errorMessage: string };
  assert.equal(body.errorType, 'Runtime.ImportModuleError');
  assert.match(body.errorMessage, /^Error: Cannot find module 'undeclared-pkg'/);
  // Bundled (the default), the dependency travels inside the package and the same code runs.
  const inside = await buildBundle({ kind: 'file', file: join(workspace, 'src', 'uses-external.js') });
  await deployFunction(env.lambda, inside, { name: 'external', memoryMb: 256, architecture: 'x86_64', timeoutS: 30, role: LOCAL_ROLE });
  for (const mode of ['async', 'threads'] as const) {
    const packed = (await invoke('external', packEvent([{ id: 'a', payload: {} }], { mode, poolSize: 1 }))).body as PackedResponse;
    assert.deepEqual(
      packed.__propack.tasks.map((t) => t.result ?? t.error),
      ['from the workspace'],
      mode,
    );
  }
});

test('a thread started by the handler is confined as well', async () => {
  await create('thread', {
    'index.js': [
      "const { Worker } = require('node:worker_threads');",
      'exports.handler = () => new Promise((resolve) => {',
      "  const w = new Worker(\"const { parentPort } = require('node:worker_threads'); try { require('undeclared-pkg'); parentPort.postMessage('found'); } catch (e) { parentPort.postMessage(e.code); }\", { eval: true });",
      "  w.once('message', (m) => { resolve(m); void w.terminate(); });",
      '});',
    ].join('\n'),
  });
  assert.deepEqual((await invoke('thread')).body, 'MODULE_NOT_FOUND');
});

test("the runtime's SDK is provided from ProPack's runtime folder, not the workspace or the extension's node_modules", async () => {
  await create('sdk', {
    'index.js':
      "exports.handler = async () => ({ path: require.resolve('@aws-sdk/client-s3'), type: typeof require('@aws-sdk/client-lambda').LambdaClient });\n",
    'esm.mjs': "import { S3Client } from '@aws-sdk/client-s3';\nexport const handler = async () => typeof S3Client;\n",
  });
  const r = (await invoke('sdk')).body as { path: string; type: string };
  assert.match(r.path, /[\\/]lambda-runtime[\\/]node_modules[\\/]@aws-sdk[\\/]client-s3[\\/]index\.js$/);
  assert.equal(r.type, 'function');
});

test("Lambda's variables, and a writable temp folder of the environment's own inside the platform's sandbox", async () => {
  await create('env', {
    'index.js': [
      "const { writeFileSync, readFileSync } = require('node:fs');",
      "const { join } = require('node:path');",
      'exports.handler = async () => {',
      "  const f = join(process.env.TMPDIR, 'probe.txt');",
      "  writeFileSync(f, 'ok');",
      '  const e = process.env;',
      "  return { tmp: e.TMPDIR, home: e.HOME, wrote: readFileSync(f, 'utf8'), cwd: process.cwd(), root: e.LAMBDA_TASK_ROOT, handler: e._HANDLER, group: e.AWS_LAMBDA_LOG_GROUP_NAME, runtime: e.LAMBDA_RUNTIME_DIR, nodePath: e.NODE_PATH, region: e.AWS_REGION };",
      '};',
    ].join('\n'),
  });
  const r = (await invoke('env')).body as Record<string, string>;
  assert.equal(r.wrote, 'ok');
  assert.equal(r.home, r.tmp);
  assert.ok(r.tmp.startsWith(join(env.platform.dataDir, 'sandbox', 'env')), r.tmp);
  assert.equal(r.cwd, r.root);
  assert.equal(r.handler, 'index.handler');
  assert.equal(r.group, '/aws/lambda/env');
  assert.match(r.runtime, /lambda-runtime$/);
  assert.deepEqual(r.nodePath.split(':'), [join(r.runtime, 'node_modules'), r.root]);
  assert.equal(r.region, 'us-east-1');
});

test("a CommonJS handler's dynamic import() loads its own ES modules and built-ins, and is confined like require", async () => {
  // The entry file is compiled once per worker process and run afresh per instance (worker-bootstrap.ts): its
  // import() must still resolve relative to the file and inside the code folder.
  await create('cjs-dynamic-import', {
    'index.js': [
      'let calls = 0;',
      'exports.handler = async (e) => {',
      '  calls++;',
      "  if (e.outside) return (await import('undeclared-pkg')).value;",
      "  const { twice } = await import('./lib/twice.mjs');",
      "  const { basename } = await import('node:path');",
      '  return { value: twice(21), base: basename(__filename), calls };',
      '};',
    ].join('\n'),
    'lib/twice.mjs': 'export const twice = (x) => 2 * x;\n',
  });
  const ok = await invoke('cjs-dynamic-import');
  assert.equal(ok.functionError, undefined, JSON.stringify(ok.body));
  assert.deepEqual(ok.body, { value: 42, base: 'index.js', calls: 1 });
  const refused = await invoke('cjs-dynamic-import', { outside: true });
  assert.equal(refused.functionError, 'Unhandled');
  assert.match((refused.body as { errorMessage: string }).errorMessage, /Cannot find package 'undeclared-pkg'/);
});
