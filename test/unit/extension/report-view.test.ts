import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { optimize } from '../../../src/core/optimizer';
import { parseProfile } from '../../../src/core/profile';
import { buildReportView } from '../../../src/extension/report/report-view';

const PROFILE_FILE = join(__dirname, '..', '..', '..', '..', 'benchmarks', 'profiles', 'aws-2021-video.json');
const profile = parseProfile(readFileSync(PROFILE_FILE, 'utf8'), 'aws-2021-video.json');

describe('report view', () => {
  const input = { concurrency: 2000, objective: 'both', metric: 'net' } as const;
  const view = buildReportView(profile, '.propack/profiles/video.json', input);

  it('recommends what the optimizer recommends and marks it among the candidates', () => {
    const result = optimize(profile, input);
    assert.equal(view.recommended.packingDegree, result.packingDegree);
    assert.deepEqual(view.candidates.map((c) => c.packingDegree), result.candidates.map((c) => c.packingDegree));
    assert.ok(view.candidates.some((c) => c.packingDegree === view.recommended.packingDegree));
    assert.equal(view.baseline.packingDegree, 1);
  });

  it('carries every measured point and a model curve spanning the measured concurrency', () => {
    assert.equal(view.scalingMeasured.length, profile.scaling.runs.length);
    assert.equal(view.packing.length, profile.packing.samples.reduce((n, s) => n + s.timesS.length, 0));
    const xs = view.scalingModel.map((p) => p.x);
    assert.deepEqual(xs, [...xs].sort((a, b) => a - b));
    assert.equal(xs[xs.length - 1], Math.max(...profile.scaling.runs.map((r) => r.concurrency)));
  });

  it('keeps the key the panel is restored from and the input it answered', () => {
    assert.equal(view.profileKey, '.propack/profiles/video.json');
    assert.equal(view.input.concurrency, 2000);
    assert.equal(view.functionName, 'video');
  });
});
