/**
 * Template fixtures end to end on the embedded platform (cdk.out, serverless.yml): the file gives the
 * function's settings and names its handler file (a CDK asset folder, a serverless handler path); bundled
 * with the packed runtime, deployed with those settings and run packed, the handler sees them; the SAM
 * fixture's TypeScript entry is bundled with its template's esbuild metadata (EntryPoints under CodeUri).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { parseDeploymentFile } from '../../../src/core/templates/deployment-file';
import { buildBundle } from '../../../src/engine/bundle';
import { deployFunction, LOCAL_ROLE } from '../../../src/engine/deploy';
import { runPacked } from '../../../src/engine/packed-run';
import { openSession } from '../../../src/engine/session';
import { bundleSourceFor, declaredCodeFolder } from '../../../src/extension/commands/deploy-handler';
import { deployEnvironment, functionSettings } from '../../../src/extension/handlers/function-settings';
import { startLocalPlatform } from '../../../src/local';
import { targetOf } from '../local/helpers';

/** A folder under the repository's test/fixtures/templates (the tests run compiled, from out/). */
function fixture(...parts: string[]): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'test', 'fixtures', 'templates', ...parts);
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
  }
  throw new Error(`no test/fixtures/templates/${parts.join('/')} above ${__dirname}`);
}

test('a cdk.out function is deployed with its synthesized settings and runs packed', async () => {
  const dir = fixture('cdk', 'cdk.out');
  const [declared] = parseDeploymentFile('cdk.out/AppStack.template.json', readFileSync(join(dir, 'AppStack.template.json'), 'utf8'));
  const settings = functionSettings(declared);
  const env = deployEnvironment(settings, {});
  const platform = await startLocalPlatform({ preset: 'instant' });
  const session = openSession(targetOf(platform));
  try {
    const bundle = await buildBundle({ kind: 'file', file: join(dir, `${declared.modulePath}.js`), exportName: declared.exportName });
    await deployFunction(session.lambda, bundle, {
      name: declared.functionName,
      memoryMb: settings.memoryMb,
      architecture: settings.architecture,
      timeoutS: settings.timeoutS,
      role: LOCAL_ROLE,
      environment: env.variables,
    });
    const c = await session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'Greeter' }));
    assert.deepEqual([c.MemorySize, c.Timeout], [1536, 25]);
    const r = await runPacked({
      invoker: session.invoker,
      functionName: 'Greeter',
      fn: { memoryMb: 1536, architecture: 'x86_64', region: platform.region },
      tasks: ['ada', 'bo', 'cy'].map((name) => ({ id: name, payload: { name } })),
      packingDegree: 3,
    });
    assert.deepEqual(
      r.outcomes.map((o) => o.result),
      [{ greeting: 'hi ada' }, { greeting: 'hi bo' }, { greeting: 'hi cy' }],
    );
    assert.equal(r.metrics.invocations, 1);
  } finally {
    session.close();
    await platform.stop();
  }
});

test('a serverless.yml function is deployed with its provider defaults and overrides and runs packed', async () => {
  const dir = fixture('serverless');
  const fns = parseDeploymentFile('serverless.yml', readFileSync(join(dir, 'serverless.yml'), 'utf8'));
  const declared = fns.find((f) => f.key === 'thumbs');
  assert.ok(declared);
  const settings = functionSettings(declared);
  const platform = await startLocalPlatform({ preset: 'instant' });
  const session = openSession(targetOf(platform));
  try {
    const bundle = await buildBundle({ kind: 'file', file: join(dir, `${declared.modulePath}.js`), exportName: declared.exportName });
    await deployFunction(session.lambda, bundle, {
      name: 'thumbs',
      memoryMb: settings.memoryMb,
      architecture: settings.architecture,
      timeoutS: settings.timeoutS,
      role: LOCAL_ROLE,
      environment: deployEnvironment(settings, {}).variables,
    });
    const r = await runPacked({
      invoker: session.invoker,
      functionName: 'thumbs',
      fn: { memoryMb: settings.memoryMb, architecture: settings.architecture, region: platform.region },
      tasks: ['a.png', 'b.png'].map((image) => ({ id: image, payload: { image } })),
      packingDegree: 2,
    });
    assert.deepEqual(
      r.outcomes.map((o) => o.result),
      [
        { thumb: 'a.png@dev', table: 'thumbs-dev', memory: '2048' },
        { thumb: 'b.png@dev', table: 'thumbs-dev', memory: '2048' },
      ],
    );
    assert.equal(r.metrics.invocations, 1);
  } finally {
    session.close();
    await platform.stop();
  }
});

test('a SAM function with esbuild metadata is bundled from its EntryPoints under CodeUri, as ESM, and runs packed', async () => {
  const dir = fixture('sam');
  const declared = parseDeploymentFile('template.yaml', readFileSync(join(dir, 'template.yaml'), 'utf8')).find(
    (f) => f.key === 'ResizeFunction',
  );
  assert.ok(declared?.build);
  const file = join(dir, `${declared.modulePath}.ts`);
  assert.equal(declaredCodeFolder(file, declared), join(dir, 'src'));
  const source = bundleSourceFor({ file, exportName: declared.exportName, declared });
  const bundle = await buildBundle(source);
  // Format: esm in the template: the package is an ES module bundle beside the runtime's ESM index.
  assert.ok(
    bundle.files.some((f) => f.endsWith('.mjs')),
    `files: ${bundle.files.join(', ')}`,
  );
  const platform = await startLocalPlatform({ preset: 'instant' });
  const session = openSession(targetOf(platform));
  try {
    await deployFunction(session.lambda, bundle, {
      name: 'resize-dev',
      memoryMb: 1024,
      architecture: 'x86_64',
      timeoutS: 30,
      role: LOCAL_ROLE,
      environment: {},
    });
    const r = await runPacked({
      invoker: session.invoker,
      functionName: 'resize-dev',
      fn: { memoryMb: 1024, architecture: 'x86_64', region: platform.region },
      tasks: [1, 2, 3].map((n) => ({ id: `n${n}`, payload: { n } })),
      packingDegree: 3,
    });
    assert.deepEqual(
      r.outcomes.map((o) => (o.status === 'succeeded' ? '' : JSON.stringify(o))),
      ['', '', ''],
    );
    assert.deepEqual(
      r.outcomes.map((o) => o.result),
      [{ doubled: 2 }, { doubled: 4 }, { doubled: 6 }],
    );
    assert.equal(r.metrics.invocations, 1);
  } finally {
    session.close();
    await platform.stop();
  }
});

test('a handler that is not where its template says has no declared code folder', () => {
  assert.equal(declaredCodeFolder('/w/other/app.ts', { modulePath: 'src/app', codeDir: 'src/' }), undefined);
  assert.equal(declaredCodeFolder('/w/src/app.ts', { modulePath: 'src/app' }), undefined);
  assert.equal(declaredCodeFolder('/w/src/app.ts', { modulePath: 'src/app', codeDir: 'src/' }), '/w/src');
});
