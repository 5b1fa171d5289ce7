/** Python functions on the embedded platform: run with this machine's python3, sandboxed like Node functions. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, type Runtime } from '@aws-sdk/client-lambda';
import { writeTree } from '../../support/node-project';
import { deployFiles, payloadJson, withPlatform } from './helpers';

// A workspace holding a Python module no function ships, with the platform's data folder inside it (as
// .propack/local sits in a user's workspace), and a variable of the user's the functions must not see.
const workspace = realpathSync(mkdtempSync(join(tmpdir(), 'propack-pysandbox-')));
writeTree(workspace, { 'workspace_only.py': 'VALUE = "from the workspace"\n' });
const SECRET = 'PROPACK_TEST_USER_SECRET';
let env: Awaited<ReturnType<typeof withPlatform>>;
before(async () => {
  process.env[SECRET] = 'do-not-leak';
  env = await withPlatform({ preset: 'instant', dataDir: join(workspace, '.propack', 'local') });
});
after(async () => {
  delete process.env[SECRET];
  await env.close();
  rmSync(workspace, { recursive: true, force: true });
});

// At one vCPU (deployFiles' default): at Lambda's 128 MB an interpreter start takes seconds of emulated time.
async function create(name: string, files: Record<string, string>, runtime: Runtime = 'python3.12'): Promise<void> {
  await deployFiles(env.lambda, name, 'app.handler', files, { Runtime: runtime });
}

async function invoke(name: string, payload: unknown = {}): Promise<{ body: unknown; functionError?: string; log: string }> {
  const r = await env.lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(payload), LogType: 'Tail' }));
  return { body: payloadJson(r.Payload), functionError: r.FunctionError, log: Buffer.from(r.LogResult ?? '', 'base64').toString() };
}

test('a Python function sees its package, Lambda variables and its own temp folder: not the workspace, HOME or the user variables', async () => {
  await create('py-env', {
    'app.py': `import os, sys, tempfile
from helper import twice
def handler(event, context):
    path = os.path.join(tempfile.gettempdir(), "scratch.txt")
    with open(path, "w") as f:
        f.write("ok")
    print("hello from", context.function_name)
    try:
        import workspace_only
        leaked = workspace_only.VALUE
    except ImportError as e:
        leaked = str(e)
    return {"twice": twice(event["n"]), "cwd": os.getcwd(), "path": sys.path, "env": dict(os.environ), "tmp": path,
            "leaked": leaked, "remaining": context.get_remaining_time_in_millis(), "request": context.aws_request_id}
`,
    'helper.py': 'def twice(x):\n    return 2 * x\n',
  });
  const r = await invoke('py-env', { n: 21 });
  assert.equal(r.functionError, undefined, JSON.stringify(r.body));
  const b = r.body as {
    twice: number;
    cwd: string;
    path: string[];
    env: Record<string, string>;
    tmp: string;
    leaked: string;
    remaining: number;
  };
  assert.equal(b.twice, 42);
  assert.equal(b.env.LAMBDA_TASK_ROOT, b.cwd, 'the working directory is the code folder');
  assert.equal(b.path[0], b.cwd, 'the code folder comes first on sys.path');
  for (const p of b.path.slice(1)) assert.ok(!p.startsWith(workspace), `nothing of the workspace on sys.path: ${p}`);
  assert.equal(b.leaked, "No module named 'workspace_only'");
  assert.equal(b.env[SECRET], undefined, 'the user variables stay out');
  assert.equal(b.env.AWS_LAMBDA_FUNCTION_NAME, 'py-env');
  assert.equal(b.env.AWS_EXECUTION_ENV, 'AWS_Lambda_python3.12');
  assert.ok(b.env.HOME.startsWith(join(env.platform.dataDir, 'sandbox')), b.env.HOME);
  assert.ok(b.tmp.startsWith(b.env.HOME), 'tempfile writes in the function temp folder');
  assert.equal(b.env.NODE_CHANNEL_FD, undefined, 'the worker channel is not the function variable');
  assert.ok(b.remaining > 0 && b.remaining <= 3000, `3 s default timeout: ${b.remaining}`);
  assert.match(r.log, /hello from py-env/);
});

test('module state is kept between invocations of an instance (warm), as on Lambda', async () => {
  await create('py-state', { 'app.py': 'calls = 0\ndef handler(event, context):\n    global calls\n    calls += 1\n    return calls\n' });
  assert.equal((await invoke('py-state')).body, 1);
  assert.equal((await invoke('py-state')).body, 2);
});

test('errors come back as Lambda Python reports them: the exception, a failed import, a missing handler', async () => {
  await create('py-raise', {
    'app.py': 'def handler(event, context):\n    raise ValueError("frame " + str(event["n"]) + " is corrupt")\n',
  });
  const raised = await invoke('py-raise', { n: 4 });
  assert.equal(raised.functionError, 'Unhandled');
  assert.deepEqual(
    (({ errorType, errorMessage }) => ({ errorType, errorMessage }))(raised.body as { errorType: string; errorMessage: string }),
    { errorType: 'ValueError', errorMessage: 'frame 4 is corrupt' },
  );
  assert.match(raised.log, /ValueError: frame 4 is corrupt/);

  await create('py-import', { 'app.py': 'import workspace_only\ndef handler(event, context):\n    return 1\n' });
  const imp = (await invoke('py-import')).body as { errorType: string; errorMessage: string };
  assert.equal(imp.errorType, 'Runtime.ImportModuleError');
  assert.equal(imp.errorMessage, "Unable to import module 'app': No module named 'workspace_only'");

  await create('py-nohandler', { 'app.py': 'def other(event, context):\n    return 1\n' });
  const missing = (await invoke('py-nohandler')).body as { errorType: string; errorMessage: string };
  assert.equal(missing.errorType, 'Runtime.HandlerNotFound');
  assert.equal(missing.errorMessage, "Handler 'handler' missing on module 'app'");
});

test('a syntax error and a result JSON cannot carry are reported as Lambda does', async () => {
  await create('py-syntax', { 'app.py': 'def handler(event, context)\n    return 1\n' });
  const syntax = (await invoke('py-syntax')).body as { errorType: string; errorMessage: string };
  assert.equal(syntax.errorType, 'Runtime.UserCodeSyntaxError');
  assert.match(syntax.errorMessage, /^Syntax error in module 'app': /);
  await create('py-marshal', { 'app.py': 'def handler(event, context):\n    return {1, 2}\n' });
  const marshal = await invoke('py-marshal');
  assert.equal(marshal.functionError, 'Unhandled');
  assert.deepEqual(
    (({ errorType, errorMessage }) => ({ errorType, errorMessage }))(marshal.body as { errorType: string; errorMessage: string }),
    { errorType: 'Runtime.MarshalError', errorMessage: 'Unable to marshal response: Object of type set is not JSON serializable' },
  );
});

test('python3.9 to python3.13 are accepted; other runtimes are refused with the list', async () => {
  for (const runtime of ['python3.9', 'python3.13'] as const) {
    await create(`py-${runtime.replace('.', '')}`, { 'app.py': 'def handler(event, context):\n    return "ran"\n' }, runtime);
    assert.equal((await invoke(`py-${runtime.replace('.', '')}`)).body, 'ran');
  }
  await assert.rejects(
    create('py27', { 'app.py': '' }, 'python2.7'),
    (e: Error) =>
      e.name === 'InvalidParameterValueException' &&
      e.message ===
        'Runtime python2.7 is not supported locally; use nodejs20.x, python3.9, python3.10, python3.11, python3.12, python3.13 or provided.al2023, provided.al2.',
  );
});
