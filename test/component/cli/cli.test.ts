import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as run } from '../../support/cli';
import { parseProfile } from '../../../src/core/profile';
import { artifactDir, REPO_ROOT, shippedProfile } from '../../support/fixtures';

async function expectBadInput(pattern: RegExp, ...argv: string[]): Promise<void> {
  const r = await run(...argv);
  assert.equal(r.code, 2, `exit code for ${argv.join(' ')}`);
  assert.equal(r.err.length, 1, 'exactly one line on stderr');
  assert.ok(!r.err[0].includes('\n'), 'one line');
  assert.match(r.err[0], pattern);
}

const tmp = mkdtempSync(join(tmpdir(), 'propack-cli-'));

test('import-artifact then classic optimize reproduces ProPack (video, both, net, C=5000 → 25)', async () => {
  const out = join(tmp, 'v.json');
  const imp = await run('import-artifact', artifactDir(), '--app', 'video', '--scaling-apps', 'video,sort,statelesscost', '--out', out);
  assert.equal(imp.code, 0, imp.err.join());
  const r = await run(
    'optimize',
    '--profile',
    out,
    '--model',
    'classic',
    '--concurrency',
    '5000',
    '--objective',
    'both',
    '--metric',
    'net',
    '--json',
  );
  assert.equal(r.code, 0, r.err.join());
  const json = JSON.parse(r.out[0]) as { packingDegree: number; predicted: Record<string, number> };
  assert.equal(json.packingDegree, 25);
  for (const k of ['serviceTime', 'scalingTime', 'cost', 'instances']) assert.equal(typeof json.predicted[k], 'number', k);
});

test('shipped profiles are what import-artifact makes from the shared data', async () => {
  for (const app of ['video', 'sort', 'statelesscost'] as const) {
    const out = join(tmp, `${app}.json`);
    assert.equal(
      (await run('import-artifact', artifactDir(), '--app', app, '--scaling-apps', 'video,sort,statelesscost', '--out', out)).code,
      0,
    );
    const fresh = parseProfile(readFileSync(out, 'utf8'), out);
    const shipped = parseProfile(readFileSync(shippedProfile(app), 'utf8'), app);
    assert.deepEqual(
      { ...fresh, source: { ...fresh.source, createdAt: '' } },
      { ...shipped, source: { ...shipped.source, createdAt: '' } },
    );
  }
});

test('predict prints the contract fields; optimize --save stores the recommendation', async () => {
  const profile = join(tmp, 'save.json');
  writeFileSync(profile, readFileSync(shippedProfile('sort')));
  const p = await run('predict', '--profile', profile, '--concurrency', '1000', '--packing-degree', '8', '--metric', 'tail', '--json');
  assert.equal(p.code, 0, p.err.join());
  const json = JSON.parse(p.out[0]) as Record<string, number>;
  assert.equal(json.instances, 125);
  assert.ok(json.serviceTime > 0 && json.cost > 0 && json.scalingTime >= 0);
  const o = await run('optimize', '--profile', profile, '--concurrency', '1000', '--objective', 'time', '--metric', 'net', '--save');
  assert.equal(o.code, 0, o.err.join());
  assert.match(o.out[0], /Recommended packing degree for sort at C=1000/);
  const saved = parseProfile(readFileSync(profile, 'utf8'), profile);
  assert.equal(saved.recommendations?.length, 1);
  assert.equal(saved.recommendations?.[0].concurrency, 1000);
});

test('optimize says when p is the largest profiled degree, in text and JSON, and not otherwise', async () => {
  const video = shippedProfile('video');
  const args = ['optimize', '--profile', video, '--concurrency', '5000', '--metric', 'net'];
  const atEdge = await run(...args, '--objective', 'cost');
  assert.equal(atEdge.code, 0, atEdge.err.join());
  assert.match(
    atEdge.out.join('\n'),
    /note: p=40 is the largest packing degree profiled \(1, 2, …, 40: 40 degrees\): the best p may be higher.*--degrees 1,2,4,8,16,32,40,80,160/,
  );
  const json = JSON.parse((await run(...args, '--objective', 'cost', '--json')).out[0]) as {
    edge?: { side: string; suggestedDegrees: number[] };
  };
  assert.equal(json.edge?.side, 'largest');
  const inside = await run(...args, '--objective', 'time', '--json');
  assert.equal((JSON.parse(inside.out[0]) as { edge?: unknown }).edge, undefined);
});

test('every bad input is one line on stderr and exit code 2', async () => {
  const good = shippedProfile('video');
  const broken = join(tmp, 'broken.json');
  writeFileSync(broken, '{"schema": "propack.profile/v1", "function": {}}');
  await expectBadInput(/unknown command "frobnicate"/, 'frobnicate');
  await expectBadInput(/--profile is required/, 'optimize', '--concurrency', '10', '--objective', 'time', '--metric', 'net');
  await expectBadInput(
    /cannot read .*nope\.json: no such file/,
    'optimize',
    '--profile',
    join(tmp, 'nope.json'),
    '--concurrency',
    '10',
    '--objective',
    'time',
  );
  await expectBadInput(
    /broken\.json: function\.memoryMb must be a finite number/,
    'optimize',
    '--profile',
    broken,
    '--concurrency',
    '10',
    '--objective',
    'time',
  );
  await expectBadInput(
    /--concurrency must be a whole number/,
    'optimize',
    '--profile',
    good,
    '--concurrency',
    'many',
    '--objective',
    'time',
  );
  await expectBadInput(/--concurrency must be a whole number/, 'optimize', '--profile', good, '--concurrency', '0', '--objective', 'time');
  await expectBadInput(
    /--objective must be time\|cost\|both, got "fast"/,
    'optimize',
    '--profile',
    good,
    '--concurrency',
    '10',
    '--objective',
    'fast',
  );
  await expectBadInput(
    /--metric must be net\|tail\|median/,
    'optimize',
    '--profile',
    good,
    '--concurrency',
    '10',
    '--objective',
    'time',
    '--metric',
    'p99',
  );
  await expectBadInput(
    /--weights must look like/,
    'optimize',
    '--profile',
    good,
    '--concurrency',
    '10',
    '--objective',
    'both',
    '--weights',
    'cost=x',
  );
  await expectBadInput(
    /--weights needs both/,
    'optimize',
    '--profile',
    good,
    '--concurrency',
    '10',
    '--objective',
    'both',
    '--weights',
    'cost=1',
  );
  await expectBadInput(/unknown option --colour/, 'optimize', '--profile', good, '--colour', 'red');
  await expectBadInput(/--json takes no value/, 'optimize', '--json=yes');
  await expectBadInput(
    /--max-cost must be a positive number/,
    'optimize',
    '--profile',
    good,
    '--concurrency',
    '10',
    '--objective',
    'time',
    '--max-cost',
    '-1',
  );
  await expectBadInput(
    /--packing-degree 50 exceeds --concurrency 10/,
    'predict',
    '--profile',
    good,
    '--concurrency',
    '10',
    '--packing-degree',
    '50',
  );
  await expectBadInput(
    /no measured packing time for p=41/,
    'predict',
    '--profile',
    good,
    '--concurrency',
    '100',
    '--packing-degree',
    '41',
    '--model',
    'classic',
  );
  await expectBadInput(/not a folder/, 'import-artifact', join(tmp, 'missing-dir'), '--app', 'video', '--out', join(tmp, 'x.json'));
  await expectBadInput(
    /no scaling runs for app "tetris"/,
    'import-artifact',
    artifactDir(),
    '--app',
    'tetris',
    '--out',
    join(tmp, 'x.json'),
  );
  await expectBadInput(/--out is required/, 'import-artifact', artifactDir(), '--app', 'video');
});

test('help for every command exits 0', async () => {
  for (const c of ['import-artifact', 'optimize', 'predict']) {
    const r = await run(c, '--help');
    assert.equal(r.code, 0);
    assert.match(r.out[0], /^Usage: propack /);
  }
  assert.equal((await run('--help')).code, 0);
});

test('a reader that closes the pipe early (propack … | head) ends the command quietly: exit 0, no EPIPE trace', async () => {
  // The built bin in a child process, its stdout closed before it writes a byte.
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'dist', 'cli.js'),
      'optimize',
      '--profile',
      shippedProfile('video'),
      '--concurrency',
      '5000',
      '--objective',
      'time',
      '--metric',
      'net',
      '--candidates',
      '--json',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(stderr, '');
  assert.equal(code, 0);
});
