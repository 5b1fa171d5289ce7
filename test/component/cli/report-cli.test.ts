import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as run } from '../../support/cli';
import type { MeasuredRun } from '../../../src/core/run-record';
import { saveRun } from '../../../src/engine/run-store';
import { shippedProfile } from '../../support/fixtures';

const video = shippedProfile('video');
const tmp = (name: string): string => mkdtempSync(join(tmpdir(), `propack-report-${name}-`));
const summaryOf = (dir: string): { benchmarks: { measured: boolean; concurrency: number; propack: unknown; regret: unknown }[] } =>
  JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

test('report on an imported profile with no runs writes a model-only report at the largest profiled C', async () => {
  const out = tmp('out');
  const r = await run('report', '--profile', video, '--out', out, '--workspace', tmp('empty'));
  assert.equal(r.code, 0, r.err.join());
  assert.deepEqual(readdirSync(out).sort(), ['report.html', 'summary.json']);
  assert.match(r.out.join('\n'), /model only \(no measured runs of video in .*\), predictions at C=5000$/);
  const b = summaryOf(out).benchmarks[0];
  assert.deepEqual([b.measured, b.concurrency, b.propack, b.regret], [false, 5000, null, null]);
  const page = readFileSync(join(out, 'report.html'), 'utf8');
  assert.ok(page.startsWith('<!DOCTYPE html>'));
  assert.match(page, /<title>ProPack report \(model only\): video<\/title>/);
  assert.match(page, /Predicted: ProPack would pack p=\d+ at C=5000/);
});

test("report --concurrency sets a model-only report's C", async () => {
  const out = tmp('out');
  const r = await run('report', '--profile', video, '--concurrency', '2000', '--out', out, '--workspace', tmp('empty'));
  assert.equal(r.code, 0, r.err.join());
  assert.equal(summaryOf(out).benchmarks[0].concurrency, 2000);
});

test("with measured runs the runs' C wins; a different --concurrency is a one-line error", async () => {
  const ws = tmp('ws');
  const m = (p: number, s: number): MeasuredRun => ({
    packingDegree: p,
    serviceTime: s,
    p50: s / 2,
    p90: s,
    p95: s,
    scalingTime: 1,
    cost: 0.01 * s,
    tasks: { total: 100, succeeded: 100, failed: 0 },
    throttles: 0,
    retries: 0,
    completionTimes: [s / 2, s],
  });
  for (const [label, p, s] of [
    ['no-packing', 1, 10],
    ['propack', 5, 4],
  ] as const) {
    saveRun(ws, {
      id: `2026-${label}`,
      functionName: 'video',
      createdAt: '2026-01-01T00:00:00Z',
      platform: 'local (test)',
      concurrency: 100,
      dispatch: 'sync',
      label,
      measured: m(p, s),
    });
  }
  const out = tmp('out');
  const r = await run('report', '--profile', video, '--out', out, '--workspace', ws);
  assert.equal(r.code, 0, r.err.join());
  assert.match(r.out.join('\n'), /measured runs at C=100 on local \(test\)$/);
  const b = summaryOf(out).benchmarks[0];
  assert.deepEqual([b.measured, b.concurrency], [true, 100]);
  const same = await run('report', '--profile', video, '--concurrency', '100', '--out', out, '--workspace', ws);
  assert.equal(same.code, 0, same.err.join());
  const differs = await run('report', '--profile', video, '--concurrency', '2000', '--out', out, '--workspace', ws);
  assert.equal(differs.code, 2);
  assert.equal(differs.err.length, 1);
  assert.match(
    differs.err[0],
    /^propack report: --concurrency 2000 differs from the measured runs' C=100; omit it, or measure at C=2000 first$/,
  );
});

test('a bad --concurrency is one line on stderr and exit 2', async () => {
  for (const value of ['0', 'x']) {
    const r = await run('report', '--profile', video, '--concurrency', value, '--out', tmp('out'), '--workspace', tmp('empty'));
    assert.equal(r.code, 2, value);
    assert.equal(r.err.length, 1);
    assert.ok(!r.err[0].includes('\n'));
    assert.match(r.err[0], new RegExp(`^propack report: --concurrency must be a whole number from 1 to 1000000, got "${value}"$`));
  }
});

test('a malformed run file in the workspace is one line on stderr and exit 2, naming the file', async () => {
  const ws = tmp('bad-run');
  mkdirSync(join(ws, '.propack', 'runs'), { recursive: true });
  writeFileSync(
    join(ws, '.propack', 'runs', 'broken.json'),
    JSON.stringify({ id: 'x', functionName: 'video', createdAt: '2026', platform: 'local', concurrency: 'many' }),
  );
  const r = await run('report', '--profile', video, '--out', tmp('out'), '--workspace', ws);
  assert.equal(r.code, 2);
  assert.equal(r.err.length, 1);
  assert.match(r.err[0], /^propack report: run file \.propack\/runs\/broken\.json is not a run record: concurrency is not a number$/);
});
