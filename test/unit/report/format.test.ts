import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatChange,
  formatNumber,
  formatRegret,
  formatRelative,
  formatSeconds,
  formatUsd,
  roundedPercentChange,
} from '../../../src/report/format';

describe('report formatters', () => {
  it('rounds a change to whole percent, with no negative zero and nothing without a base', () => {
    assert.equal(roundedPercentChange(100, 37), -63);
    assert.equal(roundedPercentChange(100, 99.8), 0);
    assert.ok(Object.is(roundedPercentChange(100, 99.8), 0), '−0 would print as "-0" or compare oddly');
    assert.equal(roundedPercentChange(0, 1), undefined);
    assert.equal(roundedPercentChange(1, NaN), undefined);
  });

  it('writes the signed change with a typographic minus, and n/a without a base', () => {
    assert.deepEqual(
      [formatChange(100, 37), formatChange(100, 104), formatChange(100, 100), formatChange(0, 5), formatChange(5, Infinity)],
      ['\u221263%', '+4%', '±0%', 'n/a', 'n/a'],
    );
  });

  it('says the same change in words when a sentence needs them', () => {
    assert.deepEqual(
      [formatRelative(17, 100), formatRelative(6.05, 5), formatRelative(5, 5), formatRelative(1, 0)],
      ['83% less', '21% more', 'no change', 'no baseline'],
    );
  });

  it('keeps one decimal of a small regret and whole percent of a large one', () => {
    assert.deepEqual([formatRegret(0.023), formatRegret(0.25), formatRegret(NaN)], ['2.3%', '25%', 'n/a']);
  });

  it('formats numbers, seconds and dollars for people', () => {
    assert.deepEqual([formatNumber(12), formatNumber(0.000123456), formatNumber(NaN)], ['12', '0.0001235', '—']);
    assert.deepEqual([formatSeconds(12.345), formatUsd(0.01234), formatUsd(12.5)], ['12.3 s', '$0.0123', '$12.50']);
  });
});
