import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseProfile } from '../../../src/core/profile';
import type { MeasuredRun } from '../../../src/core/run-record';
import type { RunRecord } from '../../../src/core/run-record';
import { reportInputs } from '../../../src/engine/report-inputs';
import { candidatesCsv, reportJson } from '../../../src/extension/report/report-export';
import { buildReportView } from '../../../src/extension/report/report-view';
import { shippedProfile } from '../fixtures';

const profile = parseProfile(readFileSync(shippedProfile('video'), 'utf8'), 'video.json');
const view = buildReportView(profile, '.propack/profiles/video.json', { concurrency: 1000, objective: 'both', metric: 'net' });
const m = (p: number, s: number): MeasuredRun => ({ packingDegree: p, serviceTime: s, p50: s / 2, p90: s, p95: s, scalingTime: 1, cost: 0.01 * s, tasks: { total: 100, succeeded: 100, failed: 0 }, throttles: 0, retries: 0, completionTimes: [s] });
const run = (label: string, p: number, s: number, at: string): RunRecord => ({ id: `${label}-${at}`, functionName: 'video', createdAt: at, platform: 'local', concurrency: 100, dispatch: 'sync', label, measured: m(p, s) });

describe('report export', () => {
  it('writes one CSV row per candidate with the recommended one marked', () => {
    const lines = candidatesCsv(view).trim().split('\n');
    assert.equal(lines[0], 'packing_degree,concurrency,service_time_s,scaling_time_s,execution_time_s,cost_usd,instances,recommended');
    assert.equal(lines.length, view.candidates.length + 1);
    const marked = lines.slice(1).filter((l) => l.endsWith(',1'));
    assert.deepEqual(marked.map((l) => Number(l.split(',')[0])), [view.recommended.packingDegree]);
  });

  it('writes the view as versioned JSON', () => {
    const parsed = JSON.parse(reportJson(view)) as { schema: string; recommended: { packingDegree: number } };
    assert.equal(parsed.schema, 'propack.report-view/v1');
    assert.equal(parsed.recommended.packingDegree, view.recommended.packingDegree);
  });

  it('builds the HTML report data at the report\'s C from the latest runs there, or a model-only report without both', () => {
    const at100 = buildReportView(profile, '.propack/profiles/video.json', { concurrency: 100, objective: 'both', metric: 'net' });
    const modelOnly = reportInputs(profile, [run('no-packing', 1, 10, '2026-01-01')], at100.input).data.benchmarks[0];
    assert.equal(modelOnly.measured, undefined);
    assert.equal(modelOnly.concurrency, 100, 'the view\'s concurrency');
    assert.equal(modelOnly.recommended.packingDegree, at100.recommended.packingDegree);
    const runs = [run('no-packing', 1, 10, '2026-01-01'), run('propack', 5, 4, '2026-01-01'), run('propack', 6, 3, '2026-01-02'), run('no-packing', 1, 9, '2026-01-02')];
    const { data, otherRunsAt } = reportInputs(profile, runs, at100.input);
    const b = data.benchmarks[0];
    assert.ok(b.measured);
    assert.deepEqual([b.measured.noPacking.serviceTime, b.measured.propack.serviceTime, b.concurrency], [9, 3, 100]);
    assert.equal(b.recommended.candidates[0].concurrency, 100);
    assert.deepEqual(otherRunsAt, []);
  });

  it('keeps the report\'s C when the runs are at another one: model only, and it names the runs left out', () => {
    const runs = [run('no-packing', 1, 10, '2026-01-01'), run('propack', 5, 4, '2026-01-01')];
    const { data, otherRunsAt } = reportInputs(profile, runs, view.input);
    assert.equal(data.benchmarks[0].measured, undefined);
    assert.equal(data.benchmarks[0].concurrency, 1000, 'the report asked C = 1000, the runs were at 100');
    assert.deepEqual(otherRunsAt, [100]);
  });

  it('answers the report\'s whole question: weights change the exported choice as they change the panel\'s', () => {
    const costly = buildReportView(profile, 'k', { concurrency: 1000, objective: 'both', metric: 'net', weights: { cost: 1, time: 0 } });
    const { data } = reportInputs(profile, [], costly.input);
    assert.equal(data.benchmarks[0].recommended.packingDegree, costly.recommended.packingDegree);
  });
});
