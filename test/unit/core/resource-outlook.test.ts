import { buildFittedModel } from '../../../src/core/fitted-model';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEAT_LEVELS, heatmapOf } from '../../../src/core/heatmap';
import { optimizeJoint, type JointGrid, type JointResult } from '../../../src/core/joint-optimizer';
import { resourceOutlook, WHATIF_CONCURRENCIES } from '../../../src/core/resource-outlook';
import type { Profile } from '../../../src/core/types';
import { measuredScalingRule } from '../../../src/core/whatif';
import { loadProfile } from '../../../src/engine/profile-store';
import { degreeRanges } from '../../../src/report/heatmap';
import { shippedProfile } from '../../support/fixtures';

const video = loadProfile(shippedProfile('video'));

test('heatmap levels are rank bands: best cell level 0, worst HEAT_LEVELS − 1, ties share a level, gaps stay empty', () => {
  const grid: JointGrid = {
    architecture: 'x86_64',
    memoriesMb: [1024, 2048],
    degrees: [1, 2, 3, 4],
    objective: [
      [1, 2, 2, 100],
      [3, 4, 5, null],
    ],
    measured: [
      [true, true, false, false],
      [false, false, false, false],
    ],
  };
  const at = (memoryMb: number, p: number) => ({ memoryMb, packingDegree: p, architecture: 'x86_64' as const });
  const result = { objective: 'time', candidates: [], choice: at(1024, 1), reference: at(2048, 3) } as unknown as Pick<
    JointResult,
    'choice' | 'reference' | 'candidates' | 'objective'
  >;
  const h = heatmapOf(grid, result);
  const levels = h.rows.map((r) => r.cells.map((c) => c.level));
  // Seven values, eight levels: rank k gets floor(8k/7).
  assert.deepEqual(levels, [
    [0, 1, 1, 6],
    [3, 4, 5, null],
  ]);
  assert.equal(h.rows[0].cells[0].mark, 'choice');
  assert.equal(h.rows[1].cells[2].mark, 'reference');
  assert.equal(h.rows[1].cells[3].value, null);
  assert.deepEqual(
    h.rows[0].cells.map((c) => c.measured),
    [true, true, false, false],
  );
  assert.deepEqual(
    h.legend.map((l) => [l.level, l.from, l.to]),
    [
      [0, 1, 1],
      [1, 2, 2],
      [3, 3, 3],
      [4, 4, 4],
      [5, 5, 5],
      [6, 100, 100],
    ],
  );
  assert.equal(h.valueLabel, 'service time (s)');
  assert.ok(HEAT_LEVELS === 8);
});

test("the outlook on ProPack's video profile: the choice is the best cell of its heatmap and the trade-off names ProPack's", () => {
  const o = resourceOutlook(video, { concurrency: 1000, objective: 'cost', metric: 'net' });
  const j = optimizeJoint(video, { concurrency: 1000, objective: 'cost', metric: 'net', memoryMb: 'auto', architecture: 'auto' });
  assert.deepEqual(o.joint.choice, j.choice);
  assert.equal(o.joint.tradeOff.text, j.tradeOff.text);
  const h = o.heatmaps.find((x) => x.architecture === o.joint.choice.architecture);
  assert.ok(h);
  const cells = h.rows.flatMap((r) => r.cells.map((c) => ({ ...c, memoryMb: r.memoryMb })));
  const chosen = cells.find((c) => c.mark === 'choice' || c.mark === 'both');
  assert.ok(chosen);
  assert.equal(chosen.memoryMb, o.joint.choice.memoryMb);
  assert.equal(chosen.level, 0);
  // The best cell, or a near tie within the model's noise of it (better on the other axis).
  const best = Math.min(...cells.flatMap((c) => (c.value === null ? [] : [c.value])));
  assert.ok(chosen.value !== null && chosen.value <= best * (1 + buildFittedModel(video).noise), `${chosen.value} vs ${best}`);
  assert.ok(cells.some((c) => c.mark === 'reference' || c.mark === 'both'));
  // The profile measured one size (ProPack's 10 GB run); everything else is predicted.
  assert.deepEqual(
    o.joint.measured.map((m) => m.memoryMb),
    [video.function.memoryMb],
  );
  assert.ok(cells.filter((c) => c.measured).every((c) => c.memoryMb === video.function.memoryMb));
});

test("the what-if view continues the profile's measured start rate and the simulation matches the measured runs within 25%", () => {
  const rule = measuredScalingRule(video);
  assert.ok(rule && rule.limitsEveryStart);
  // ProPack's 2021 runs started about 21 instances per second.
  const perSecond = 1 / rule.intervalS;
  assert.ok(perSecond > 15 && perSecond < 30, String(perSecond));
  const o = resourceOutlook(video, { concurrency: 1000, objective: 'time', metric: 'net' });
  assert.deepEqual(
    o.whatIf.points.map((p) => p.concurrency),
    WHATIF_CONCURRENCIES,
  );
  for (const run of video.scaling.runs.filter((r) => r.serviceTimeS !== undefined && r.concurrency >= 1000)) {
    const sim = o.whatIf.points.find((p) => p.concurrency === run.concurrency);
    if (!sim) continue;
    const err = Math.abs(sim.noPacking.serviceTime - (run.serviceTimeS as number)) / (run.serviceTimeS as number);
    assert.ok(err < 0.25, `C=${run.concurrency}: simulated ${sim.noPacking.serviceTime} vs measured ${run.serviceTimeS}`);
  }
  const last = o.whatIf.points[o.whatIf.points.length - 1];
  assert.equal(last.concurrency, 100000);
  assert.ok(last.packed.serviceTime < last.noPacking.serviceTime, 'packing pays at 100,000');
});

test('a profile without a measurable start rate falls back to the published 2023 rule', () => {
  const single: Profile = { ...video, scaling: { runs: [{ concurrency: 1, scaleTimeS: 0 }] } };
  assert.equal(measuredScalingRule(single), undefined);
});

test('measured degrees read as ranges', () => {
  assert.equal(degreeRanges([1, 2, 3, 4, 8, 16, 17]), '1–4, 8, 16, 17');
  assert.equal(degreeRanges([40, 1, 2]), '1, 2, 40');
  assert.equal(degreeRanges([]), '');
});
