import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as run } from '../../support/cli';
import { parseProfile } from '../../../src/core/profile';
import { artifactDir, shippedProfile } from '../../support/fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'propack-funcx-'));

async function importFuncx(workers: number): Promise<string> {
  const out = join(tmp, `funcx-statelesscost-w${workers}.json`);
  const r = await run('import-artifact', artifactDir(), '--platform', 'funcx', '--workers', String(workers), '--out', out);
  assert.equal(r.code, 0, r.err.join());
  assert.match(r.out.join('\n'), /Wrote .*: 33 scaling runs, packing degrees 1\.\.30/);
  assert.match(r.out.join('\n'), /note: scaling measured on funcX, packing from ProPack's AWS statelesscost measurements \(modelled/);
  return out;
}

interface OptimizeJson {
  packingDegree: number;
  predicted: { serviceTime: number; scalingTime: number; cost: number; instances: number };
  modelled?: string;
  platform?: { name: string; workers: number };
  accountLimit?: number;
  accountLimitAssumed?: boolean;
}

async function optimizeJson(profile: string, concurrency: number): Promise<OptimizeJson> {
  const r = await run(
    'optimize',
    '--profile',
    profile,
    '--concurrency',
    String(concurrency),
    '--objective',
    'time',
    '--metric',
    'net',
    '--json',
  );
  assert.equal(r.code, 0, r.err.join());
  return JSON.parse(r.out[0]) as OptimizeJson;
}

test('import-artifact --platform funcx writes a funcX endpoint profile with the AWS statelesscost packing', async () => {
  const file = await importFuncx(96);
  const p = parseProfile(readFileSync(file, 'utf8'), file);
  const aws = parseProfile(readFileSync(shippedProfile('statelesscost'), 'utf8'), 'aws');
  assert.deepEqual(p.packing, aws.packing);
  assert.deepEqual(p.source.platform, { name: 'funcx', workers: 96, measuredAt: '2021-03-31' });
  assert.equal(p.concurrencyLimit, 96);
  assert.equal(p.source.tool, 'propack import-artifact --platform funcx');
});

test('optimize and whatif on funcX profiles say modelled; fewer workers never make the chosen p faster', async () => {
  const files = new Map<number, string>();
  for (const w of [96, 48, 1]) files.set(w, await importFuncx(w));
  for (const c of [100, 1000, 5000]) {
    const byW = new Map<number, OptimizeJson>();
    for (const [w, f] of files) {
      const j = await optimizeJson(f, c);
      assert.match(j.modelled ?? '', /modelled, as the paper did/);
      assert.match(j.modelled ?? '', /AWS Lambda price of the same compute/);
      assert.deepEqual(j.platform, { name: 'funcx', workers: w, measuredAt: '2021-03-31' });
      assert.equal(j.accountLimit, w);
      assert.equal(j.accountLimitAssumed, false);
      assert.ok(j.packingDegree >= 1 && j.packingDegree <= 30);
      byW.set(w, j);
    }
    const t = (w: number): number => (byW.get(w) as OptimizeJson).predicted.serviceTime;
    assert.ok(t(96) <= t(48) * 1.001 && t(48) <= t(1), `C=${c}: ${t(96)} ≤ ${t(48)} ≤ ${t(1)}`);
  }
  const aws = await optimizeJson(shippedProfile('statelesscost'), 1000);
  assert.equal(aws.modelled, undefined, 'an AWS profile is measured, not modelled');

  const text = await run(
    'optimize',
    '--profile',
    files.get(96) as string,
    '--concurrency',
    '1000',
    '--objective',
    'time',
    '--metric',
    'net',
  );
  assert.equal(text.code, 0, text.err.join());
  assert.ok(
    text.out.some((l) => /^ {2}note: scaling measured on funcX, .*modelled/.test(l)),
    text.out.join('\n'),
  );

  const joint = await run(
    'optimize',
    '--profile',
    files.get(96) as string,
    '--concurrency',
    '1000',
    '--objective',
    'time',
    '--metric',
    'net',
    '--memory',
    'auto',
  );
  assert.equal(joint.code, 2);
  assert.match(joint.err[0], /--memory and --arch search Lambda configurations; this funcx profile has none/);

  const w = await run('whatif', '--profile', files.get(96) as string, '--concurrency', '1000,10000', '--packing-degree', 'auto', '--json');
  assert.equal(w.code, 0, w.err.join());
  const wj = JSON.parse(w.out[0]) as { rule: { name: string }; modelled?: string; points: unknown[] };
  assert.match(wj.rule.name, /^profile \(/, "funcX defaults to its measured start rate, not Lambda's rules");
  assert.match(wj.modelled ?? '', /modelled/);
  assert.equal(wj.points.length, 2);
});

test('funcX import: bad flags and a missing worker count are one-line usage errors', async () => {
  for (const [argv, pattern] of [
    [['--platform', 'funcx', '--workers', '7'], /has no runs with 7 workers \(found: 96, 48, 1\)/],
    [['--platform', 'funcx', '--scaling-apps', 'video'], /--scaling-apps does not apply to --platform funcx/],
    [['--app', 'video', '--workers', '96'], /--workers needs --platform funcx/],
    [['--platform', 'gcp'], /--platform must be aws\|funcx/],
  ] as const) {
    const r = await run('import-artifact', artifactDir(), ...argv, '--out', join(tmp, 'x.json'));
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.err.length, 1);
    assert.match(r.err[0], pattern);
  }
});
