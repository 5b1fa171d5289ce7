import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Prediction } from '../../../src/core/types';
import type { MeasuredRun, RunRecord } from '../../../src/core/run-record';
import { profiledLensTitle } from '../../../src/extension/handlers/lens-title';
import { formatChange } from '../../../src/report/format';
import { compareRunsMarkdown, parseRunRecord, runDescription } from '../../../src/extension/runs/run-files';
import { needsCostConfirmation, runSummary } from '../../../src/extension/runs/run-summary';

const pred = (p: number, serviceTime: number, cost: number): Prediction => ({
  packingDegree: p,
  concurrency: 1000,
  serviceTime,
  scalingTime: 0,
  cost,
  instances: Math.ceil(1000 / p),
  executionTime: 1,
});
const measured = (p: number, serviceTime: number, cost: number): MeasuredRun => ({
  packingDegree: p,
  serviceTime,
  p50: serviceTime / 2,
  p90: serviceTime * 0.9,
  p95: serviceTime * 0.95,
  scalingTime: serviceTime / 3,
  cost,
  tasks: { total: 16, succeeded: 16, failed: 0 },
  throttles: 0,
  retries: 0,
  completionTimes: [serviceTime / 2, serviceTime],
});
const record = (label: string, m: MeasuredRun): RunRecord => ({
  id: `id-${label}`,
  functionName: 'video',
  createdAt: '2026-11-27T01:00:00Z',
  platform: 'local',
  concurrency: 16,
  dispatch: 'sync',
  label,
  measured: m,
});

describe('CodeLens title', () => {
  it('says p, C and the savings with real minus signs', () => {
    assert.equal(profiledLensTitle(pred(12, 37, 0.59), pred(1, 100, 1), 1000), 'ProPack: p=12 at C=1000 · \u221263% time · \u221241% cost');
    assert.equal(formatChange(100, 104), '+4%');
    assert.equal(formatChange(100, 100), '±0%');
    assert.equal(formatChange(0, 1), 'n/a');
  });
});

describe('runs', () => {
  it('asks before spending only on AWS and above the threshold', () => {
    assert.deepEqual(
      [
        needsCostConfirmation('local', 99, 1),
        needsCostConfirmation('aws', 0.5, 1),
        needsCostConfirmation('aws', 1.5, 1),
        needsCostConfirmation('aws', 0.01, 0),
      ],
      [false, false, true, true],
    );
  });

  it('summarizes measured against predicted and against no packing', () => {
    const text = runSummary(measured(4, 1.2, 0.0012), { serviceTime: 1.0, cost: 0.001 }, measured(1, 2.4, 0.0024));
    assert.match(
      text,
      /^packed p=4: 1\.20 s \(predicted 1\.00 s, \+20%\), \$0\.00120 \(predicted \$0\.00100\), 16\/16 tasks ok; no packing 2\.40 s, \$0\.00240 — service time 50% less, cost 50% less$/,
    );
  });

  it('reads run records and refuses other JSON', () => {
    const r = record('propack', measured(4, 1.2, 0.0012));
    assert.deepEqual(parseRunRecord(JSON.stringify(r)), r);
    for (const bad of ['{}', 'not json', JSON.stringify({ ...r, measured: { ...r.measured, completionTimes: 3 } })])
      assert.equal(parseRunRecord(bad), undefined, bad);
    assert.equal(runDescription(r), 'p=4 · C=16 · 1.20 s · $0.0012');
  });

  it('compares two runs in a Markdown table', () => {
    const md = compareRunsMarkdown(record('no-packing', measured(1, 2, 0.002)), record('propack', measured(4, 1, 0.003)));
    assert.match(md, /^# ProPack: no-packing vs propack/);
    assert.match(md, /\| service time \(s\) \| 2\.000 \| 1\.000 \| −50% \|/);
    assert.match(md, /\| cost \(USD\) \| 0\.00200 \| 0\.00300 \| \+50% \|/);
  });
});
