import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNodeProject } from '../../support/node-project';
import { runCli } from '../../support/cli';

const ws = mkdtempSync(join(tmpdir(), 'propack-run-handler-'));
const project = writeNodeProject(join(ws, 'project'));
after(() => rmSync(ws, { recursive: true, force: true }));

interface RunJson {
  tasks: { total: number; succeeded: number; failed: number };
  summary: string;
}

test('propack run --handler takes a TypeScript file and an ES module: bundled, deployed and run packed on the embedded platform', async () => {
  writeFileSync(
    join(ws, 'ts.json'),
    JSON.stringify([
      { n: 2, name: 'a' },
      { n: 3, name: 'b' },
      { n: 4, name: 'c' },
    ]),
  );
  writeFileSync(join(ws, 'esm.json'), JSON.stringify([{ x: 1 }, { x: 2 }]));
  for (const [fn, file, payloads] of [
    ['tsapp', 'src/app.ts', 'ts.json'],
    ['esmapp', 'src/esm.mjs', 'esm.json'],
  ] as const) {
    const r = await runCli(
      'run',
      '--function',
      fn,
      '--handler',
      join(project, file),
      '--payloads',
      join(ws, payloads),
      '--packing-degree',
      '2',
      '--workspace',
      ws,
      '--json',
    );
    assert.equal(r.code, 0, r.err.join('\n'));
    const run = JSON.parse(r.out.join('\n')) as RunJson;
    const total = (JSON.parse(readFileSync(join(ws, payloads), 'utf8')) as unknown[]).length;
    assert.deepEqual(run.tasks, { total, succeeded: total, failed: 0 }, fn);
  }
});

test('propack run --handler with a dependency the project lacks stops before deploying, with one line', async () => {
  writeFileSync(join(project, 'src', 'needs.ts'), "import { x } from 'absent-pkg';\nexport const handler = async () => x;\n");
  writeFileSync(join(ws, 'one.json'), JSON.stringify([{}]));
  const r = await runCli(
    'run',
    '--function',
    'needs',
    '--handler',
    join(project, 'src', 'needs.ts'),
    '--payloads',
    join(ws, 'one.json'),
    '--workspace',
    ws,
  );
  assert.equal(r.code, 2, r.err.join('\n'));
  assert.equal(r.err.length, 1, r.err.join('\n'));
  assert.match(r.err[0], /src\/needs\.ts:1:19: Could not resolve "absent-pkg" \(install it in the project: npm install absent-pkg/);
});
