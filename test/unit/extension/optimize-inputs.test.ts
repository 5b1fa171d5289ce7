import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMetric, isObjective } from '../../../src/extension/commands/optimize-inputs';
import { concurrencyError, MAX_CONCURRENCY } from '../../../src/extension/protocol';

describe('Optimize command inputs', () => {
  it('accepts whole numbers in range, with surrounding blanks', () => {
    for (const ok of ['1', '2000', ` ${MAX_CONCURRENCY} `]) assert.equal(concurrencyError(ok), undefined, ok);
  });

  it('rejects text, fractions, signs, zero and too much with a reason', () => {
    for (const bad of ['', 'lots', '1.5', '-3', '+3', '0', String(MAX_CONCURRENCY + 1), '1e3']) {
      assert.match(concurrencyError(bad) ?? '', /whole number|between/, bad);
    }
  });

  it('knows the objectives and metrics of the CLI contract', () => {
    assert.deepEqual(['time', 'cost', 'both', 'x'].map(isObjective), [true, true, true, false]);
    assert.deepEqual(['net', 'tail', 'median', 'p99'].map(isMetric), [true, true, true, false]);
  });
});
