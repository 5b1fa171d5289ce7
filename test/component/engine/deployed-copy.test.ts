/**
 * The deployed-function copy path on the embedded platform: a plain function created with the SDK's
 * CreateFunction (not by ProPack) is copied from its own Code.Location and configuration, the copy runs
 * packed through handler redirection, the original's CodeSha256 and settings stay as they were, and the
 * copy is deleted (or kept). Real Lambda clients against the real local server.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  UpdateFunctionConfigurationCommand,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { parseProfile } from '../../../src/core/profile';
import {
  COPY_HANDLER,
  copyNameFor,
  copyPackage,
  copyRefusal,
  DeployedCopyError,
  readDeployedFunction,
  withPackedCopy,
} from '../../../src/engine/deployed-copy';
import { runPacked } from '../../../src/engine/packed-run';
import { findDistDir } from '../../../src/engine/bundle';
import { unzipSync } from 'fflate';
import { openSession, type Session } from '../../../src/engine/session';
import { startLocalPlatform, type LocalPlatform } from '../../../src/local';
import { ORIGINAL_HANDLER_ENV, splitLambdaHandler } from '../../../src/runtime/shim-config';
import { runCli } from '../../support/cli';
import { targetOf, zipFiles } from '../local/helpers';

/** A function as a user deploys it: a nested module requiring a sibling, its own package.json, a variable. */
const FILES = {
  'package.json': '{"name": "plain-app", "version": "1.0.0"}',
  'src/lib.js': 'exports.greet = (name) => `${process.env.GREETING} ${name}`;',
  'src/app.js':
    "const { greet } = require('./lib');\nexports.handler = async (event) => ({ message: greet(event.name), pid: process.pid });",
};
const ROLE = 'arn:aws:iam::123456789012:role/user-role';
const fn = { memoryMb: 512, architecture: 'x86_64' as const, region: 'us-east-1' };

let platform: LocalPlatform;
let session: Session;

before(async () => {
  platform = await startLocalPlatform({ preset: 'instant' });
  session = openSession(targetOf(platform));
});
after(async () => {
  session.close();
  await platform.stop();
});

async function createPlain(name: string): Promise<FunctionConfiguration> {
  return session.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Handler: 'src/app.handler',
      Role: ROLE,
      MemorySize: 512,
      Timeout: 20,
      Environment: { Variables: { GREETING: 'hello' } },
      Code: { ZipFile: zipFiles(FILES) },
    }),
  );
}

async function gone(name: string): Promise<boolean> {
  try {
    await session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    return false;
  } catch (e) {
    return (e as Error).name === 'ResourceNotFoundException';
  }
}

test("the Lambda runtime's handler split: module up to the first dot after the last slash", () => {
  assert.deepEqual(splitLambdaHandler('src/app.handler'), { module: './src/app', exportName: 'handler' });
  assert.deepEqual(splitLambdaHandler('index.handlers.main'), { module: './index', exportName: 'handlers.main' });
  assert.deepEqual(splitLambdaHandler('a.b/c.main'), { module: './a.b/c', exportName: 'main' });
  for (const bad of ['handler', '.handler', 'src/app.', 'src/.x']) assert.equal(splitLambdaHandler(bad), undefined, bad);
});

test('a plain function is profiled through a packed copy: the copy runs four tasks in one invocation, the original is unchanged, the copy is deleted', async () => {
  const original = await createPlain('plain');
  const plainResult = await session.lambda.send(
    new InvokeCommand({ FunctionName: 'plain', Payload: new TextEncoder().encode('{"name":"direct"}') }),
  );
  assert.equal(
    (JSON.parse(new TextDecoder().decode(plainResult.Payload)) as { message: string }).message,
    'hello direct',
    'the original runs as it is',
  );
  const steps: string[] = [];
  const outcome = await withPackedCopy(session.lambda, 'plain', { onStep: (s) => steps.push(s) }, async (copy) => {
    assert.equal(copy.name, 'plain-propack');
    const c = copy.configuration;
    assert.equal(c.Handler, COPY_HANDLER);
    assert.deepEqual(c.Environment?.Variables, { GREETING: 'hello', [ORIGINAL_HANDLER_ENV]: 'src/app.handler' });
    assert.deepEqual([c.Role, c.MemorySize, c.Timeout, c.Runtime, c.Architectures], [ROLE, 512, 20, 'nodejs20.x', ['x86_64']]);
    const r = await runPacked({
      invoker: session.invoker,
      functionName: copy.name,
      fn,
      tasks: ['a', 'b', 'c', 'd'].map((n) => ({ id: n, payload: { name: n } })),
      packingDegree: 4,
    });
    return r;
  });
  assert.deepEqual(
    outcome.outcomes.map((o) => o.status),
    ['succeeded', 'succeeded', 'succeeded', 'succeeded'],
  );
  assert.deepEqual(
    outcome.outcomes.map((o) => (o.result as { message: string }).message),
    ['hello a', 'hello b', 'hello c', 'hello d'],
  );
  assert.equal(outcome.metrics.invocations, 1, 'packed: one invocation carried the four tasks');
  assert.equal(new Set(outcome.outcomes.map((o) => (o.result as { pid: number }).pid)).size, 1, 'in one instance');
  assert.equal(await gone('plain-propack'), true, 'the copy is deleted');
  const after = await session.lambda.send(new GetFunctionCommand({ FunctionName: 'plain' }));
  assert.equal(after.Configuration?.CodeSha256, original.CodeSha256);
  assert.equal(after.Configuration?.Handler, 'src/app.handler');
  assert.equal(after.Configuration?.RevisionId, original.RevisionId, 'not even its configuration was touched');
  assert.ok(
    steps.some((s) => s === `plain unchanged (CodeSha256 ${original.CodeSha256 ?? ''})`),
    steps.join('\n'),
  );
});

test('an ES module function (package.json "type": "module", top-level await) is profiled through its copy too', async () => {
  await session.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'esm-plain',
      Runtime: 'nodejs20.x',
      Handler: 'src/app.handler',
      Role: ROLE,
      MemorySize: 512,
      Timeout: 20,
      Code: {
        ZipFile: zipFiles({
          'package.json': '{"name": "esm-app", "type": "module"}',
          'src/lib.js': 'export const twice = (n) => n * 2;',
          'src/app.js':
            "import { twice } from './lib.js';\nconst base = await Promise.resolve(10);\nexport const handler = async (event) => ({ value: base + twice(event.n), pid: process.pid });",
        }),
      },
    }),
  );
  const r = await withPackedCopy(session.lambda, 'esm-plain', {}, (copy) =>
    runPacked({
      invoker: session.invoker,
      functionName: copy.name,
      fn,
      tasks: [1, 2, 3].map((n) => ({ id: `t${n}`, payload: { n } })),
      packingDegree: 3,
    }),
  );
  assert.deepEqual(
    r.outcomes.map((o) => (o.status === 'succeeded' ? o.result : o)),
    [{ value: 12 }, { value: 14 }, { value: 16 }].map((v, i) => ({
      ...v,
      pid: (r.outcomes[i].result as { pid: number } | undefined)?.pid,
    })),
  );
  assert.equal(r.metrics.invocations, 1);
  assert.equal(await gone('esm-plain-propack'), true);
});

test("--keep-copy keeps the copy for packed runs; making the copy again replaces ProPack's own copy", async () => {
  await createPlain('kept');
  const first = await withPackedCopy(session.lambda, 'kept', { keep: true }, async (copy) => copy.configuration.CodeSha256);
  assert.equal(await gone('kept-propack'), false, 'kept');
  const second = await withPackedCopy(session.lambda, 'kept', { keep: true }, async (copy) => copy.configuration.CodeSha256);
  assert.equal(second, first, 'the same original gives the same copy package');
  const res = await session.lambda.send(
    new InvokeCommand({ FunctionName: 'kept-propack', Payload: new TextEncoder().encode('{"name":"raw"}') }),
  );
  assert.equal(
    (JSON.parse(new TextDecoder().decode(res.Payload)) as { message: string }).message,
    'hello raw',
    'an unpacked request runs the original handler too',
  );
});

test("a function of the user's under the copy's name is never replaced", async () => {
  await createPlain('taken');
  await createPlain('taken-propack');
  await assert.rejects(
    withPackedCopy(session.lambda, 'taken', {}, async () => 1),
    (e: unknown) =>
      e instanceof DeployedCopyError &&
      /a function named taken-propack exists and is not a ProPack copy: choose another name with --copy-name/.test(e.message),
  );
  assert.equal(
    (await session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'taken-propack' }))).Handler,
    'src/app.handler',
  );
});

test('an original changed while its copy is profiled fails loudly, naming what changed; the copy is deleted anyway', async () => {
  await createPlain('moving');
  await assert.rejects(
    withPackedCopy(session.lambda, 'moving', {}, async () => {
      await session.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'moving', MemorySize: 1024 }));
    }),
    (e: unknown) =>
      e instanceof DeployedCopyError &&
      /^the original function moving CHANGED while its copy was profiled: MemorySize 512 → 1024\./.test(e.message),
  );
  assert.equal(await gone('moving-propack'), true);
});

test('a missing function and a package already holding the runtime get one clear line', async () => {
  await assert.rejects(
    withPackedCopy(session.lambda, 'nosuch', {}, async () => 1),
    (e: unknown) => e instanceof DeployedCopyError && /^cannot read function nosuch: Function not found/.test(e.message),
  );
  const withRuntime = zipFiles({ 'propack-runtime.cjs': '', 'index.js': '' });
  assert.throws(() => copyPackage(withRuntime, new Uint8Array(), 'x'), /x already holds propack-runtime\.cjs: it is a ProPack copy/);
  assert.equal(copyNameFor('f'.repeat(64)).length, 64);
});

test('only Node.js and Python 3.9+ zip functions are copied; other runtimes and images are refused with the reason', () => {
  assert.equal(copyRefusal({ FunctionName: 'n', PackageType: 'Zip', Runtime: 'nodejs22.x' }), undefined);
  assert.equal(copyRefusal({ FunctionName: 'py', PackageType: 'Zip', Runtime: 'python3.12' }), undefined);
  const only =
    "ProPack's packed runtimes are Node.js and Python, so only nodejs* and python3.9, python3.10, python3.11, python3.12, python3.13 functions can be copied and profiled";
  assert.equal(copyRefusal({ FunctionName: 'old', PackageType: 'Zip', Runtime: 'python3.8' }), `old runs python3.8: ${only}`);
  assert.equal(copyRefusal({ FunctionName: 'j', Runtime: 'java21' }), `j runs java21: ${only}`);
  assert.equal(
    copyRefusal({ FunctionName: 'img', PackageType: 'Image' }),
    'img is a container image function: ProPack can copy zip functions only',
  );
});

test('a plain Python function is profiled through a packed copy: its files and propack_runtime.py, handler redirected, four tasks in one instance', async () => {
  const pyFiles = {
    'svc/app.py':
      'import os\nfrom svc.words import shout\n\ndef main(event, context):\n    return {"message": shout(os.environ["GREETING"], event["name"]), "pid": os.getpid()}\n',
    'svc/__init__.py': '',
    'svc/words.py': 'def shout(greeting, name):\n    return f"{greeting} {name}!"\n',
  };
  const original = await session.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'plain-py',
      Runtime: 'python3.11',
      Handler: 'svc/app.main',
      Role: ROLE,
      MemorySize: 512,
      Timeout: 20,
      Environment: { Variables: { GREETING: 'hi' } },
      Code: { ZipFile: zipFiles(pyFiles) },
    }),
  );
  const outcome = await withPackedCopy(session.lambda, 'plain-py', { keep: true }, async (copy) => {
    const c = copy.configuration;
    assert.equal(c.Handler, 'propack_runtime.handler');
    assert.deepEqual(c.Environment?.Variables, { GREETING: 'hi', [ORIGINAL_HANDLER_ENV]: 'svc/app.main' });
    assert.deepEqual([c.Role, c.MemorySize, c.Timeout, c.Runtime], [ROLE, 512, 20, 'python3.11']);
    return runPacked({
      invoker: session.invoker,
      functionName: copy.name,
      fn,
      tasks: ['a', 'b', 'c', 'd'].map((n) => ({ id: n, payload: { name: n } })),
      packingDegree: 4,
    });
  });
  assert.deepEqual(
    outcome.outcomes.map((o) => (o.result as { message: string } | undefined)?.message),
    ['hi a!', 'hi b!', 'hi c!', 'hi d!'],
  );
  assert.equal(outcome.metrics.invocations, 1, 'packed: one invocation carried the four tasks');
  assert.equal(new Set(outcome.outcomes.map((o) => (o.result as { pid: number }).pid)).size, 1, 'threads mode: in one process');
  const kept = unzipSync((await readDeployedFunction(session.lambda, 'plain-py-propack')).zip);
  assert.deepEqual(
    Object.keys(kept).sort(),
    ['propack_runtime.py', ...Object.keys(pyFiles)].sort(),
    "the original's files, as they are, and the runtime",
  );
  assert.equal(new TextDecoder().decode(kept['propack_runtime.py']), readFileSync(join(findDistDir(), 'propack_runtime.py'), 'utf8'));
  const after = await session.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'plain-py' }));
  assert.deepEqual([after.CodeSha256, after.Handler, after.RevisionId], [original.CodeSha256, 'svc/app.main', original.RevisionId]);
  // Copying the copy is refused: it already holds the runtime.
  await assert.rejects(
    withPackedCopy(session.lambda, 'plain-py-propack', {}, async () => 1),
    /plain-py-propack already holds propack_runtime\.py: it is a ProPack copy/,
  );
});

test('propack profile --copy profiles a function ProPack did not deploy and leaves it as it was; --keep-copy keeps the copy', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'propack-copy-cli-'));
  const dataDir = join(dir, 'local');
  const flags = ['--data-dir', dataDir, '--preset', 'instant'];
  const local = await startLocalPlatform({ dataDir, preset: 'instant' });
  const s = openSession(targetOf(local));
  let sha: string | undefined;
  try {
    sha = (
      await s.lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'users',
          Runtime: 'nodejs20.x',
          Handler: 'src/app.handler',
          Role: ROLE,
          MemorySize: 512,
          Timeout: 20,
          Environment: { Variables: { GREETING: 'hey' } },
          Code: { ZipFile: zipFiles(FILES) },
        }),
      )
    ).CodeSha256;
  } finally {
    s.close();
    await local.stop();
  }
  const payloads = join(dir, 'tasks.json');
  writeFileSync(payloads, JSON.stringify([{ name: 'x' }]));
  const out = join(dir, 'users.json');
  const common = [
    '--function',
    'users',
    '--payloads',
    payloads,
    '--scaling-levels',
    '2',
    '--degrees',
    '1,2',
    '--repetitions',
    '1',
    '--out',
    out,
    ...flags,
  ];
  const r = await runCli('profile', ...common, '--copy');
  assert.equal(r.code, 0, r.err.join('\n'));
  assert.ok(r.out.includes('profiling users through its packed copy users-propack (users itself is not changed)'), r.out.join('\n'));
  assert.ok(r.out.some((l) => l === '[copy] deleted the copy users-propack'));
  const profile = parseProfile(readFileSync(out, 'utf8'), out);
  assert.equal(profile.function.name, 'users-propack', 'the profile names the function that ran');
  assert.deepEqual([...new Set(profile.packing.samples.map((x) => x.degree))].sort(), [1, 2]);

  const kept = await runCli('profile', ...common, '--keep-copy');
  assert.equal(kept.code, 0, kept.err.join('\n'));
  const again = await startLocalPlatform({ dataDir, preset: 'instant' });
  const s2 = openSession(targetOf(again));
  try {
    const orig = await s2.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'users' }));
    assert.deepEqual([orig.CodeSha256, orig.Handler, orig.MemorySize], [sha, 'src/app.handler', 512]);
    const copy = await s2.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'users-propack' }));
    assert.equal(copy.Handler, COPY_HANDLER, 'kept for packed runs');
  } finally {
    s2.close();
    await again.stop();
  }
});

test('profile --copy-name is checked before anything runs', async () => {
  const r = await runCli('profile', '--function', 'f', '--copy-name', 'bad name!', '--benchmark', 'video');
  assert.equal(r.code, 2);
  assert.match(r.err.join('\n'), /^propack profile: --copy-name must be a Lambda function name .* other than f, got "bad name!"$/);
});
