import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asPageMessage, asReportInput } from '../../../src/extension/protocol';
import { savingsText } from '../../../src/report/format';

describe('report protocol guards', () => {
  it('passes ready and well-formed optimize requests', () => {
    assert.deepEqual(asPageMessage({ kind: 'ready' }), { kind: 'ready' });
    const req = {
      kind: 'request',
      id: 7,
      method: 'optimize',
      params: { concurrency: 500, objective: 'cost', metric: 'tail', model: 'classic' },
    };
    assert.deepEqual(asPageMessage(req), req);
  });

  it('drops unknown kinds, unknown methods and bad params', () => {
    for (const bad of [
      null,
      3,
      {},
      { kind: 'nope' },
      { kind: 'request', id: 1, method: 'delete', params: {} },
      { kind: 'request', id: 'x', method: 'optimize', params: { concurrency: 5, objective: 'time', metric: 'net' } },
      { kind: 'request', id: 1, method: 'optimize', params: { concurrency: 0, objective: 'time', metric: 'net' } },
      { kind: 'request', id: 1, method: 'optimize', params: { concurrency: 10, objective: 'speed', metric: 'net' } },
    ]) {
      assert.equal(asPageMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it("passes a page's render report and drops one with a wrong field", () => {
    const report = {
      profileKey: '.propack/profiles/v.json',
      concurrency: 1000,
      objective: 'both',
      metric: 'net',
      charts: ['chart-whatif'],
      heatmapTables: 1,
      choiceCells: 1,
      whatIfRows: 16,
    };
    assert.deepEqual(asPageMessage({ kind: 'rendered', report }), { kind: 'rendered', report });
    assert.deepEqual(asPageMessage({ kind: 'rendered', report: { ...report, outlookError: 'no candidates' } }), {
      kind: 'rendered',
      report: { ...report, outlookError: 'no candidates' },
    });
    for (const bad of [
      { heatmapTables: -1 },
      { choiceCells: 0.5 },
      { charts: [1] },
      { objective: 'fast' },
      { profileKey: 3 },
      { outlookError: 42 },
    ]) {
      assert.equal(asPageMessage({ kind: 'rendered', report: { ...report, ...bad } }), undefined, JSON.stringify(bad));
    }
    assert.equal(asPageMessage({ kind: 'rendered' }), undefined);
  });

  it('restores a saved input without unknown fields and ignores an unknown model', () => {
    assert.deepEqual(asReportInput({ concurrency: 100, objective: 'both', metric: 'median', model: 'magic', extra: 1 }), {
      concurrency: 100,
      objective: 'both',
      metric: 'median',
    });
    assert.equal(asReportInput({ concurrency: 2.5, objective: 'both', metric: 'median' }), undefined);
  });
});

describe('savings against no packing', () => {
  const p = (serviceTime: number, cost: number) => ({
    packingDegree: 4,
    concurrency: 100,
    serviceTime,
    scalingTime: 0,
    cost,
    instances: 25,
    executionTime: 1,
  });
  it('says faster/slower and cheaper/more expensive in whole percent', () => {
    assert.equal(savingsText(p(37, 0.59), p(100, 1)), '63% faster, 41% cheaper than no packing');
    assert.equal(savingsText(p(50, 1.2), p(100, 1)), '50% faster, 20% more expensive than no packing');
    assert.equal(savingsText(p(100, 1), p(100, 1)), 'same time and cost as no packing');
    assert.equal(savingsText(p(100, 0.6), p(100, 1)), '40% cheaper than no packing in the same time');
    assert.equal(savingsText(p(120, 1), p(100, 1)), '20% slower than no packing at the same cost');
    assert.equal(savingsText(p(50, 1), p(0, 1)), 'same cost as no packing (time not comparable)');
  });
});

describe('report input with weights and constraints', () => {
  it('keeps valid weights and positive bounds, drops the rest', () => {
    const base = { concurrency: 100, objective: 'both', metric: 'net' };
    assert.deepEqual(asReportInput({ ...base, weights: { cost: 0.2, time: 0.8 }, constraints: { maxServiceTimeS: 30, maxCostUsd: 0 } }), {
      ...base,
      weights: { cost: 0.2, time: 0.8 },
      constraints: { maxServiceTimeS: 30 },
    });
    assert.deepEqual(asReportInput({ ...base, weights: { cost: -1, time: 1 }, constraints: { maxCostUsd: 'x' } }), base);
  });
});
