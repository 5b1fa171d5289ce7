import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  UpdateFunctionConfigurationCommand,
  type InvokeCommandOutput,
} from '@aws-sdk/client-lambda';
import { payloadJson, rejection, withPlatform, zipFiles } from './helpers';
import { deployProvided, providedZip } from './runtime-fixtures';

/**
 * A custom runtime as one would write it for Lambda: it builds its URLs from AWS_LAMBDA_RUNTIME_API with
 * fetch, takes invocations from /next and answers each; the event's `action` says how.
 */
const RUNTIME = `
const base = 'http://' + process.env.AWS_LAMBDA_RUNTIME_API + '/2018-06-01/runtime';
const post = (path, body, headers = {}) => fetch(base + path, { method: 'POST', body, headers });
let served = 0;
(async () => {
  if (process.env.INIT_FAIL) {
    await post('/init/error', JSON.stringify({ errorType: 'Init.Boom', errorMessage: 'config missing' }), {
      'Lambda-Runtime-Function-Error-Type': 'Init.Boom',
    });
    process.exit(1);
  }
  let held;
  for (;;) {
    const r = await fetch(base + '/invocation/next');
    const id = r.headers.get('lambda-runtime-aws-request-id');
    const event = await r.json();
    served++;
    const answer = (v) => post('/invocation/' + id + '/response', JSON.stringify(v));
    switch (event.action) {
      case 'error':
        await post('/invocation/' + id + '/error', JSON.stringify({ errorType: 'Boom', errorMessage: 'bad input ' + event.n, stackTrace: ['at main'] }), {
          'Lambda-Runtime-Function-Error-Type': 'Boom',
        });
        break;
      case 'exit':
        console.log('leaving mid-invocation');
        process.exit(3);
      case 'sleep':
        await new Promise((res) => setTimeout(res, event.ms));
        await answer({ slept: event.ms });
        break;
      case 'big':
        await answer('x'.repeat(7 * 1024 * 1024));
        break;
      case 'hog':
        held = Buffer.alloc(event.mb * 1024 * 1024, 1);
        await answer({ held: held.length });
        break;
      default:
        await answer({
          id,
          deadline: Number(r.headers.get('lambda-runtime-deadline-ms')),
          arn: r.headers.get('lambda-runtime-invoked-function-arn'),
          trace: r.headers.get('lambda-runtime-trace-id'),
          clientContext: r.headers.get('lambda-runtime-client-context'),
          now: Date.now(),
          pid: process.pid,
          served,
          event,
          handler: process.env._HANDLER,
          cwd: process.cwd(),
          taskRoot: process.env.LAMBDA_TASK_ROOT,
          home: process.env.HOME,
          hasRole: typeof process.env.AWS_SESSION_TOKEN === 'string',
          userProfile: process.env.AWS_PROFILE ?? null,
          functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
          instanceId: process.env.PROPACK_INSTANCE_ID,
        });
    }
  }
})();
`;

const logOf = (o: InvokeCommandOutput) => Buffer.from(o.LogResult ?? '', 'base64').toString();
const invoke = (lambda: import('@aws-sdk/client-lambda').LambdaClient, name: string, event: unknown) =>
  lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(event), LogType: 'Tail' }));

interface Echo {
  id: string;
  deadline: number;
  arn: string;
  trace: string;
  now: number;
  pid: number;
  served: number;
  event: unknown;
  handler: string;
  cwd: string;
  taskRoot: string;
  home: string;
  hasRole: boolean;
  userProfile: string | null;
  functionName: string;
  clientContext: string | null;
  instanceId: string;
}

test('provided.al2023 through the Runtime API: result, headers, payload, warm reuse with one cold start', async () => {
  const env = await withPlatform({ spareProcesses: 1 }, { maxAttempts: 1 });
  try {
    await deployProvided(env.lambda, 'custom', { 'runtime.js': RUNTIME }, { Timeout: 7 });
    const first = await invoke(env.lambda, 'custom', { hello: 'world', n: [1, 2] });
    assert.equal(first.FunctionError, undefined, logOf(first));
    const a = payloadJson(first.Payload) as Echo;
    assert.deepEqual(a.event, { hello: 'world', n: [1, 2] });
    assert.equal(a.id, first.$metadata.requestId, 'the runtime sees the request id the caller gets');
    assert.ok(a.deadline > a.now && a.deadline - a.now <= 7000, `deadline ${a.deadline - a.now} ms ahead, within Timeout 7 s`);
    assert.match(a.arn, /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:custom$/);
    assert.match(a.trace, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    assert.equal(a.handler, 'my.handler', '_HANDLER');
    assert.equal(a.cwd, a.taskRoot, 'cwd = LAMBDA_TASK_ROOT = the code folder');
    assert.ok(a.home.startsWith(env.platform.dataDir), `HOME inside the sandbox: ${a.home}`);
    assert.equal(a.hasRole, true, 'the function role key, as Lambda hands out role credentials');
    assert.equal(a.functionName, 'custom');
    assert.match(a.instanceId, /^custom-\d+$/, 'PROPACK_INSTANCE_ID');
    assert.match(logOf(first), /Init Duration: \d+\.\d+ ms/, 'the first invocation is a cold start');

    const second = await invoke(env.lambda, 'custom', { again: true });
    const b = payloadJson(second.Payload) as Echo;
    assert.equal(b.pid, a.pid, 'the same process serves the second invocation');
    assert.equal(b.served, 2);
    assert.equal(b.instanceId, a.instanceId);
    assert.notEqual(b.id, a.id);
    assert.doesNotMatch(logOf(second), /Init Duration/, 'warm: no second cold start');
    assert.deepEqual(env.platform.counts(), { instances: 1, processes: 1, inflight: 0 });

    const ctx = { client: { installation_id: 'i-1' }, custom: { tenant: 't7' } };
    const third = await env.lambda.send(
      new InvokeCommand({ FunctionName: 'custom', Payload: '{}', ClientContext: Buffer.from(JSON.stringify(ctx)).toString('base64') }),
    );
    const c = payloadJson(third.Payload) as Echo & { clientContext: string | null };
    assert.deepEqual(JSON.parse(c.clientContext ?? 'null'), ctx, 'Lambda-Runtime-Client-Context: the decoded client context');
    assert.equal(b.clientContext, null, 'no client context: no header');
    const badCtx = await rejection(
      env.lambda.send(new InvokeCommand({ FunctionName: 'custom', Payload: '{}', ClientContext: 'not base64!' })),
    );
    assert.equal(badCtx.name, 'InvalidRequestContentException');
  } finally {
    await env.close();
  }
});

test('a handler error, a runtime exiting mid-invocation, a timeout and an oversized response fail as on Lambda', async () => {
  const env = await withPlatform({ spareProcesses: 1 }, { maxAttempts: 1 });
  try {
    await deployProvided(env.lambda, 'faulty', { 'runtime.js': RUNTIME }, { Timeout: 1 });
    const failed = await invoke(env.lambda, 'faulty', { action: 'error', n: 7 });
    assert.equal(failed.FunctionError, 'Unhandled');
    assert.deepEqual(payloadJson(failed.Payload), { errorType: 'Boom', errorMessage: 'bad input 7', stackTrace: ['at main'] });
    const warm = payloadJson((await invoke(env.lambda, 'faulty', {})).Payload) as Echo;
    assert.equal(warm.served, 2, 'a handler error keeps the environment');

    const exited = await invoke(env.lambda, 'faulty', { action: 'exit' });
    assert.equal(exited.FunctionError, 'Unhandled');
    const body = payloadJson(exited.Payload) as { errorType: string; errorMessage: string };
    assert.equal(body.errorType, 'Runtime.ExitError');
    assert.match(body.errorMessage, /Runtime exited with error: exit status 3$/);
    assert.match(logOf(exited), /leaving mid-invocation/, "the runtime's output is the invocation's log");
    const after = await invoke(env.lambda, 'faulty', {});
    assert.notEqual((payloadJson(after.Payload) as Echo).pid, warm.pid, 'a new environment after the exit');
    assert.match(logOf(after), /Init Duration/);

    const slow = await invoke(env.lambda, 'faulty', { action: 'sleep', ms: 5000 });
    assert.equal(slow.FunctionError, 'Unhandled');
    assert.equal((payloadJson(slow.Payload) as { errorType: string }).errorType, 'Sandbox.Timedout');
    const fresh = payloadJson((await invoke(env.lambda, 'faulty', {})).Payload) as Echo;
    assert.equal(fresh.served, 1, 'the timed-out environment was stopped');

    const big = await invoke(env.lambda, 'faulty', { action: 'big' });
    assert.equal(big.FunctionError, 'Unhandled');
    const tooLarge = payloadJson(big.Payload) as { errorType: string; errorMessage: string };
    assert.equal(tooLarge.errorType, 'Function.ResponseSizeTooLarge');
    assert.match(tooLarge.errorMessage, /exceeded maximum allowed payload size \(6291456 bytes\)/);
  } finally {
    await env.close();
  }
});

test('an init error fails the invocation with the runtime error and retires the environment', async () => {
  const env = await withPlatform({ spareProcesses: 1 }, { maxAttempts: 1 });
  try {
    await deployProvided(env.lambda, 'noinit', { 'runtime.js': RUNTIME }, { Environment: { Variables: { INIT_FAIL: '1' } } });
    for (let i = 0; i < 2; i++) {
      const r = await invoke(env.lambda, 'noinit', {});
      assert.equal(r.FunctionError, 'Unhandled');
      assert.deepEqual(payloadJson(r.Payload), { errorType: 'Init.Boom', errorMessage: 'config missing' });
    }
    assert.equal(env.platform.counts().instances, 0, 'no environment is kept after an init error');
  } finally {
    await env.close();
  }
});

test('a missing or non-executable bootstrap fails with Runtime.InvalidEntrypoint, one line that says what to do', async () => {
  const env = await withPlatform({ spareProcesses: 1 }, { maxAttempts: 1 });
  try {
    await deployProvided(env.lambda, 'nobootstrap', { 'runtime.js': RUNTIME }, {}, 'none');
    await deployProvided(env.lambda, 'plainbootstrap', { 'runtime.js': RUNTIME }, {}, 'plain');
    await deployProvided(env.lambda, 'noshebang', { bootstrap: 'echo no interpreter line\n' });
    for (const [name, wording] of [
      ['noshebang', /bootstrap could not be started \(exec format error\): begin it with a #! line/],
      [
        'nobootstrap',
        /Couldn't find valid bootstrap\(s\): \[.*\/bootstrap\]: put an executable file named bootstrap at the root of the zip/,
      ],
      ['plainbootstrap', /bootstrap is not executable: mark bootstrap executable \(chmod 755\)/],
    ] as const) {
      const r = await invoke(env.lambda, name, {});
      assert.equal(r.FunctionError, 'Unhandled');
      const e = payloadJson(r.Payload) as { errorType: string; errorMessage: string };
      assert.equal(e.errorType, 'Runtime.InvalidEntrypoint');
      assert.match(e.errorMessage, wording);
      assert.doesNotMatch(e.errorMessage, /\n/);
    }
  } finally {
    await env.close();
  }
});

test('memory limit and injected crashes apply to Runtime API environments too', async () => {
  const env = await withPlatform({ spareProcesses: 1 }, { maxAttempts: 1 });
  try {
    await deployProvided(env.lambda, 'hog', { 'runtime.js': RUNTIME }, { MemorySize: 128, Timeout: 30 });
    const oom = await invoke(env.lambda, 'hog', { action: 'hog', mb: 1024 });
    assert.equal(oom.FunctionError, 'Unhandled');
    assert.equal((payloadJson(oom.Payload) as { errorType: string }).errorType, 'Runtime.OutOfMemory');
    const used = Number(/Max Memory Used: (\d+) MB/.exec(logOf(oom))?.[1]);
    assert.ok(used > 128 && used < 1024, `killed past 128 MB, well before 1 GB: ${used} MB`);
    assert.equal((await invoke(env.lambda, 'hog', {})).FunctionError, undefined, 'a fresh environment next');
  } finally {
    await env.close();
  }
  const crashy = await withPlatform({ spareProcesses: 1, faults: { crash: 1 } }, { maxAttempts: 1 });
  try {
    await deployProvided(crashy.lambda, 'crashy', { 'runtime.js': RUNTIME });
    const r = await invoke(crashy.lambda, 'crashy', { action: 'sleep', ms: 2000 });
    assert.equal((payloadJson(r.Payload) as { errorType: string }).errorType, 'Runtime.ExitError');
    assert.equal(crashy.platform.faultCounts().crash, 1);
  } finally {
    await crashy.close();
  }
});

test('CreateFunction and UpdateFunctionConfiguration accept provided.al2023 and provided.al2; other runtimes stay refused', async () => {
  const env = await withPlatform({ spareProcesses: 1 }, { maxAttempts: 1 });
  try {
    await deployProvided(env.lambda, 'al2', { 'runtime.js': RUNTIME }, { Runtime: 'provided.al2' });
    assert.equal((await env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'al2' }))).Runtime, 'provided.al2');
    assert.equal((await invoke(env.lambda, 'al2', {})).FunctionError, undefined);
    await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'al2', Runtime: 'provided.al2023', Handler: 'other' }));
    const r = payloadJson((await invoke(env.lambda, 'al2', {})).Payload) as Echo;
    assert.equal(r.handler, 'other', 'new configuration, new environment');
    assert.equal(r.served, 1);
    const refused = await rejection(
      env.lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'ruby',
          Runtime: 'ruby3.3',
          Handler: 'x.y',
          Role: 'arn:aws:iam::123456789012:role/test',
          Code: { ZipFile: zipFiles({ 'x.rb': '' }) },
        }),
      ),
    );
    assert.equal(refused.name, 'InvalidParameterValueException');
    assert.match(refused.message, /provided\.al2023, provided\.al2/);
    const blank = await rejection(
      env.lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'blank',
          Runtime: 'provided.al2023',
          Handler: 'has space',
          Role: 'arn:aws:iam::123456789012:role/test',
          Code: { ZipFile: providedZip({ 'runtime.js': RUNTIME }) },
        }),
      ),
    );
    assert.equal(blank.name, 'InvalidParameterValueException');
  } finally {
    await env.close();
  }
});
