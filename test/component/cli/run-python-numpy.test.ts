/** A numpy handler run packed on the embedded platform (numpy from the machine's python3, as a layer would provide it on Lambda). */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTree } from '../../support/node-project';
import { runCli } from '../../support/cli';

const ws = mkdtempSync(join(tmpdir(), 'propack-run-numpy-'));
after(() => rmSync(ws, { recursive: true, force: true }));
writeTree(join(ws, 'mat'), {
  'app.py': `import numpy as np

def handler(event, context):
    n, k = event["n"], event["k"]
    a = (np.arange(n * n, dtype=np.int64).reshape(n, n) + k) % 7
    p = a @ a
    return {"trace": int(np.trace(p)), "sum": int(p.sum()), "numpy": np.__version__}
`,
});

/** The same product in plain integers: A[i][j] = (i·n + j + k) mod 7, P = A·A. */
function expected(n: number, k: number): { trace: number; sum: number } {
  const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i * n + j + k) % 7));
  let trace = 0;
  let sum = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let v = 0;
      for (let m = 0; m < n; m++) v += a[i][m] * a[m][j];
      sum += v;
      if (i === j) trace += v;
    }
  return { trace, sum };
}

test('propack run --handler app.py --mode processes at p=4: every numpy product checked exactly', async () => {
  const payloads = [3, 5, 8, 13, 21, 34, 55, 89].map((n, k) => ({ n, k }));
  writeFileSync(join(ws, 'tasks.json'), JSON.stringify(payloads));
  const r = await runCli(
    'run',
    '--function',
    'mat',
    '--handler',
    join(ws, 'mat', 'app.py'),
    '--mode',
    'processes',
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
  assert.equal(r.code, 0, r.err.join('\n'));
  const summary = JSON.parse(readFileSync((JSON.parse(r.out.join('\n')) as { summary: string }).summary, 'utf8')) as {
    outcomes: { status: string; result?: { trace: number; sum: number; numpy: string } }[];
  };
  assert.equal(summary.outcomes.length, payloads.length);
  for (const [i, o] of summary.outcomes.entries()) {
    assert.equal(o.status, 'succeeded', JSON.stringify(o));
    assert.deepEqual({ trace: o.result?.trace, sum: o.result?.sum }, expected(payloads[i].n, payloads[i].k), `task ${i}`);
    assert.match(o.result?.numpy ?? '', /^\d+\.\d+/);
  }
});
