/**
 * `propack run --dispatch stepfunctions` on the embedded platform, in process: a handler deployed and run
 * through the Distributed Map, its summary saying how it was dispatched and what Step Functions billed, its
 * execution journaled for a resume; and the flags' bad input, one line each.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/cli';

const ws = mkdtempSync(join(tmpdir(), 'propack-run-sfn-'));

test('run --handler F --dispatch stepfunctions: every task through the Map, the execution journaled, the dispatch billed', async () => {
  writeFileSync(join(ws, 'handler.js'), 'exports.handler = async (e) => ({ squared: e.n * e.n });');
  writeFileSync(join(ws, 'tasks.json'), JSON.stringify(Array.from({ length: 30 }, (_, n) => ({ n }))));
  const r = await runCli(
    'run',
    '--function',
    'squares',
    '--handler',
    join(ws, 'handler.js'),
    '--payloads',
    join(ws, 'tasks.json'),
    '--packing-degree',
    '7',
    '--dispatch',
    'stepfunctions',
    '--workspace',
    ws,
    '--json',
  );
  assert.equal(r.code, 0, r.err.join('\n'));
  const s = JSON.parse(r.out[0]) as {
    id: string;
    dispatch: string;
    tasks: { succeeded: number };
    dispatchCostUsd: number;
    stepFunctions: { executions: string[]; children: number };
    summary: string;
  };
  assert.equal(s.dispatch, 'stepfunctions');
  assert.equal(s.tasks.succeeded, 30);
  assert.equal(s.stepFunctions.executions.length, 1);
  assert.equal(s.stepFunctions.children, 5, 'ceil(30 / 7) child executions');
  assert.ok(s.dispatchCostUsd > 0);
  const runDir = join(ws, '.propack', 'runs', s.id);
  const journaled = readFileSync(join(runDir, 'executions.ndjson'), 'utf8').trim().split('\n');
  assert.equal(journaled.length, 1);
  assert.equal((JSON.parse(journaled[0]) as { executionArn: string }).executionArn, s.stepFunctions.executions[0]);
  const summary = JSON.parse(readFileSync(s.summary, 'utf8')) as { outcomes: { result: { squared: number } }[] };
  assert.deepEqual(
    summary.outcomes.map((o) => o.result.squared),
    Array.from({ length: 30 }, (_, n) => n * n),
  );
});

test('run --dispatch: bad values and combinations are one line each, exit 2', async () => {
  const tasks = join(ws, 'tasks.json');
  const cases: [RegExp, string[]][] = [
    [/--dispatch must be sync\|async\|stepfunctions, got "map"/, ['--dispatch', 'map']],
    [/--async and --dispatch stepfunctions contradict each other/, ['--async', '--dispatch', 'stepfunctions']],
    [/--state-machine-role applies to --platform aws/, ['--state-machine-role', 'arn:aws:iam::123456789012:role/x']],
    [
      /--dispatch stepfunctions on AWS needs --result-bucket NAME .* and --state-machine-role/,
      ['--platform', 'aws', '--region', 'us-east-1', '--dispatch', 'stepfunctions'],
    ],
    [
      /--state-machine-role must be an IAM role ARN/,
      ['--platform', 'aws', '--region', 'us-east-1', '--dispatch', 'stepfunctions', '--result-bucket', 'b', '--state-machine-role', 'x'],
    ],
  ];
  for (const [pattern, extra] of cases) {
    const r = await runCli('run', '--function', 'squares', '--payloads', tasks, '--workspace', ws, ...extra);
    assert.equal(r.code, 2, extra.join(' '));
    assert.equal(r.err.length, 1);
    assert.match(r.err[0], pattern);
  }
  assert.ok(existsSync(tasks));
});

test('profile --dispatch stepfunctions measures its scaling runs through the Map, its start-up included', async () => {
  writeFileSync(join(ws, 'tasks-p.json'), JSON.stringify([{ n: 1 }, { n: 2 }]));
  const r = await runCli(
    'profile',
    '--function',
    'squares',
    '--payloads',
    join(ws, 'tasks-p.json'),
    '--scaling-levels',
    '4',
    '--degrees',
    '1,2',
    '--repetitions',
    '1',
    '--dispatch',
    'stepfunctions',
    '--data-dir',
    join(ws, '.propack', 'local'),
    '--out',
    join(ws, 'squares-map.json'),
  );
  assert.equal(r.code, 0, r.err.join('\n'));
  const profile = JSON.parse(readFileSync(join(ws, 'squares-map.json'), 'utf8')) as {
    source: { detail: string };
    scaling: { runs: { concurrency: number; dispatchLatencyS: number }[] };
  };
  assert.match(profile.source.detail, /scaling through a Step Functions Distributed Map/);
  assert.deepEqual(
    profile.scaling.runs.map((s) => s.concurrency),
    [4],
  );
  assert.ok(profile.scaling.runs[0].dispatchLatencyS > 0, "the Map's start-up is part of the run's scaling");
  const bad = await runCli(
    'profile',
    '--function',
    'squares',
    '--payloads',
    join(ws, 'tasks-p.json'),
    '--dispatch',
    'map',
    '--data-dir',
    join(ws, '.propack', 'local'),
  );
  assert.equal(bad.code, 2);
  assert.match(bad.err[0], /--dispatch must be direct\|stepfunctions, got "map"/);
});
