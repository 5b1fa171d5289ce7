import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heatmapOf } from '../../../src/core/heatmap';
import type { JointCandidate, JointGrid, JointResult } from '../../../src/core/joint-optimizer';
import { resourceOutlook } from '../../../src/core/resource-outlook';
import { loadProfile } from '../../../src/engine/profile-store';
import { BASIS_TEXT, describeCandidate, heatmapTableHtml, jointSummaryHtml } from '../../../src/report/heatmap';
import { shippedProfile } from '../../support/fixtures';

const cand = (memoryMb: number, p: number, measured: boolean): JointCandidate => ({
  memoryMb,
  architecture: 'x86_64',
  vcpus: 1,
  measured,
  packingDegree: p,
  concurrency: 100,
  serviceTime: 2,
  scalingTime: 1,
  cost: 0.5,
  instances: 25,
  executionTime: 1,
});
const measured = [{ memoryMb: 1769, architecture: 'x86_64' as const, degrees: [1, 2, 4, 8] }];

test('a candidate is "measured" only where that memory, architecture and p were measured', () => {
  assert.equal(
    describeCandidate(cand(1769, 4, true), measured),
    '1,769 MB x86_64, p=4: 2 s, $0.5 (predicted from packing measured at this size and p)',
  );
  assert.equal(
    describeCandidate(cand(1769, 5, false), measured),
    '1,769 MB x86_64, p=5: 2 s, $0.5 (predicted at a measured size; this p was not measured)',
  );
  assert.equal(
    describeCandidate(cand(3538, 4, false), measured),
    '3,538 MB x86_64, p=4: 2 s, $0.5 (predicted by the resource model; this size was not measured)',
  );
  for (const c of [cand(1769, 4, true), cand(1769, 5, false), cand(3538, 4, false)])
    assert.ok(!describeCandidate(c, measured).includes('measured configuration'));
});

test('heatmap cells say what under their predicted numbers was measured: the point, the size, or nothing', () => {
  const grid: JointGrid = {
    architecture: 'x86_64',
    memoriesMb: [1769, 3538],
    degrees: [1, 2, 3],
    objective: [
      [3, 2, 1],
      [4, 5, 6],
    ],
    measured: [
      [true, true, false],
      [false, false, false],
    ],
  };
  const result = {
    objective: 'time',
    candidates: [cand(1769, 1, true), cand(1769, 3, false), cand(3538, 1, false)],
    choice: cand(1769, 3, false),
    reference: cand(3538, 1, false),
  } as unknown as Pick<JointResult, 'choice' | 'reference' | 'candidates' | 'objective'>;
  const h = heatmapOf(grid, result);
  assert.deepEqual(
    h.rows.map((r) => r.configurationMeasured),
    [true, false],
  );
  const html = heatmapTableHtml(h, 'hm');
  const titles = [...html.matchAll(/data-p="(\d)" data-memory="(\d+)" title="([^"]*)"/g)].map(
    (m) => [Number(m[2]), Number(m[1]), m[3]] as const,
  );
  const titleAt = (memory: number, p: number): string => titles.find(([m, q]) => m === memory && q === p)?.[2] ?? '';
  assert.ok(titleAt(1769, 1).endsWith(BASIS_TEXT['measured-point']), titleAt(1769, 1));
  assert.ok(titleAt(1769, 3).includes(BASIS_TEXT['measured-size']), titleAt(1769, 3));
  assert.ok(titleAt(3538, 2).endsWith(BASIS_TEXT.model), titleAt(3538, 2));
  assert.ok(!html.includes('measured configuration'));
  // Only the two measured points carry the • mark and the "measured" class.
  assert.equal((html.match(/class="heat heat-\d measured/g) ?? []).length, 2);
});

test('a size measured only at degrees outside the grid still counts as a measured size', () => {
  const grid: JointGrid = { architecture: 'arm64', memoriesMb: [2048], degrees: [1], objective: [[1]], measured: [[false]] };
  const at = { memoryMb: 2048, architecture: 'arm64', packingDegree: 1 };
  const result = {
    objective: 'time',
    candidates: [],
    choice: at,
    reference: at,
    model: { measured: [{ memoryMb: 2048, architecture: 'arm64', degrees: [2, 4] }] },
  } as unknown as Parameters<typeof heatmapOf>[1];
  assert.equal(heatmapOf(grid, result).rows[0].configurationMeasured, true);
});

test("on ProPack's video profile (one measured size) the joint summary labels only the 10,240 MB points as measured", () => {
  const o = resourceOutlook(loadProfile(shippedProfile('video')), { concurrency: 1000, objective: 'cost', metric: 'net' });
  const html = jointSummaryHtml(o.joint);
  assert.ok(!html.includes('measured configuration'));
  const mem = o.joint.memoryOnly;
  const expected = mem.memoryMb === 10240 ? (mem.measured ? BASIS_TEXT['measured-point'] : BASIS_TEXT['measured-size']) : BASIS_TEXT.model;
  assert.ok(html.includes(`Memory only (p=1):</strong> ${describeCandidate(mem, o.joint.measured)}`), 'memory-only line');
  assert.ok(describeCandidate(mem, o.joint.measured).includes(expected));
});
