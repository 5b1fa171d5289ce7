/**
 * Issue 13: a torn journal tail is cut before appending, lines that are not task outcomes are skipped with
 * a warning naming the line, and resuming twice in a row runs nothing twice (the audit's exact sequence).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskOutcome } from '../../../src/core/run-metrics';
import { readJournal, RUN_SPEC_SCHEMA, RunJournal, scanJournal, type RunSpec } from '../../../src/engine/run-journal';
import { runCli } from '../../support/cli';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'propack-journal-'));
});

const spec = (id: string, n: number): RunSpec => ({
  schema: RUN_SPEC_SCHEMA,
  id,
  createdAt: new Date(0).toISOString(),
  functionName: 'f',
  packingDegree: 2,
  concurrency: n,
  dispatch: 'sync',
  memoryMb: 128,
  tasks: Array.from({ length: n }, (_, i) => ({ id: `task-${i}`, payload: i })),
});
const outcome = (id: string): TaskOutcome => ({ id, status: 'succeeded', attempts: 1, completedS: 0.5, result: { id } });
const line = (o: unknown): string => JSON.stringify(o) + '\n';

test('a torn tail is cut to the last complete record before the next append, which then reads back', () => {
  const ws = join(dir, 'torn');
  const j = RunJournal.create(ws, spec('r1', 4));
  j.append(outcome('task-0'));
  j.append(outcome('task-1'));
  j.close();
  const path = join(j.dir, 'journal.ndjson');
  const whole = readFileSync(path);
  truncateSync(path, whole.length - 10); // torn mid-record, as a kill mid-append leaves it
  const r = RunJournal.resume(ws, 'r1');
  assert.deepEqual(
    r.remaining().map((t) => t.id),
    ['task-1', 'task-2', 'task-3'],
  );
  assert.deepEqual(r.warnings, [
    `${path}:2: cut a torn last line (${whole.length - 10 - line(outcome('task-0')).length} bytes); its task runs again`,
  ]);
  assert.equal(readFileSync(path, 'utf8'), line(outcome('task-0')), 'cut back to the last complete record');
  r.append(outcome('task-1'));
  r.close();
  assert.deepEqual(
    readJournal(path).map((o) => o.id),
    ['task-0', 'task-1'],
  );
  assert.deepEqual(RunJournal.resume(ws, 'r1').warnings, []);
});

test('a last record that lost only its newline is kept, and the next record starts its own line', () => {
  const ws = join(dir, 'newline');
  const j = RunJournal.create(ws, spec('r2', 3));
  j.append(outcome('task-0'));
  j.close();
  const path = join(j.dir, 'journal.ndjson');
  truncateSync(path, readFileSync(path).length - 1);
  const r = RunJournal.resume(ws, 'r2');
  assert.deepEqual(
    r.remaining().map((t) => t.id),
    ['task-1', 'task-2'],
  );
  r.append(outcome('task-1'));
  r.close();
  assert.equal(readFileSync(path, 'utf8'), line(outcome('task-0')) + line(outcome('task-1')));
});

test('lines that are not task outcomes (null, arrays, numbers, no id, garbage) are skipped with a warning naming the line', () => {
  const ws = join(dir, 'junk');
  RunJournal.create(ws, spec('r3', 3)).close();
  const path = join(ws, '.propack', 'runs', 'r3', 'journal.ndjson');
  writeFileSync(
    path,
    [
      'null',
      line(outcome('task-0')).trim(),
      '[1]',
      '42',
      '{"status":"succeeded"}',
      '{"id":"task-1","status":"maybe"}',
      'not json',
      '',
    ].join('\n'),
  );
  const scan = scanJournal(path);
  assert.deepEqual(
    scan.outcomes.map((o) => o.id),
    ['task-0'],
  );
  assert.deepEqual(
    scan.warnings.map((w) => w.split(': ')[0]),
    [1, 3, 4, 5, 6, 7].map((n) => `${path}:${n}`),
  );
  assert.match(scan.warnings[0], /not a task outcome/);
  assert.match(scan.warnings[5], /not a JSON record/);
  const r = RunJournal.resume(ws, 'r3');
  assert.deepEqual(
    r.remaining().map((t) => t.id),
    ['task-1', 'task-2'],
  );
  assert.equal(r.warnings.length, 6);
  r.close();
});

test("the audit's sequence through the CLI: tear the last line, --resume, --resume again: no task runs twice, a null line only warns", async () => {
  const ws = join(dir, 'cli');
  mkdirSync(ws, { recursive: true });
  const log = join(ws, 'executions.log');
  writeFileSync(
    join(ws, 'handler.js'),
    `const fs = require('node:fs');\nexports.handler = async (e) => { fs.appendFileSync(e.log, e.id + '\\n'); return { id: e.id }; };`,
  );
  writeFileSync(join(ws, 'tasks.json'), JSON.stringify(Array.from({ length: 6 }, (_, i) => ({ id: `task-${i}`, log }))));
  const runs = (): Map<string, number> => {
    const m = new Map<string, number>();
    for (const id of readFileSync(log, 'utf8').split('\n').filter(Boolean)) m.set(id, (m.get(id) ?? 0) + 1);
    return m;
  };
  const first = await runCli(
    'run',
    '--function',
    'journaled',
    '--handler',
    join(ws, 'handler.js'),
    '--payloads',
    join(ws, 'tasks.json'),
    '--packing-degree',
    '2',
    '--workspace',
    ws,
    '--json',
  );
  assert.equal(first.code, 0, first.err.join('\n'));
  const id = readdirSync(join(ws, '.propack', 'runs')).find((f) => !f.endsWith('.json')) as string;
  const path = join(ws, '.propack', 'runs', id, 'journal.ndjson');
  assert.equal(readJournal(path).length, 6);
  const text = readFileSync(path, 'utf8');
  const lastLine = text.trimEnd().split('\n').at(-1) as string;
  const tornId = (JSON.parse(lastLine) as TaskOutcome).id;
  truncateSync(path, Buffer.byteLength(text) - Math.floor(Buffer.byteLength(lastLine) / 2) - 1);

  const second = await runCli('run', '--resume', id, '--workspace', ws, '--json');
  assert.equal(second.code, 0, second.err.join('\n'));
  assert.ok(
    second.err.some((l) => /journal\.ndjson:6: cut a torn last line/.test(l)),
    second.err.join('\n'),
  );
  assert.equal(runs().get(tornId), 2, 'the torn task ran again, once');

  const third = await runCli('run', '--resume', id, '--workspace', ws, '--json');
  assert.equal(third.code, 0, third.err.join('\n'));
  assert.deepEqual(third.err, [], 'a clean journal: no warning');
  assert.equal((JSON.parse(third.out.join('\n')) as { ranNow: number }).ranNow, 0, 'the second resume runs nothing');
  const counts = runs();
  assert.deepEqual(
    [...counts.keys()].sort(),
    Array.from({ length: 6 }, (_, i) => `task-${i}`),
  );
  for (const [tid, n] of counts) assert.equal(n, tid === tornId ? 2 : 1, `${tid} ran ${n} times`);
  assert.deepEqual(
    readJournal(path)
      .map((o) => o.id)
      .sort(),
    Array.from({ length: 6 }, (_, i) => `task-${i}`),
  );

  // A journal line "null": a warning naming line 7, not "Cannot read properties of null"; still nothing runs.
  appendFileSync(path, 'null\n');
  const fourth = await runCli('run', '--resume', id, '--workspace', ws, '--json');
  assert.equal(fourth.code, 0, fourth.err.join('\n'));
  assert.ok(
    fourth.err.some((l) => /journal\.ndjson:7: skipped: not a task outcome/.test(l)),
    fourth.err.join('\n'),
  );
  assert.equal((JSON.parse(fourth.out.join('\n')) as { ranNow: number }).ranNow, 0);
  assert.equal(runs().size, 6);
});
