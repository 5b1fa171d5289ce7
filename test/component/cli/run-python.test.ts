/** `propack run --handler app.py`: a Python package zipped with the runtime, deployed and run packed on the embedded platform. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTree } from '../../support/node-project';
import { runCli } from '../../support/cli';

const ws = mkdtempSync(join(tmpdir(), 'propack-run-python-'));
after(() => rmSync(ws, { recursive: true, force: true }));
// A package: the handler imports a module of its own subpackage, so the whole folder must ship.
writeTree(join(ws, 'thumbs'), {
  'app.py': `import os
from imaging.scale import scaled

def lambda_handler(event, context):
    if event.get("corrupt"):
        raise ValueError(f"image {event['n']} is corrupt")
    return {"n": event["n"], "side": scaled(event["n"]), "pid": os.getpid()}
`,
  'imaging/__init__.py': '',
  'imaging/scale.py': 'def scaled(n):\n    return n * 100\n',
});

interface Summary {
  tasks: { total: number; succeeded: number; failed: number };
  outcomes: { id: string; status: string; reason?: string; attempts: number; result?: { n: number; side: number; pid: number } }[];
}

for (const mode of ['threads', 'processes'] as const) {
  test(`propack run --handler app.py --mode ${mode} at p=4: outputs checked, a raising task fails alone with its type and message`, async () => {
    const payloads = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => (n === 6 ? { n, corrupt: true } : { n }));
    writeFileSync(join(ws, 'tasks.json'), JSON.stringify(payloads));
    const r = await runCli(
      'run',
      '--function',
      `thumbs-${mode}`,
      '--handler',
      join(ws, 'thumbs', 'app.py'),
      '--mode',
      mode,
      '--payloads',
      join(ws, 'tasks.json'),
      '--packing-degree',
      '4',
      '--max-attempts',
      '1',
      '--workspace',
      ws,
      '--json',
    );
    assert.equal(r.code, 1, `one task fails: ${r.err.join('\n')}`);
    const run = JSON.parse(r.out.join('\n')) as { summary: string; tasks: Summary['tasks'] };
    assert.deepEqual(run.tasks, { total: 8, succeeded: 7, failed: 1 });
    const summary = JSON.parse(readFileSync(run.summary, 'utf8')) as Summary;
    for (const [i, o] of summary.outcomes.entries()) {
      const n = i + 1;
      if (n === 6) {
        assert.equal(o.status, 'failed');
        assert.match(o.reason ?? '', /^ValueError: image 6 is corrupt\b/);
        continue;
      }
      assert.equal(o.status, 'succeeded', JSON.stringify(o));
      assert.deepEqual([o.result?.n, o.result?.side], [n, n * 100]);
    }
    const pids = new Set(summary.outcomes.filter((o) => o.result).map((o) => o.result?.pid));
    // threads: the tasks of an invocation share its process; processes: every task has a child of its own.
    if (mode === 'processes') assert.equal(pids.size, 7, 'one child process per task');
    else assert.ok(pids.size <= 2, `two invocations of 4 tasks, one process each at most: ${[...pids].join(' ')}`);
  });
}

test('propack run --mode without --handler, or a bad mode, is bad input with one line', async () => {
  writeFileSync(join(ws, 'one.json'), JSON.stringify([{ n: 1 }]));
  const base = ['run', '--function', 'x', '--payloads', join(ws, 'one.json'), '--workspace', ws];
  const noHandler = await runCli(...base, '--mode', 'processes');
  assert.equal(noHandler.code, 2);
  assert.deepEqual(noHandler.err, ['propack run: --mode sets the packed mode of a --handler FILE it deploys']);
  const bad = await runCli(...base, '--handler', join(ws, 'thumbs', 'app.py'), '--mode', 'async');
  assert.equal(bad.code, 2);
  assert.equal(bad.err.length, 1);
  assert.match(bad.err[0], /thumbs\/app\.py: Python handlers run packed in "threads" or "processes" mode$/);
});

test('propack deploy app.py --mode processes, then propack run of the deployed function: the package runs packed', async () => {
  const dep = await runCli(
    'deploy',
    join(ws, 'thumbs', 'app.py'),
    '--name',
    'thumbs-deployed',
    '--mode',
    'processes',
    '--data-dir',
    join(ws, '.propack', 'local'),
  );
  assert.equal(dep.code, 0, dep.err.join('\n'));
  writeFileSync(join(ws, 'two.json'), JSON.stringify([{ n: 10 }, { n: 11 }]));
  const r = await runCli(
    'run',
    '--function',
    'thumbs-deployed',
    '--payloads',
    join(ws, 'two.json'),
    '--packing-degree',
    '2',
    '--workspace',
    ws,
    '--json',
  );
  assert.equal(r.code, 0, r.err.join('\n'));
  const summary = JSON.parse(readFileSync((JSON.parse(r.out.join('\n')) as { summary: string }).summary, 'utf8')) as Summary;
  assert.deepEqual(
    summary.outcomes.map((o) => o.result?.side),
    [1000, 1100],
  );
  assert.notEqual(summary.outcomes[0].result?.pid, summary.outcomes[1].result?.pid, 'processes mode: a child per task');
});
