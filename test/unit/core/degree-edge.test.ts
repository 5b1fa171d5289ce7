import { test } from 'node:test';
import assert from 'node:assert/strict';
import { degreeEdge, measuredDegrees } from '../../../src/core/degree-edge';
import { optimize } from '../../../src/core/optimizer';
import type { Profile } from '../../../src/core/types';
import { syntheticProfile } from '../../support/fixtures';

/** The synthetic profile measured only at `degrees`. */
function measuredAt(degrees: number[]): Profile {
  const p = syntheticProfile({ maxDegree: Math.max(...degrees) });
  return { ...p, packing: { ...p.packing, samples: p.packing.samples.filter((s) => degrees.includes(s.degree)) } };
}

test('measured degrees are distinct and ascending', () => {
  const p = measuredAt([1, 2, 4, 8]);
  p.packing.samples.push({ degree: 4, timesS: [2] });
  assert.deepEqual(measuredDegrees(p), [1, 2, 4, 8]);
});

test('a choice at the largest measured degree is flagged with higher degrees to profile', () => {
  const e = degreeEdge(measuredAt([1, 2, 4, 8]), 8, 1000);
  assert.equal(e?.side, 'largest');
  assert.deepEqual(e?.suggestedDegrees, [1, 2, 4, 8, 16, 32]);
  assert.match(
    e?.message ?? '',
    /^p=8 is the largest packing degree profiled \(1, 2, 4, 8\): the best p may be higher; profile degrees up to 32/,
  );
});

test('a choice inside the measured degrees, at p = C, or at the user cap is not flagged', () => {
  const p = measuredAt([1, 2, 4, 8]);
  assert.equal(degreeEdge(p, 4, 1000), undefined);
  assert.equal(degreeEdge(p, 1, 1000), undefined);
  assert.equal(degreeEdge(p, 8, 8), undefined, 'p = C: nothing higher exists');
  assert.equal(degreeEdge(p, 8, 1000, 8), undefined, 'the user capped the search at 8');
});

test('suggestions never exceed C; extrapolated choices are called so', () => {
  assert.deepEqual(degreeEdge(measuredAt([1, 2, 4, 8]), 8, 12)?.suggestedDegrees, [1, 2, 4, 8, 12]);
  const beyond = degreeEdge(measuredAt([1, 2, 4, 8]), 20, 1000, 50);
  assert.equal(beyond?.side, 'beyond');
  assert.match(beyond?.message ?? '', /extrapolated/);
});

test('a choice at the smallest measured packed degree above 1 is flagged with lower degrees to profile', () => {
  const e = degreeEdge(measuredAt([4, 8, 16]), 4, 1000);
  assert.equal(e?.side, 'smallest');
  assert.deepEqual(e?.suggestedDegrees, [1, 2, 4, 8, 16]);
});

test('optimize carries the edge when its choice is the largest measured degree', () => {
  // Packing costs nothing extra here, so more packing is always better: the edge is the largest measured p.
  const flat = syntheticProfile({ maxDegree: 8, slopeS: 0 });
  const r = optimize(flat, { concurrency: 1000, objective: 'time', metric: 'net' });
  assert.equal(r.packingDegree, 8);
  assert.equal(r.edge?.side, 'largest');
  const steep = syntheticProfile({ maxDegree: 8, slopeS: 5 });
  assert.equal(optimize(steep, { concurrency: 1000, objective: 'time', metric: 'net' }).edge, undefined);
});

test('a long measured list is named by its ends and thinned to doublings in the suggestion', () => {
  const e = degreeEdge(measuredAt(Array.from({ length: 40 }, (_, i) => i + 1)), 40, 5000);
  assert.match(e?.message ?? '', /\(1, 2, …, 40: 40 degrees\)/);
  assert.deepEqual(e?.suggestedDegrees, [1, 2, 4, 8, 16, 32, 40, 80, 160]);
});
