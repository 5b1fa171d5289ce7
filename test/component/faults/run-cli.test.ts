/**
 * `propack run` as a user runs it (the built dist/cli.js in a child process): journal and resume after a
 * SIGKILL, Ctrl-C, bad input, and a planted fake secret that must appear in no artifact or output.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../../src/cli/main';
import { parseArgs as parseLocalArgs } from '../../../src/cli/local-command';
import { readJournal } from '../../../src/engine/run-journal';
import { buildBundle } from '../../../src/engine/bundle';
import { deployFunction, LOCAL_ROLE } from '../../../src/engine/deploy';
import { openSession } from '../../../src/engine/session';
import { startLocalPlatform } from '../../../src/local';
import { localTarget } from '../../../src/platform';

const CLI = resolve(__dirname, '../../../../dist/cli.js');
const SECRET = `PROPACK-FAKE-SECRET-${process.pid}-${Date.now()}`;
// Each execution appends "<task id> <platform pid> <start ms>": the pid tells which client's platform ran it.
const HANDLER = `
const fs = require('node:fs');
exports.handler = async (event) => {
  fs.appendFileSync(event.log, event.id + ' ' + process.ppid + ' ' + Date.now() + '\\n');
  await new Promise((r) => setTimeout(r, event.sleepMs));
  return { id: event.id };
};`;
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'propack-run-cli-'));
  writeFileSync(join(dir, 'handler.js'), HANDLER);
});

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<Exit> } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '',
    stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<Exit>((r) => child.once('close', (code) => r({ code, stdout, stderr })));
  return { child, done };
}

/** Resolves once `check()` is true; polls the file system (the journal) rather than guessing a delay. */
async function waitFor(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function journalOf(ws: string): string | undefined {
  const runs = join(ws, '.propack', 'runs');
  if (!existsSync(runs)) return undefined;
  const id = readdirSync(runs).find((f) => !f.endsWith('.json'));
  return id ? join(runs, id, 'journal.ndjson') : undefined;
}

function lines(path: string): number {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).length : 0;
}

function payloads(ws: string, n: number, sleepMs: number): string {
  const log = join(ws, 'executions.log');
  const path = join(ws, 'tasks.json');
  writeFileSync(path, JSON.stringify(Array.from({ length: n }, (_, i) => ({ id: `task-${i}`, log, sleepMs }))));
  return path;
}

function allFiles(root: string): string[] {
  return readdirSync(root).flatMap((f) => {
    const p = join(root, f);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

test('a client killed mid-run resumes with --resume: finished tasks do not run again, all end final, no secret leaks', async () => {
  const ws = join(dir, 'resume');
  const env = { AWS_SECRET_ACCESS_KEY: SECRET, AWS_ACCESS_KEY_ID: 'AKIAPROPACKFAKEKEY', AWS_SESSION_TOKEN: SECRET };
  mkdirSync(ws, { recursive: true });
  const file = payloads(ws, 40, 150);
  const first = cli(
    [
      'run',
      '--function',
      'resumable',
      '--handler',
      join(dir, 'handler.js'),
      '--payloads',
      file,
      '--concurrency',
      '4',
      '--packing-degree',
      '2',
      '--workspace',
      ws,
    ],
    env,
  );
  await waitFor(() => {
    const j = journalOf(ws);
    return j !== undefined && lines(j) >= 8;
  }, 'eight journaled tasks');
  first.child.kill('SIGKILL');
  const killed = await first.done;
  assert.equal(killed.code, null, 'the client was killed, not finished');
  const journal = journalOf(ws) as string;
  const before = readJournal(journal);
  assert.ok(before.length >= 8 && before.length < 40, `killed mid-run (${before.length} final)`);
  const id = journal.split('/').slice(-2)[0];

  const resumed = cli(['run', '--resume', id, '--workspace', ws, '--json'], env);
  const r = await resumed.done;
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(readFileSync(join(ws, '.propack', 'runs', id, 'summary.json'), 'utf8')) as {
    tasks: { total: number; succeeded: number };
    ranNow: number;
    outcomes: { id: string; status: string; result: { id: string } }[];
  };
  assert.equal(summary.tasks.total, 40);
  assert.equal(summary.tasks.succeeded, 40);
  assert.equal(summary.ranNow, 40 - before.length);
  assert.ok(summary.outcomes.every((o) => o.status === 'succeeded' && o.result.id === o.id));
  // Executions by the resumed client's platform: none of them is a task the journal had as final.
  const finished = new Set(before.map((o) => o.id));
  const rerun = readFileSync(join(ws, 'executions.log'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '))
    .filter(([tid, pid]) => Number(pid) === resumed.child.pid && finished.has(tid));
  assert.deepEqual(rerun, [], 'finished tasks were not run again');
  assert.equal(readJournal(journal).length, 40, 'the journal ends with every task once');

  // The planted secret is in no file of the workspace (profiles, runs, platform data) nor in any output.
  for (const f of allFiles(ws)) assert.ok(!readFileSync(f).includes(SECRET), `secret found in ${f}`);
  for (const text of [killed.stdout, killed.stderr, r.stdout, r.stderr]) assert.ok(!text.includes(SECRET));
});

test('Ctrl-C (SIGINT) stops dispatch within a second and saves partial results', async () => {
  const ws = join(dir, 'sigint');
  mkdirSync(ws, { recursive: true });
  const file = payloads(ws, 30, 300);
  const run = cli([
    'run',
    '--function',
    'cancellable',
    '--handler',
    join(dir, 'handler.js'),
    '--payloads',
    file,
    '--concurrency',
    '2',
    '--workspace',
    ws,
  ]);
  await waitFor(() => {
    const j = journalOf(ws);
    return j !== undefined && lines(j) >= 2;
  }, 'two journaled tasks');
  const sentAt = Date.now();
  run.child.kill('SIGINT');
  const r = await run.done;
  assert.equal(r.code, 130, r.stderr);
  const starts = readFileSync(join(ws, 'executions.log'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => Number(l.split(' ')[2]));
  assert.ok(
    starts.every((t) => t < sentAt + 1000),
    'no task started later than a second after Ctrl-C',
  );
  const journal = journalOf(ws) as string;
  const summary = JSON.parse(readFileSync(join(journal, '..', 'summary.json'), 'utf8')) as {
    cancelled: boolean;
    tasks: { total: number; succeeded: number; failed: number };
  };
  assert.equal(summary.cancelled, true);
  assert.equal(summary.tasks.total, 30);
  assert.ok(summary.tasks.succeeded >= 2 && summary.tasks.succeeded < 30, 'partial results are kept');
  assert.equal(summary.tasks.succeeded, readJournal(journal).length, 'every finished task is journaled');
});

test('bad input is a one-line error with exit 2, and writes nothing', async () => {
  const ws = join(dir, 'bad');
  mkdirSync(ws, { recursive: true });
  writeFileSync(join(ws, 'obj.json'), '{"not":"an array"}');
  writeFileSync(join(ws, 'broken.json'), '[1, 2');
  writeFileSync(join(ws, 'huge.json'), JSON.stringify([{ blob: 'x'.repeat(6 * 1024 * 1024 + 1) }]));
  writeFileSync(join(ws, 'ok.json'), '[1]');
  // One case through the built CLI process (exit code and stderr as a user sees them) ...
  const spawned = await cli(['run', '--function', 'f', '--payloads', join(ws, 'huge.json'), '--workspace', ws]).done;
  assert.equal(spawned.code, 2, spawned.stderr);
  assert.match(spawned.stderr, /^propack run: task 0 payload is \d+ bytes, over Lambda's 6291456-byte request limit/);
  assert.equal(spawned.stderr.trim().split('\n').length, 1);
  // ... the rest through the same main() in this process, which is quicker than a process each.
  const cases: [string[], RegExp][] = [
    [['run', '--function', 'f', '--payloads', join(ws, 'obj.json')], /non-empty JSON array/],
    [['run', '--function', 'f', '--payloads', join(ws, 'broken.json')], /not valid JSON/],
    [['run', '--function', 'f', '--payloads', join(ws, 'missing.json')], /cannot read .*missing.json: no such file/],
    [['run', '--function', '../evil', '--payloads', join(ws, 'ok.json')], /--function must be a Lambda function name/],
    [['run', '--function', 'f', '--payloads', join(ws, 'ok.json'), '--faults', 'crash=2'], /fault crash needs a probability/],
    [['run', '--function', 'f', '--payloads', join(ws, 'ok.json'), '--faults', 'meteor=0.1'], /unknown fault "meteor"/],
    [['run', '--function', 'f', '--payloads', join(ws, 'ok.json'), '--seed', '-1'], /--seed must be a whole number/],
    [['run', '--function', 'f', '--payloads', join(ws, 'ok.json'), '--packing-degree', '0'], /--packing-degree must be a whole number/],
    [['run', '--function', 'f', '--payloads', join(ws, 'ok.json'), '--platform', 'mars'], /--platform must be local/],
    [
      ['run', '--function', 'f', '--payloads', join(ws, 'ok.json'), '--platform', 'aws', '--region', ''],
      /--region is required with --platform aws/,
    ],
    [
      ['run', '--function', 'f', '--payloads', join(ws, 'ok.json'), '--platform', 'aws', '--region', 'us-east-1', '--async'],
      /--async on AWS needs --result-bucket NAME/,
    ],
    [
      ['run', '--function', 'f', '--payloads', join(ws, 'ok.json'), '--platform', 'aws', '--region', 'us-east-1', '--handler', 'h.js'],
      /--handler on AWS .* needs --role/,
    ],
    [['run', '--function', 'f', '--payloads', join(ws, 'ok.json'), '--region', 'us-east-1'], /--region applies to --platform aws/],
    [
      ['run', '--function', 'f', '--payloads', join(ws, 'ok.json'), '--platform', 'aws', '--region', 'us-east-1', '--memory', '2048'],
      /--memory on AWS applies only with --handler/,
    ],
    [['run', '--resume', '../../etc', '--workspace', ws], /is not a run id/],
    [['run', '--resume', 'nope', '--workspace', ws], /no run "nope" to resume/],
    [['run', '--resume', 'nope', '--function', 'g'], /cannot change on --resume/],
    [['demo', '--seed', 'x'], /--seed must be a whole number/],
    [['demo', '--faults', 'crash=0.1,'], /unknown fault ""/],
    [['demo', '--pywren', 'maybe'], /--pywren must be on\|off, got "maybe"/],
  ];
  for (const [args, reason] of cases) {
    const errs: string[] = [];
    const code = await main(
      args,
      () => undefined,
      (s) => errs.push(s),
    );
    assert.equal(code, 2, `${args.join(' ')}: ${errs.join('|')}`);
    assert.equal(errs.length, 1);
    assert.match(errs[0], reason);
    assert.ok(!errs[0].includes('\n'), `one line: ${errs[0]}`);
  }
  assert.match(String(parseLocalArgs(['start', '--faults', 'crash=0.1,bogus'])), /unknown fault "bogus"/);
  assert.match(String(parseLocalArgs(['start', '--seed', '1.5'])), /--seed must be a whole number/);
  assert.deepEqual(parseLocalArgs(['start', '--faults', 'crash=0.05,slow-cold=0.1', '--seed', '7']), {
    faults: { crash: 0.05, error: 0, timeout: 0, throttle: 0, s3Error: 0, slowCold: 0.1 },
    seed: 7,
  });
  assert.equal(readdirSync(ws).includes('.propack'), false, 'bad input wrote nothing');
});

test('--platform aws goes through the SDK default chain to the endpoint the SDK is configured with, and a resume goes back there', async () => {
  // A real server standing in for AWS: the SDK's own AWS_ENDPOINT_URL_LAMBDA variable points the AWS path at
  // the local platform, the way LocalStack users do; credentials come from the environment (dummy values).
  const platform = await startLocalPlatform({ preset: 'instant', dataDir: join(dir, 'aws-standin') });
  const session = openSession(localTarget(platform));
  try {
    const bundle = await buildBundle({ kind: 'file', file: join(dir, 'handler.js') });
    await deployFunction(session.lambda, bundle, { name: 'onaws', memoryMb: 3008, architecture: 'arm64', timeoutS: 30, role: LOCAL_ROLE });
    const ws = join(dir, 'aws');
    mkdirSync(ws, { recursive: true });
    const file = payloads(ws, 12, 20);
    // The platform verifies signatures: the environment holds its key (as a user would export it from endpoint.json).
    const key = platform.credentials;
    const env = {
      AWS_ENDPOINT_URL_LAMBDA: platform.lambdaEndpoint,
      AWS_ACCESS_KEY_ID: key.accessKeyId,
      AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const r = await cli(
      [
        'run',
        '--platform',
        'aws',
        '--region',
        'us-east-1',
        '--function',
        'onaws',
        '--payloads',
        file,
        '--packing-degree',
        '3',
        '--workspace',
        ws,
        '--json',
      ],
      env,
    ).done;
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      id: string;
      tasks: { total: number; succeeded: number };
      costUsd: number;
      platform: string;
      memoryMb: number;
      architecture: string;
    };
    assert.deepEqual([out.tasks.total, out.tasks.succeeded], [12, 12]);
    assert.deepEqual([out.platform, out.memoryMb, out.architecture], ['aws:default@us-east-1', 3008, 'arm64']);
    const spec = JSON.parse(readFileSync(join(ws, '.propack', 'runs', out.id, 'spec.json'), 'utf8')) as { platform: unknown };
    assert.deepEqual(spec.platform, { kind: 'aws', region: 'us-east-1' });
    assert.ok(out.costUsd > 0);
    // A resume of the finished run reconnects to the same place and has nothing left to do.
    const again = await cli(['run', '--resume', out.id, '--workspace', ws, '--json'], env).done;
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as { ranNow: number }).ranNow, 0);
    const missing = await cli(
      ['run', '--platform', 'aws', '--region', 'us-east-1', '--function', 'nosuch', '--payloads', file, '--workspace', ws],
      env,
    ).done;
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^propack run: cannot read function nosuch: .*\(deploy it with propack deploy --platform aws/);
    for (const text of [r.stdout, r.stderr, again.stdout, missing.stderr])
      assert.ok(!text.includes(SECRET) && !text.includes(key.secretAccessKey));
  } finally {
    session.close();
    await platform.stop();
  }
});
