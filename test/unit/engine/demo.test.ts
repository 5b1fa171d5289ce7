import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKLOADS } from '../../../benchmarks/workloads';
import { parseProfile } from '../../../src/core/profile';
import { buildBundle } from '../../../src/engine/bundle';
import { runDemo } from '../../../src/engine/demo';
import { writeReport } from '../../../src/engine/report-write';
import { openSession } from '../../../src/engine/session';
import { startLocalPlatform } from '../../../src/local';
import { targetOf } from '../local/helpers';

test('the demo pipeline end to end on a tiny job: profile, choose, measure, check, report', async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'propack-demo-'));
  const platform = await startLocalPlatform({ preset: 'instant' });
  const session = openSession(targetOf(platform));
  try {
    const lines: string[] = [];
    const benchmarks = await runDemo({
      session,
      workloads: [WORKLOADS['stateless-cost']],
      bundle: () => buildBundle({ kind: 'benchmark', name: 'stateless-cost' }),
      concurrency: 4,
      objective: 'both',
      metric: 'net',
      memoryMb: 1769,
      architecture: 'x86_64',
      grid: [1, 2],
      bucket: 'demo-test',
      workspace,
      platformLabel: 'local (instant)',
      profiling: { scalingLevels: [2, 4], degrees: [1, 2], loadedInstances: 2, repetitions: { min: 1, max: 2, targetCv: 0.5 } },
      source: { kind: 'local', tool: 'test' },
      log: (l) => lines.push(l),
    });
    const b = benchmarks[0].measured;
    for (const run of [b.noPacking, b.propack, b.pywren, b.oracle]) {
      assert.ok(run);
      assert.equal(run.tasks.total, 4);
      assert.equal(run.tasks.succeeded, 4, `all tasks succeeded (${lines.join(' | ')})`);
      assert.ok(run.serviceTime > 0 && run.cost > 0);
    }
    assert.equal(b.noPacking.check?.ok, true, 'no-packing outputs verified');
    assert.equal(b.propack.check?.ok, true, 'ProPack outputs verified');
    assert.ok(b.regret >= 0);
    const profile = parseProfile(readFileSync(join(workspace, '.propack', 'profiles', 'propack-stateless-cost.json'), 'utf8'), 'profile');
    assert.equal(profile.recommendations?.[0].packingDegree, b.propack.packingDegree);
    // no packing, ProPack, PyWren, and p=2 unless ProPack chose it.
    assert.ok(readdirSync(join(workspace, '.propack', 'runs')).length >= 3, 'every measured run is stored');

    const out = join(workspace, 'report');
    writeReport(out, { title: 't', generatedAt: new Date().toISOString(), platform: 'local', benchmarks });
    assert.ok(existsSync(join(out, 'report.html')));
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { benchmarks: Record<string, { packingDegree: number; tasks: { total: number } }>[] };
    for (const k of ['noPacking', 'pywren', 'propack', 'oracle']) {
      assert.equal(summary.benchmarks[0][k].tasks.total, 4, k);
      assert.equal(typeof summary.benchmarks[0][k].packingDegree, 'number', k);
    }
  } finally {
    session.close();
    await platform.stop();
  }
});
