import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparisonText, fractionalChange, type ComparedQuantity } from '../../../src/core/compare-text';

const time = (change: number | undefined): ComparedQuantity => ({ quantity: 'time', change });
const cost = (change: number | undefined): ComparedQuantity => ({ quantity: 'cost', change });

test('every combination of less, more, the same and not comparable reads as one correct sentence', () => {
  // [time change, cost change, sentence]: time first, as the report's hovers and table say it.
  const cases: [number | undefined, number | undefined, string][] = [
    [-0.38, -0.41, '38% faster, 41% cheaper than no packing'],
    [-0.38, 0.2, '38% faster, 20% more expensive than no packing'],
    [-0.38, 0.001, '38% faster than no packing at the same cost'],
    [-0.38, undefined, '38% faster than no packing (cost not comparable)'],
    [0.05, -0.41, '5% slower, 41% cheaper than no packing'],
    [0.05, 0.2, '5% slower, 20% more expensive than no packing'],
    [0.05, 0, '5% slower than no packing at the same cost'],
    [0.05, undefined, '5% slower than no packing (cost not comparable)'],
    [0, -0.41, '41% cheaper than no packing in the same time'],
    [-0.004, 0.2, '20% more expensive than no packing in the same time'],
    [0, 0, 'same time and cost as no packing'],
    [0, undefined, 'same time as no packing (cost not comparable)'],
    [undefined, -0.41, '41% cheaper than no packing (time not comparable)'],
    [undefined, 0.2, '20% more expensive than no packing (time not comparable)'],
    [undefined, 0, 'same cost as no packing (time not comparable)'],
    [undefined, undefined, 'not comparable with no packing'],
  ];
  for (const [t, c, expected] of cases) assert.equal(comparisonText([time(t), cost(c)], 'no packing'), expected, `time ${t}, cost ${c}`);
  for (const [, , text] of cases) assert.ok(!/same \w+ than|than,|as,/.test(text), text);
});

test('the order of the parts is kept (the trade-off names cost first)', () => {
  assert.equal(comparisonText([cost(-0.31), time(0.04)], '10,240 MB x86_64, p=20'), '31% cheaper, 4% slower than 10,240 MB x86_64, p=20');
  assert.equal(comparisonText([cost(0), time(0)], 'X'), 'same cost and time as X');
  assert.equal(comparisonText([cost(0), time(0.04)], 'X'), '4% slower than X at the same cost');
});

test('a change rounds to whole percent; under half a percent is the same', () => {
  assert.equal(comparisonText([time(-0.005), cost(0.0049)], 'r'), '1% faster than r at the same cost');
  assert.equal(fractionalChange(50, 100), -0.5);
  assert.equal(fractionalChange(1, 0), undefined);
  assert.equal(fractionalChange(Number.NaN, 1), undefined);
});
