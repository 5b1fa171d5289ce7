import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKLOADS } from '../../../benchmarks/workloads';
import { parseProfile } from '../../../src/core/profile';
import { buildBundle } from '../../../src/engine/bundle';
import { optimize } from '../../../src/core/optimizer';
import { demoPlan, gridDegreesOf, runDemo, wholeJob } from '../../../src/engine/demo';
import { loadProfile } from '../../../src/engine/profile-store';
import { shippedProfile } from '../../support/fixtures';
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
    const progress: number[] = [];
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
      pywren: true,
      bucket: 'demo-test',
      workspace,
      platformLabel: 'local (instant)',
      profiling: { scalingLevels: [2, 4], degrees: [1, 2], loadedInstances: 2, repetitions: { min: 1, max: 2, targetCv: 0.5 } },
      source: { kind: 'local', tool: 'test' },
      log: (l) => lines.push(l),
      onProgress: (f) => progress.push(f),
    });
    // The progress a front end shows: from 0, never backwards, ending at 1.
    assert.equal(progress[0], 0);
    assert.equal(progress.at(-1), 1);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i] >= progress[i - 1], `progress ${progress.join(', ')}`);
    assert.ok(progress.filter((f) => f > 0.55 && f < 1).length >= 2, 'the measured runs move the bar');
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
    // The no-packing run at C, measured first on cold instances, is the profile's scaling run at C: the
    // campaign ran only the narrower level itself.
    assert.deepEqual(
      profile.scaling.runs.map((r) => r.concurrency),
      [2, 4],
    );
    const atC = profile.scaling.runs.find((r) => r.concurrency === 4);
    assert.ok(
      atC?.serviceTimeS !== undefined && Math.abs(atC.serviceTimeS - b.noPacking.serviceTime) < 0.002,
      `${atC?.serviceTimeS} vs ${b.noPacking.serviceTime}`,
    );
    assert.ok(
      lines.some((l) => l.includes('scaling profile: 2 cold instances')),
      lines.join(' | '),
    );
    assert.ok(!lines.some((l) => l.includes('scaling profile: 4 cold instances')), 'C=4 is not profiled again');
    // no packing, ProPack, PyWren, and p=2 unless ProPack chose it.
    assert.ok(readdirSync(join(workspace, '.propack', 'runs')).length >= 3, 'every measured run is stored');

    const out = join(workspace, 'report');
    writeReport(out, { title: 't', generatedAt: new Date().toISOString(), platform: 'local', benchmarks });
    assert.ok(existsSync(join(out, 'report.html')));
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      benchmarks: Record<string, { packingDegree: number; tasks: { total: number } }>[];
    };
    for (const k of ['noPacking', 'pywren', 'propack', 'oracle']) {
      assert.equal(summary.benchmarks[0][k].tasks.total, 4, k);
      assert.equal(typeof summary.benchmarks[0][k].packingDegree, 'number', k);
    }
  } finally {
    session.close();
    await platform.stop();
  }
});

test('the oracle grid holds 8 degrees around and beyond the choice (or every p up to C)', () => {
  const grid = [1, 4, 16, 32];
  assert.deepEqual(
    gridDegreesOf({ grid, concurrency: 32 }, 16),
    [4, 8, 16, 17, 24, 32].concat([15]).sort((a, b) => a - b),
  );
  assert.deepEqual(gridDegreesOf({ grid, concurrency: 1000 }, 40), [4, 16, 20, 32, 40, 41, 80]);
  assert.deepEqual(gridDegreesOf({ grid, concurrency: 4 }, 2), [2, 3, 4]);
  // At p = C nothing lies beyond: the grid fills below.
  assert.equal(gridDegreesOf({ grid, concurrency: 32 }, 32).length + 1, 8);
});

test('demoPlan: what propack demo and the extension measure at C', () => {
  assert.deepEqual(demoPlan(32).profiling.scalingLevels, [8, 32]);
  assert.deepEqual(demoPlan(4).profiling.scalingLevels, [4]);
  assert.deepEqual(demoPlan(32).grid, [1, 4, 16, 32]);
  assert.deepEqual(demoPlan(32).profiling.degrees, [1, 2, 4, 8, 16, 32], 'past 16 when C allows');
  assert.deepEqual(demoPlan(16).profiling.degrees, [1, 2, 4, 8, 16]);
  assert.equal(demoPlan(32).pywren, true);
  assert.equal(demoPlan(1000).pywren, false, 'at ProPack scale the PyWren baseline is asked for (--pywren on)');
  assert.deepEqual(demoPlan(1000).grid, [1, 16, 32]);
});

test("wholeJob: a two-phase job's predictions add both phases; one phase is left as chosen", () => {
  const profile = loadProfile(shippedProfile('sort'));
  const choice = optimize(profile, { concurrency: 100, objective: 'both', metric: 'net' });
  const job = (n: number[]) => ({ phases: n.map((k, i) => ({ name: `ph${i}`, payloads: Array.from({ length: k }, () => ({})) })) });
  assert.equal(wholeJob(profile, choice, job([100])), choice);
  const both = wholeJob(profile, choice, job([100, 100]));
  assert.equal(both.packingDegree, choice.packingDegree);
  assert.ok(Math.abs(both.predicted.serviceTime - 2 * choice.predicted.serviceTime) < 1e-9, 'equal phases: twice the time');
  assert.ok(Math.abs(both.baseline.cost - 2 * choice.baseline.cost) < 1e-12);
  assert.equal(both.candidates.length, choice.candidates.length);
  // A measured later phase at the degree it runs at replaces the model's guess of it (the no-packing run's
  // reduce: a reducer's work is not the profiled mapper's).
  const reduce = { packingDegree: 1, serviceTime: 9, p50: 8, p90: 9, p95: 9, scalingTime: 0.3, costUsd: 0.02, instances: 8 };
  const sorted = wholeJob(profile, choice, job([100, 8]), [undefined, reduce]);
  const mapOnly = wholeJob(profile, choice, job([100]));
  assert.ok(Math.ceil(100 / choice.packingDegree) >= 8, `p=${choice.packingDegree} leaves an instance per reducer`);
  assert.ok(Math.abs(sorted.predicted.serviceTime - (mapOnly.predicted.serviceTime + 9)) < 1e-9, `${sorted.predicted.serviceTime}`);
  assert.ok(Math.abs(sorted.baseline.serviceTime - (mapOnly.baseline.serviceTime + 9)) < 1e-9, 'no packing: the reduce as measured');
});
