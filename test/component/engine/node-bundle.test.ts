import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { strFromU8, unzipSync } from 'fflate';
import { buildBundle, SOURCE_MAP_ENVIRONMENT, unpackableReason, type FunctionBundle } from '../../../src/engine/bundle';
import { BundleError, entryFormat } from '../../../src/engine/bundle-esbuild';
import { deployFunction, LOCAL_ROLE, withBundleEnvironment } from '../../../src/engine/deploy';
import { packEvent, type PackedResponse } from '../../../src/runtime';
import { APP_TS_THROW_LINE, writeNodeProject, writeTree } from '../../support/node-project';
import { payloadJson, withPlatform } from '../local/helpers';

const work = mkdtempSync(join(tmpdir(), 'propack-node-bundle-'));
const project = writeNodeProject(join(work, 'project'));
let env: Awaited<ReturnType<typeof withPlatform>>;
before(async () => {
  env = await withPlatform({ preset: 'instant' });
});
after(async () => {
  await env.close();
  rmSync(work, { recursive: true, force: true });
});

async function deployBundle(lambda: LambdaClient, name: string, bundle: FunctionBundle): Promise<void> {
  await deployFunction(lambda, bundle, { name, memoryMb: 256, architecture: 'x86_64', timeoutS: 30, role: LOCAL_ROLE });
}

/** Invokes `name` with `payload`; the decoded answer, Lambda's function error flag and the log tail. */
async function invoke(name: string, payload: unknown): Promise<{ body: unknown; functionError?: string; log: string }> {
  const r = await env.lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(payload), LogType: 'Tail' }));
  return { body: payloadJson(r.Payload), functionError: r.FunctionError, log: Buffer.from(r.LogResult ?? '', 'base64').toString('utf8') };
}

async function invokePacked(
  name: string,
  payloads: unknown[],
  mode: 'async' | 'threads' = 'async',
): Promise<{ response: PackedResponse['__propack']; log: string }> {
  const r = await invoke(
    name,
    packEvent(
      payloads.map((payload, i) => ({ id: `t${i}`, payload })),
      { mode, poolSize: 2 },
    ),
  );
  assert.equal(r.functionError, undefined, JSON.stringify(r.body));
  return { response: (r.body as PackedResponse).__propack, log: r.log };
}

test('a TypeScript handler is bundled with its npm dependency and tsconfig paths, and runs packed (async and threads)', async () => {
  const bundle = await buildBundle({ kind: 'file', file: join(project, 'src', 'app.ts') });
  assert.deepEqual(bundle.files.sort(), ['app.js', 'app.js.map', 'index.js', 'propack.json']);
  assert.deepEqual(bundle.environment, SOURCE_MAP_ENVIRONMENT);
  const files = unzipSync(bundle.zip);
  assert.match(strFromU8(files['app.js']), /hello /, 'tiny-greet is inside the bundle');
  assert.match(strFromU8(files['app.js']), /sourceMappingURL=app\.js\.map/);
  assert.deepEqual((JSON.parse(strFromU8(files['app.js.map'])) as { sources: string[] }).sources.sort(), [
    'node_modules/tiny-greet/index.js',
    'src/app.ts',
    'src/lib/math.ts',
  ]);
  await deployBundle(env.lambda, 'ts-app', bundle);
  const asyncRun = await invokePacked('ts-app', [
    { n: 3, name: 'ada' },
    { n: 4, name: 'bob' },
  ]);
  assert.deepEqual(
    asyncRun.response.tasks.map((t) => t.result),
    [
      { greeting: 'hello ada', square: 9 },
      { greeting: 'hello bob', square: 16 },
    ],
  );
  const threads = await invokePacked('ts-app', [{ n: 5, name: 'cy' }], 'threads');
  assert.deepEqual(
    threads.response.tasks.map((t) => t.result),
    [{ greeting: 'hello cy', square: 25 }],
  );
});

test("a failing task's stack names the TypeScript source line (source map + NODE_OPTIONS=--enable-source-maps)", async () => {
  const bundle = await buildBundle({ kind: 'file', file: join(project, 'src', 'app.ts') });
  await deployBundle(env.lambda, 'ts-fail', bundle);
  const where = new RegExp(`src/app\\.ts:${APP_TS_THROW_LINE}:\\d+`);
  const packed = await invokePacked('ts-fail', [{ n: 1, name: 'x', fail: true }]);
  assert.deepEqual(packed.response.tasks[0].error, { type: 'Error', message: 'asked to fail' });
  assert.match(packed.log, where, packed.log);
  const unpacked = await invoke('ts-fail', { n: 1, name: 'x', fail: true });
  assert.equal(unpacked.functionError, 'Unhandled');
  const body = unpacked.body as { errorType: string; errorMessage: string; trace: string[] };
  assert.equal(body.errorMessage, 'asked to fail');
  assert.match(body.trace.join('\n'), where, body.trace.join('\n'));
  // Without the source map the stack names the bundle, not the source.
  await deployBundle(
    env.lambda,
    'ts-nomap',
    await buildBundle({ kind: 'file', file: join(project, 'src', 'app.ts'), build: { sourcemap: false } }),
  );
  const plain = (await invoke('ts-nomap', { n: 1, name: 'x', fail: true })).body as { trace: string[] };
  assert.doesNotMatch(plain.trace.join('\n'), /app\.ts/);
  assert.match(plain.trace.join('\n'), /app\.js:\d+/);
});

test('an ES module handler with top-level await is bundled as ESM, takes the SDK from the runtime, and runs packed', async () => {
  const bundle = await buildBundle({ kind: 'file', file: join(project, 'src', 'esm.mjs') });
  assert.deepEqual(bundle.files.sort(), ['esm.mjs', 'esm.mjs.map', 'index.mjs', 'propack-runtime.cjs', 'propack.json']);
  const code = strFromU8(unzipSync(bundle.zip)['esm.mjs']);
  assert.match(code, /from "@aws-sdk\/client-s3"/, '@aws-sdk/* stays external by default');
  assert.match(code, /await new Promise/, 'top-level await kept: the output is an ES module');
  await deployBundle(env.lambda, 'esm-app', bundle);
  const run = await invokePacked('esm-app', [{ x: 1 }, { x: 5 }]);
  // The project's own (fake) SDK stays out: the function gets the runtime's real client.
  const real = { sdk: 'function', projectCopy: false };
  assert.deepEqual(
    run.response.tasks.map((t) => t.result ?? t.error),
    [
      { value: 6, ...real },
      { value: 30, ...real },
    ],
  );
  const threads = await invokePacked('esm-app', [{ x: 2 }], 'threads');
  assert.deepEqual(
    threads.response.tasks.map((t) => t.result ?? t.error),
    [{ value: 12, ...real }],
  );
  // bundleAwsSdk puts the project's copy inside the bundle instead.
  const bundled = await buildBundle({ kind: 'file', file: join(project, 'src', 'esm.mjs'), build: { bundleAwsSdk: true } });
  assert.doesNotMatch(strFromU8(unzipSync(bundled.zip)['esm.mjs']), /from "@aws-sdk\/client-s3"/);
  await deployBundle(env.lambda, 'esm-sdk', bundled);
  const own = await invokePacked('esm-sdk', [{ x: 1 }]);
  assert.deepEqual(
    own.response.tasks.map((t) => t.result ?? t.error),
    [{ value: 6, sdk: 'function', projectCopy: true }],
  );
});

test('a CommonJS handler is bundled with its dependency and runs packed', async () => {
  const bundle = await buildBundle({ kind: 'file', file: join(project, 'src', 'legacy.cjs') });
  assert.deepEqual(bundle.files.sort(), ['index.js', 'legacy.js', 'legacy.js.map', 'propack.json']);
  await deployBundle(env.lambda, 'cjs-app', bundle);
  const run = await invokePacked('cjs-app', [{ name: 'eve' }]);
  assert.deepEqual(
    run.response.tasks.map((t) => t.result),
    [{ said: 'hello eve', pid: 'number' }],
  );
  assert.deepEqual(
    await invoke('cjs-app', { name: 'raw' }).then((r) => r.body),
    { said: 'hello raw', pid: 'number' },
    'an unpacked event runs in place',
  );
});

test('the output format follows the entry point, and build properties override it', async () => {
  const typed = writeTree(join(work, 'typed'), {
    'package.json': JSON.stringify({ name: 'typed', type: 'module' }),
    'h.js': 'export const handler = async () => 1;\n',
    'h.cts': 'export const handler = async (): Promise<number> => 2;\n',
  });
  assert.equal(entryFormat(join(typed, 'h.js')), 'esm');
  assert.equal(entryFormat(join(typed, 'h.cts')), 'cjs');
  assert.equal(entryFormat(join(project, 'src', 'app.ts')), 'cjs');
  assert.equal(entryFormat(join(project, 'src', 'esm.mjs')), 'esm');
  assert.ok((await buildBundle({ kind: 'file', file: join(typed, 'h.js') })).files.includes('index.mjs'));
  const forced = await buildBundle({ kind: 'file', file: join(typed, 'h.js'), build: { format: 'cjs', minify: true, sourcemap: false } });
  assert.deepEqual(forced.files.sort(), ['h.js', 'index.js', 'propack.json']);
  assert.equal(forced.environment, undefined, 'no source map, no NODE_OPTIONS');
  // EntryPoints (relative to the code folder) choose the file esbuild starts from.
  const entry = await buildBundle({
    kind: 'file',
    file: join(project, 'app.js'),
    codeDir: project,
    build: { entryPoints: ['src/app.ts'] },
  });
  assert.deepEqual(entry.files.sort(), ['app.js', 'app.js.map', 'index.js', 'propack.json']);
});

test('what cannot be bundled fails with one line that says what to do', async () => {
  const broken = writeTree(join(work, 'broken'), {
    'package.json': '{"name":"broken"}',
    'missing.ts': "import { x } from 'not-installed-pkg';\nexport const handler = async () => x;\n",
    'syntax.ts': 'export const handler = async () => {;\n',
  });
  await assert.rejects(
    buildBundle({ kind: 'file', file: join(broken, 'missing.ts') }),
    (e: unknown) =>
      e instanceof BundleError &&
      e.reason ===
        'esbuild could not bundle it: missing.ts:1:19: Could not resolve "not-installed-pkg" (install it in the project: npm install not-installed-pkg, or list it in the build\'s External)',
  );
  await assert.rejects(
    buildBundle({ kind: 'file', file: join(broken, 'syntax.ts') }),
    (e: unknown) =>
      e instanceof BundleError &&
      /^esbuild could not bundle it: syntax\.ts:\d+:\d+: Unexpected end of file$/.test(e.reason) &&
      !e.reason.includes('\n'),
  );
  for (const f of ['a.ts', 'a.mts', 'a.cts', 'a.tsx', 'a.mjs', 'a.js', 'a.cjs']) assert.equal(unpackableReason(f), undefined, f);
  assert.match(unpackableReason('a.rb') ?? '', /must be a Node\.js module/);
});

test("the package's NODE_OPTIONS joins the user's variables without overriding them", () => {
  assert.deepEqual(withBundleEnvironment(undefined, { NODE_OPTIONS: '--enable-source-maps' }), { NODE_OPTIONS: '--enable-source-maps' });
  assert.deepEqual(withBundleEnvironment({ A: '1' }, undefined), { A: '1' });
  assert.deepEqual(withBundleEnvironment({ A: '1', NODE_OPTIONS: '--max-old-space-size=200' }, { NODE_OPTIONS: '--enable-source-maps' }), {
    A: '1',
    NODE_OPTIONS: '--max-old-space-size=200 --enable-source-maps',
  });
  assert.deepEqual(withBundleEnvironment({ NODE_OPTIONS: '--enable-source-maps' }, { NODE_OPTIONS: '--enable-source-maps' }), {
    NODE_OPTIONS: '--enable-source-maps',
  });
});
