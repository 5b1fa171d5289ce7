/** `propack local start` as a user runs it: bad data folders end with one line and exit 2; stops never hang. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetFunctionConcurrencyCommand, InvokeCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { createLambdaClient } from '../../../src/platform';
import { deploy, rejection, withPlatform } from './helpers';
import { readEndpointFile } from '../../../src/cli/platform-flags';

const CLI = resolve(__dirname, '../../../src/cli/main.js');

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; ms: number }>;
}

function start(args: string[]): Started {
  const child = spawn(process.execPath, [CLI, 'local', 'start', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '',
    stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  let signalledAt = 0;
  const kill = child.kill.bind(child);
  child.kill = (s?: NodeJS.Signals | number) => {
    signalledAt ||= performance.now();
    return kill(s);
  };
  const exited = new Promise<{ code: number | null; ms: number }>((r) =>
    child.once('close', (code) => r({ code, ms: performance.now() - signalledAt })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Resolves when `stream` of the child has printed a line matching `re` (or rejects after `ms`). */
function printed(s: Started, which: 'stdout' | 'stderr', re: RegExp, ms = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      s.child.kill('SIGKILL');
      reject(new Error(`no ${re} on ${which} within ${ms} ms: ${s.stderr()}`));
    }, ms);
    const check = () => {
      const m = re.exec(which === 'stdout' ? s.stdout() : s.stderr());
      if (m) {
        clearTimeout(timer);
        s.child[which]?.off('data', check);
        resolve(m[0]);
      }
    };
    s.child[which]?.on('data', check);
    check();
  });
}

/** The child's exit, or SIGKILL and a failure when it hangs past `ms`. */
async function exitWithin(s: Started, ms: number): Promise<{ code: number | null; ms: number }> {
  const timer = setTimeout(() => s.child.kill('SIGKILL'), ms);
  const r = await s.exited;
  clearTimeout(timer);
  return r;
}

test('a corrupt function.json or a data folder that is a file: one line naming it, exit 2, no hang', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'propack-start-'));
  try {
    mkdirSync(join(dir, 'data', 'lambda', 'bad'), { recursive: true });
    const record = join(dir, 'data', 'lambda', 'bad', 'function.json');
    for (const content of ['{"config": {"Functi\u0001onName": 1}}', 'null', '{"config": {}, "codeDir": 3}']) {
      writeFileSync(record, content);
      const s = start(['--data-dir', join(dir, 'data')]);
      const r = await exitWithin(s, 15_000);
      assert.equal(r.code, 2, `${content}: ${s.stderr()}`);
      assert.equal(s.stderr().trim().split('\n').length, 1, s.stderr());
      assert.ok(s.stderr().includes(record), s.stderr());
    }
    writeFileSync(join(dir, 'plain'), 'x');
    const s = start(['--data-dir', join(dir, 'plain')]);
    const r = await exitWithin(s, 15_000);
    assert.equal(r.code, 2);
    assert.match(s.stderr(), /^propack local: data folder .*plain is a file, not a folder/);
    assert.equal(s.stderr().trim().split('\n').length, 1, s.stderr());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Starts the CLI, deploys a function with reserved concurrency 0 and queues `events` Events for it. */
async function startWithStuckEvents(args: string[], events: number): Promise<Started> {
  const s = start(['--port', '0', ...args]);
  const line = await printed(s, 'stdout', /\{.*\}\n/);
  // The platform's key is in the endpoint file it names, as for any of its clients.
  const ep = JSON.parse(line) as { endpointFile: string };
  const lambda = createLambdaClient(readEndpointFile(ep.endpointFile), { maxAttempts: 1 });
  try {
    await deploy(lambda, 'stuck', 'exports.handler = async () => 1;');
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'stuck', ReservedConcurrentExecutions: 0 }));
    for (let i = 0; i < events; i++) {
      const r = await lambda.send(new InvokeCommand({ FunctionName: 'stuck', InvocationType: 'Event', Payload: '{}' }));
      assert.equal(r.StatusCode, 202);
    }
  } finally {
    lambda.destroy();
  }
  return s;
}

test('SIGTERM while Events wait on reserved concurrency 0: the drain deadline passes, the queue is dropped, exit 0', async () => {
  const s = await startWithStuckEvents(['--drain-timeout', '1'], 50);
  s.child.kill('SIGTERM');
  const r = await exitWithin(s, 15_000);
  assert.equal(r.code, 0, s.stderr());
  assert.match(s.stderr(), /dropped 50 queued Event invocation\(s\) at the 1 s drain deadline/);
  assert.ok(r.ms >= 900 && r.ms < 6000, `exited ${r.ms.toFixed(0)} ms after SIGTERM`);
});

test('a second signal during the drain exits at once', async () => {
  const s = await startWithStuckEvents(['--drain-timeout', '120'], 5);
  s.child.kill('SIGTERM');
  await printed(s, 'stderr', /stopping: waiting up to 120 s/);
  s.child.kill('SIGINT');
  const r = await exitWithin(s, 10_000);
  assert.equal(r.code, 130, s.stderr());
  assert.ok(r.ms < 5000, `exited ${r.ms.toFixed(0)} ms after the first signal`);
});

test('PUT …/concurrency validates its body like Lambda; a bad body changes nothing', async () => {
  const env = await withPlatform({ spareProcesses: 0, accountConcurrency: 50 });
  try {
    await deploy(env.lambda, 'conc', 'exports.handler = async () => 1;');
    await env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'conc', ReservedConcurrentExecutions: 7 }));
    for (const bad of [undefined, -1, 1.5, 51, '3']) {
      const e = await rejection(
        env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'conc', ReservedConcurrentExecutions: bad as number })),
      );
      assert.equal(e.name, 'InvalidParameterValueException', String(bad));
      assert.equal((e.$metadata as { httpStatusCode: number }).httpStatusCode, 400);
    }
    const got = await env.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'conc' }));
    assert.equal(got.ReservedConcurrentExecutions, 7);
    await env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'conc', ReservedConcurrentExecutions: 0 }));
    assert.equal((await env.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'conc' }))).ReservedConcurrentExecutions, 0);
  } finally {
    await env.close();
  }
});
