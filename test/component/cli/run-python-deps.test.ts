/** `propack run --handler app.py` with a requirements.txt and --runtime: the vendored module is imported on the embedded platform. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTree } from '../../support/node-project';
import { offlineRequirements, writeWheel } from '../../support/python-wheel';
import { runCli } from '../../support/cli';

const ws = mkdtempSync(join(tmpdir(), 'propack-run-pydeps-'));
after(() => rmSync(ws, { recursive: true, force: true }));
writeWheel(join(ws, 'wheels'), 'mylib', '1.0', 'VALUE = 42\n\ndef times(n):\n    return n * VALUE\n');
writeTree(join(ws, 'calc'), {
  'app.py': `import os
import mylib

def handler(event, context):
    return {"value": mylib.times(event["n"]), "from": os.path.dirname(mylib.__file__), "env": os.environ["AWS_EXECUTION_ENV"]}
`,
  'requirements.txt': offlineRequirements('../wheels', 'mylib==1.0'),
});

interface Outcome {
  status: string;
  result?: { value: number; from: string; env: string };
}

function runArgs(...extra: string[]): string[] {
  return [
    'run',
    '--function',
    'calc',
    '--handler',
    join(ws, 'calc', 'app.py'),
    '--payloads',
    join(ws, 'tasks.json'),
    '--workspace',
    ws,
    ...extra,
  ];
}

test('a packed run on the embedded platform imports the vendored module from the code folder, with the --runtime asked for', async () => {
  writeFileSync(join(ws, 'tasks.json'), JSON.stringify([1, 2, 3, 4, 5].map((n) => ({ n }))));
  const r = await runCli(...runArgs('--packing-degree', '4', '--runtime', 'python3.11', '--json'));
  assert.equal(r.code, 0, r.err.join('\n'));
  const summary = JSON.parse(readFileSync((JSON.parse(r.out.join('\n')) as { summary: string }).summary, 'utf8')) as {
    outcomes: Outcome[];
  };
  assert.deepEqual(
    summary.outcomes.map((o) => o.result?.value),
    [42, 84, 126, 168, 210],
  );
  for (const o of summary.outcomes) {
    assert.equal(o.result?.env, 'AWS_Lambda_python3.11');
    // Not the workspace's copy: the function's own code folder on the platform.
    assert.ok(!o.result?.from.startsWith(join(ws, 'calc')) && o.result?.from.endsWith('mylib'), o.result?.from);
  }
});

test('--runtime: an unknown runtime, one of the other language, or without --handler is one line', async () => {
  const unknown = await runCli(...runArgs('--runtime', 'python2.7'));
  assert.equal(unknown.code, 2);
  assert.match(unknown.err.join('\n'), /^propack run: --runtime must be one of python3\.9, .*nodejs22\.x, got "python2\.7"$/);
  const mismatch = await runCli(...runArgs('--runtime', 'nodejs22.x'));
  assert.equal(mismatch.code, 2);
  assert.equal(mismatch.err.length, 1);
  assert.match(mismatch.err[0], /calc\/app\.py: the runtime must be one of python3\.9, .* for a Python handler, got "nodejs22\.x"$/);
  const noHandler = await runCli(
    'run',
    '--function',
    'calc',
    '--payloads',
    join(ws, 'tasks.json'),
    '--runtime',
    'python3.12',
    '--workspace',
    ws,
  );
  assert.deepEqual(noHandler.err, ['propack run: --runtime sets the Lambda runtime of a --handler FILE it deploys']);
});

test('propack deploy --runtime python3.13 with a requirements.txt names the runtime; a missing distribution is one line, exit 2', async () => {
  const dataDir = join(ws, '.propack', 'local');
  const dep = await runCli(
    'deploy',
    join(ws, 'calc', 'app.py'),
    '--name',
    'calc-deployed',
    '--runtime',
    'python3.13',
    '--data-dir',
    dataDir,
  );
  assert.equal(dep.code, 0, dep.err.join('\n'));
  assert.match(dep.out.join('\n'), /^created calc-deployed on .*\(1769 MB, x86_64, python3\.13, \d+ KB, sha256 /);
  const same = await runCli(
    'deploy',
    join(ws, 'calc', 'app.py'),
    '--name',
    'calc-deployed',
    '--runtime',
    'python3.13',
    '--data-dir',
    dataDir,
  );
  assert.equal(
    same.out.join('\n').split('sha256 ')[1],
    dep.out.join('\n').split('sha256 ')[1],
    'the cached install gives the same zip: no new code',
  );
  writeTree(join(ws, 'broken'), {
    'app.py': 'def handler(e, c):\n    return 1\n',
    'requirements.txt': offlineRequirements('../wheels', 'nolib==1.0'),
  });
  const bad = await runCli('deploy', join(ws, 'broken', 'app.py'), '--name', 'broken', '--data-dir', dataDir);
  assert.equal(bad.code, 2);
  assert.deepEqual(bad.err, [
    `propack deploy: ${join(ws, 'broken', 'requirements.txt')}: requirements.txt: pip found no distribution of nolib==1.0: check its name and version, and the index or --find-links it names`,
  ]);
});
