/** `propack run --async` of a Python handler: Event invocations, every task's result written by boto3 to the embedded S3 and read back from there. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTree } from '../../support/node-project';
import { runCli } from '../../support/cli';

const ws = mkdtempSync(join(tmpdir(), 'propack-run-pysink-'));
after(() => rmSync(ws, { recursive: true, force: true }));
writeTree(join(ws, 'sq'), {
  'app.py': `import boto3

def handler(event, context):
    if event["n"] == 5:
        raise KeyError("five")
    return {"square": event["n"] ** 2, "boto3": boto3.__version__}
`,
});

interface Outcome {
  status: string;
  reason?: string;
  result?: { square: number; boto3: string };
}

test('an --async run of a Python function: results arrive through the result sink (boto3 to the embedded S3), a failing task among them', async () => {
  writeFileSync(join(ws, 'tasks.json'), JSON.stringify([1, 2, 3, 4, 5, 6, 7].map((n) => ({ n }))));
  const r = await runCli(
    'run',
    '--function',
    'sq',
    '--handler',
    join(ws, 'sq', 'app.py'),
    '--payloads',
    join(ws, 'tasks.json'),
    '--packing-degree',
    '3',
    '--max-attempts',
    '1',
    '--async',
    '--workspace',
    ws,
    '--json',
  );
  assert.equal(r.code, 1, `one task fails: ${r.err.join('\n')}`);
  const run = JSON.parse(r.out.join('\n')) as { summary: string; dispatch: string };
  assert.equal(run.dispatch, 'async', 'Event invocations: an answer can only come back through S3');
  const summary = JSON.parse(readFileSync(run.summary, 'utf8')) as { outcomes: Outcome[] };
  for (const [i, o] of summary.outcomes.entries()) {
    const n = i + 1;
    if (n === 5) {
      assert.equal(o.status, 'failed');
      assert.match(o.reason ?? '', /^KeyError: 'five'/);
      continue;
    }
    assert.equal(o.status, 'succeeded', JSON.stringify(o));
    assert.equal(o.result?.square, n * n);
    assert.match(o.result?.boto3 ?? '', /^1\./, 'the machine-provided boto3, as Lambda provides it');
  }
});
