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
import { main } from '../../../src/cli/main';
import { parseProfile } from '../../../src/core/profile';
import { openSession } from '../../../src/engine/session';
import { startLocalPlatform } from '../../../src/local';
import { targetOf } from '../local/helpers';

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (s) => out.push(s), (s) => err.push(s));
  return { code, out, err };
}

const HANDLER = `exports.handler = async (event) => { let x = 0; for (let i = 0; i < event.spins; i++) x += Math.sqrt(i); return { x }; };`;

test('profile --memory-sizes measures packing at other sizes, restores the function and recommends memory too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'propack-profile-mem-'));
  const handler = join(dir, 'handler.js');
  writeFileSync(handler, HANDLER);
  const payloads = join(dir, 'tasks.json');
  writeFileSync(payloads, JSON.stringify([{ spins: 200000 }]));
  const platform = ['--data-dir', join(dir, 'local'), '--preset', 'instant', '--cpu-share', 'lambda'];
  const deployed = await run('deploy', handler, '--name', 'memfn', '--memory', '1769', ...platform);
  assert.equal(deployed.code, 0, deployed.err.join('\n'));
  const out = join(dir, 'memfn.json');
  const r = await run('profile', '--function', 'memfn', '--payloads', payloads, '--scaling-levels', '2,4', '--degrees', '1,2', '--repetitions', '1', '--memory-sizes', '884,1769,3538', '--out', out, ...platform);
  assert.equal(r.code, 0, r.err.join('\n'));
  const profile = parseProfile(readFileSync(out, 'utf8'), out);
  assert.equal(profile.function.memoryMb, 1769);
  // The function's own size is not measured twice.
  assert.deepEqual(profile.variants?.map((v) => [v.memoryMb, v.vcpus]), [[884, 0.5], [3538, 2]]);
  for (const v of profile.variants ?? []) assert.deepEqual(v.packing.samples.map((s) => s.degree), [1, 2]);
  const withMemory = profile.recommendations?.find((x) => x.memoryMb !== undefined);
  assert.ok(withMemory && [884, 1769, 3538].includes(withMemory.memoryMb as number), JSON.stringify(profile.recommendations));
  assert.match(r.out.at(-1) ?? '', /with memory: \d+ MB, p=\d+ \(.+ than 10,240 MB x86_64, p=\d+\)/);
  assert.ok(r.out.some((l) => l.includes('memory campaign: 884 MB')));
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
