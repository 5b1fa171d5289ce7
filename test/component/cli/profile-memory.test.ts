/**
 * `propack deploy` then `propack profile --memory-sizes` on the embedded local platform with Lambda's CPU
 * share enforced: the profile gains measured variants, the function is back at its own size, and the
 * recommendation covers memory too. Real Lambda and S3 clients against the real local servers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { runCli as run } from '../../support/cli';
import { parseProfile } from '../../../src/core/profile';
import { openSession } from '../../../src/engine/session';
import { startLocalPlatform } from '../../../src/local';
import { targetOf } from '../local/helpers';

const HANDLER = `exports.handler = async (event) => { let x = 0; for (let i = 0; i < event.spins; i++) x += Math.sqrt(i); return { x }; };`;

/** A fresh folder with the handler and a one-task payload file spinning `spins` times, and flags for its own embedded platform. */
function workspace(
  name: string,
  spins: number,
  ...extraPlatformFlags: string[]
): { dir: string; handler: string; payloads: string; platform: string[] } {
  const dir = mkdtempSync(join(tmpdir(), `propack-profile-${name}-`));
  const handler = join(dir, 'handler.js');
  writeFileSync(handler, HANDLER);
  const payloads = join(dir, 'tasks.json');
  writeFileSync(payloads, JSON.stringify([{ spins }]));
  return { dir, handler, payloads, platform: ['--data-dir', join(dir, 'local'), '--preset', 'instant', ...extraPlatformFlags] };
}

test('profile --memory-sizes measures packing at other sizes, restores the function and recommends memory too', async () => {
  const { dir, handler, payloads, platform } = workspace('mem', 200000, '--cpu-share', 'lambda');
  const deployed = await run('deploy', handler, '--name', 'memfn', '--memory', '1769', ...platform);
  assert.equal(deployed.code, 0, deployed.err.join('\n'));
  const out = join(dir, 'memfn.json');
  const r = await run(
    'profile',
    '--function',
    'memfn',
    '--payloads',
    payloads,
    '--scaling-levels',
    '2,4',
    '--degrees',
    '1,2',
    '--repetitions',
    '1',
    '--memory-sizes',
    '884,1769,3538',
    '--out',
    out,
    ...platform,
  );
  assert.equal(r.code, 0, r.err.join('\n'));
  const profile = parseProfile(readFileSync(out, 'utf8'), out);
  assert.equal(profile.function.memoryMb, 1769);
  // Packing under load at two instances as well as four, degrees 1 and the largest.
  assert.deepEqual(
    profile.packing.samples.filter((x) => (x.concurrency ?? 1) > 1).map((x) => [x.concurrency, x.degree]),
    [
      [2, 1],
      [2, 2],
      [4, 1],
      [4, 2],
    ],
  );
  // The function's own size is not measured twice.
  assert.deepEqual(
    profile.variants?.map((v) => [v.memoryMb, v.vcpus]),
    [
      [884, 0.5],
      [3538, 2],
    ],
  );
  for (const v of profile.variants ?? [])
    assert.deepEqual(
      v.packing.samples.map((s) => s.degree),
      [1, 2],
    );
  const withMemory = profile.recommendations?.find((x) => x.memoryMb !== undefined);
  assert.ok(withMemory && [884, 1769, 3538].includes(withMemory.memoryMb as number), JSON.stringify(profile.recommendations));
  assert.match(
    r.out.find((l) => l.startsWith('saved ')) ?? '',
    /with memory: \d+ MB, p=\d+ \(.+ (than|as) 10,240 MB x86_64, p=\d+( in the same time| at the same cost)?\)/,
  );
  assert.ok(r.out.some((l) => l.includes('memory campaign: 884 MB')));
  assert.ok(
    !r.out.some((l) => l.startsWith('note: with --cpu-share host the local platform gives every memory size')),
    'no warning with the default --cpu-share lambda',
  );
  // Set back to its own size (the platform's data persisted in --data-dir): later runs bill what the profile says.
  const local = await startLocalPlatform({ dataDir: join(dir, 'local'), preset: 'instant' });
  const session = openSession(targetOf(local));
  try {
    const cfg = await session.lambda.send(new GetFunctionCommand({ FunctionName: 'memfn' }));
    assert.equal(cfg.Configuration?.MemorySize, 1769);
  } finally {
    session.close();
    await local.stop();
  }
});

test('profile --memory-sizes refuses sizes Lambda does not offer, before touching anything', async () => {
  const r = await run('profile', '--function', 'f', '--payloads', 'x.json', '--memory-sizes', '64,1769');
  assert.equal(r.code, 2);
  assert.match(r.err.join('\n'), /--memory-sizes: 64 MB is outside Lambda's 128–10240 MB/);
  const bad = await run('local', 'start', '--cpu-share', 'half');
  assert.equal(bad.code, 2);
});

test('profile --add-variant-to adds a separately deployed configuration to a profile, and refuses what it cannot measure honestly', async () => {
  const { dir, handler, payloads, platform } = workspace('var', 100000);
  const base = join(dir, 'base.json');
  for (const [name, memory] of [
    ['basefn', '1769'],
    ['bigfn', '3538'],
  ]) {
    const d = await run('deploy', handler, '--name', name, '--memory', memory, ...platform);
    assert.equal(d.code, 0, d.err.join('\n'));
  }
  const p = await run(
    'profile',
    '--function',
    'basefn',
    '--payloads',
    payloads,
    '--scaling-levels',
    '2',
    '--degrees',
    '1,2',
    '--repetitions',
    '1',
    '--out',
    base,
    ...platform,
  );
  assert.equal(p.code, 0, p.err.join('\n'));
  const v = await run(
    'profile',
    '--function',
    'bigfn',
    '--payloads',
    payloads,
    '--degrees',
    '1,2',
    '--repetitions',
    '1',
    '--add-variant-to',
    base,
    ...platform,
  );
  assert.equal(v.code, 0, v.err.join('\n'));
  const profile = parseProfile(readFileSync(base, 'utf8'), base);
  assert.equal(profile.function.name, 'basefn');
  assert.deepEqual(
    profile.variants?.map((x) => [x.memoryMb, x.architecture, x.vcpus]),
    [[3538, 'x86_64', 2]],
  );
  assert.deepEqual(
    profile.variants?.[0].packing.samples.map((s) => s.degree),
    [1, 2],
  );
  // Measured again: replaced, not duplicated.
  const again = await run(
    'profile',
    '--function',
    'bigfn',
    '--payloads',
    payloads,
    '--degrees',
    '1',
    '--repetitions',
    '1',
    '--add-variant-to',
    base,
    ...platform,
  );
  assert.equal(again.code, 0, again.err.join('\n'));
  assert.equal(parseProfile(readFileSync(base, 'utf8'), base).variants?.length, 1);

  const self = await run('profile', '--function', 'basefn', '--payloads', payloads, '--add-variant-to', base, ...platform);
  assert.equal(self.code, 2);
  assert.match(self.err.join('\n'), /was itself measured at 1769 MB x86_64; a variant must differ/);
  const arm = await run('deploy', handler, '--name', 'armfn', '--memory', '1769', '--arch', 'arm64', ...platform);
  assert.equal(arm.code, 0, arm.err.join('\n'));
  const armV = await run('profile', '--function', 'armfn', '--payloads', payloads, '--add-variant-to', base, ...platform);
  assert.equal(armV.code, 2);
  assert.match(armV.err.join('\n'), /armfn is arm64, but the local platform runs x86_64 code/);
  const missing = await run('profile', '--function', 'bigfn', '--payloads', payloads, '--add-variant-to', join(dir, 'nope.json'));
  assert.equal(missing.code, 2);
  assert.match(missing.err.join('\n'), /--add-variant-to: .*nope\.json/);
});

test('profile --memory-sizes on the local platform with --cpu-share host says the sizes will differ only in price', async () => {
  const { dir, handler, payloads, platform } = workspace('share', 1000, '--cpu-share', 'host');
  assert.equal((await run('deploy', handler, '--name', 'sharefn', ...platform)).code, 0);
  const r = await run(
    'profile',
    '--function',
    'sharefn',
    '--payloads',
    payloads,
    '--scaling-levels',
    '2',
    '--degrees',
    '1',
    '--repetitions',
    '1',
    '--memory-sizes',
    '884',
    '--out',
    join(dir, 'p.json'),
    ...platform,
  );
  assert.equal(r.code, 0, r.err.join('\n'));
  assert.ok(
    r.out.some((l) => l.startsWith('note: with --cpu-share host the local platform gives every memory size')),
    r.out.join('\n'),
  );
});
