import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseProfile } from '../../../src/core/profile';
import { runRecordProblem, type MeasuredRun, type RunRecord } from '../../../src/core/run-record';
import { measuredConcurrency, parseRunFile, readRunFiles, reportInputs } from '../../../src/engine/report-inputs';
import { RUNS_DIR, saveRun } from '../../../src/engine/run-store';
import { buildReportView } from '../../../src/extension/report/report-view';
import { shippedProfile } from '../../support/fixtures';

const profile = parseProfile(readFileSync(shippedProfile('video'), 'utf8'), 'video.json');
const view = buildReportView(profile, '.propack/profiles/video.json', { concurrency: 1000, objective: 'both', metric: 'net' });
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
  completionTimes: [s],
});
const run = (label: string, p: number, s: number, at: string, extra: Partial<RunRecord> = {}): RunRecord => ({
  id: `${label}-${at}`,
  functionName: 'video',
  createdAt: at,
  platform: 'local',
  concurrency: 100,
  dispatch: 'sync',
  label,
  measured: m(p, s),
  ...extra,
});

describe('report inputs', () => {
  it("builds the HTML report data at the report's C from the latest runs there, or a model-only report without both", () => {
    const at100 = buildReportView(profile, '.propack/profiles/video.json', { concurrency: 100, objective: 'both', metric: 'net' });
    const modelOnly = reportInputs(profile, [run('no-packing', 1, 10, '2026-01-01')], at100.input).data.benchmarks[0];
    assert.equal(modelOnly.measured, undefined);
    assert.equal(modelOnly.concurrency, 100, "the view's concurrency");
    assert.equal(modelOnly.recommended.packingDegree, at100.recommended.packingDegree);
    const runs = [
      run('no-packing', 1, 10, '2026-01-01'),
      run('propack', 5, 4, '2026-01-01'),
      run('propack', 6, 3, '2026-01-02'),
      run('no-packing', 1, 9, '2026-01-02'),
    ];
    const { data, otherRunsAt } = reportInputs(profile, runs, at100.input);
    const b = data.benchmarks[0];
    assert.ok(b.measured);
    assert.deepEqual([b.measured.noPacking.serviceTime, b.measured.propack.serviceTime, b.concurrency], [9, 3, 100]);
    assert.equal(b.recommended.candidates[0].concurrency, 100);
    assert.deepEqual(otherRunsAt, []);
  });

  it("keeps the report's C when the runs are at another one: model only, and it names the runs left out", () => {
    const runs = [run('no-packing', 1, 10, '2026-01-01'), run('propack', 5, 4, '2026-01-01')];
    const { data, otherRunsAt } = reportInputs(profile, runs, view.input);
    assert.equal(data.benchmarks[0].measured, undefined);
    assert.equal(data.benchmarks[0].concurrency, 1000, 'the report asked C = 1000, the runs were at 100');
    assert.deepEqual(otherRunsAt, [100]);
  });

  it("answers the report's whole question: weights change the exported choice as they change the panel's", () => {
    const costly = buildReportView(profile, 'k', { concurrency: 1000, objective: 'both', metric: 'net', weights: { cost: 1, time: 0 } });
    const { data } = reportInputs(profile, [], costly.input);
    assert.equal(data.benchmarks[0].recommended.packingDegree, costly.recommended.packingDegree);
  });

  it("includes the PyWren-style run at the report's C, outside the grid, whichever front end asks", () => {
    const runs = [
      run('no-packing', 1, 10, '2026-01-01'),
      run('pywren', 1, 12, '2026-01-01', { dispatch: 'async' }),
      run('propack', 5, 4, '2026-01-01'),
      run('grid-p2', 2, 6, '2026-01-01'),
    ];
    // The CLI asks without a C (the runs' decides), the editor with the panel's C: the same measured results.
    const cli = reportInputs(profile, runs, { objective: 'both', metric: 'net' }, 'now');
    const editor = reportInputs(profile, runs, { concurrency: 100, objective: 'both', metric: 'net' }, 'now');
    assert.deepEqual(cli.data, editor.data);
    const measured = cli.data.benchmarks[0].measured;
    assert.ok(measured);
    assert.equal(measured.pywren?.serviceTime, 12);
    assert.deepEqual(
      measured.grid.map((r) => [r.packingDegree, r.serviceTime]),
      [
        [1, 10],
        [2, 6],
        [5, 4],
      ],
      'sync runs only, one per degree',
    );
    assert.equal(cli.measuredRun?.id, 'propack-2026-01-01');
  });

  it("keeps the newest run of each degree in the grid and leaves out other functions' runs", () => {
    const runs = [
      run('no-packing', 1, 10, '2026-01-01'),
      run('grid', 3, 8, '2026-01-01'),
      run('grid', 3, 7, '2026-01-03'),
      run('propack', 5, 4, '2026-01-02'),
      run('propack', 5, 1, '2026-01-04', { functionName: 'sort' }),
    ];
    const measured = reportInputs(profile, runs, { objective: 'time', metric: 'net' }).data.benchmarks[0].measured;
    assert.deepEqual(
      measured?.grid.map((r) => [r.packingDegree, r.serviceTime]),
      [
        [1, 10],
        [3, 7],
        [5, 4],
      ],
    );
    assert.equal(measured?.propack.serviceTime, 4);
  });

  it('takes the C of the latest ProPack run that has a no-packing run beside it, else none', () => {
    assert.equal(measuredConcurrency([run('no-packing', 1, 10, '2026-01-01'), run('propack', 5, 4, '2026-01-02')], 'video'), 100);
    assert.equal(measuredConcurrency([run('propack', 5, 4, '2026-01-02')], 'video'), undefined);
    assert.equal(measuredConcurrency([run('no-packing', 1, 10, '2026-01-01'), run('propack', 5, 4, '2026-01-02')], 'sort'), undefined);
  });

  it('reads a run file back as it was saved', () => {
    const r = run('propack', 5, 4, '2026-01-01');
    assert.deepEqual(parseRunFile('a.json', JSON.stringify(r)), r);
    // A run that measured nothing has NaN times, which JSON writes as null: still a run record.
    assert.equal(runRecordProblem(JSON.parse(JSON.stringify({ ...r, measured: { ...r.measured, serviceTime: NaN } }))), undefined);
  });

  it('rejects a malformed run file with one line naming the file and the problem', () => {
    const r = run('propack', 5, 4, '2026-01-01');
    const cases: [string, RegExp][] = [
      ['{not json', /^run file runs\/x\.json is not JSON: /],
      ['[]', /^run file runs\/x\.json is not a run record: not a JSON object$/],
      [JSON.stringify({ ...r, functionName: 3 }), /^run file runs\/x\.json is not a run record: functionName is not a string$/],
      [
        JSON.stringify({ ...r, dispatch: 'later' }),
        /^run file runs\/x\.json is not a run record: dispatch is not "sync", "async" or "stepfunctions"$/,
      ],
      [
        JSON.stringify({ ...r, measured: { ...r.measured, cost: '1' } }),
        /^run file runs\/x\.json is not a run record: measured\.cost is not a number$/,
      ],
      [
        JSON.stringify({ ...r, measured: { ...r.measured, tasks: {} } }),
        /^run file runs\/x\.json is not a run record: measured\.tasks is not/,
      ],
      [
        JSON.stringify({ ...r, measured: { ...r.measured, completionTimes: 3 } }),
        /^run file runs\/x\.json is not a run record: measured\.completionTimes is not an array of numbers$/,
      ],
    ];
    for (const [text, expected] of cases) {
      assert.throws(
        () => parseRunFile('runs/x.json', text),
        (e: unknown) => e instanceof Error && expected.test(e.message) && !e.message.includes('\n'),
        text,
      );
    }
  });

  it("reads a workspace's run files newest first and stops at a malformed one", () => {
    const ws = mkdtempSync(join(tmpdir(), 'propack-report-inputs-'));
    saveRun(ws, run('no-packing', 1, 10, '2026-01-01', { id: '20260101-a' }));
    saveRun(ws, run('propack', 5, 4, '2026-01-02', { id: '20260102-b' }));
    assert.deepEqual(
      readRunFiles(ws).map((r) => r.id),
      ['20260102-b', '20260101-a'],
    );
    mkdirSync(join(ws, RUNS_DIR), { recursive: true });
    writeFileSync(join(ws, RUNS_DIR, '20260103-c.json'), '{}');
    assert.throws(() => readRunFiles(ws), /^Error: run file \.propack\/runs\/20260103-c\.json is not a run record: id is not a string$/);
  });
});
