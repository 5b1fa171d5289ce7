import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { optimizeMessage } from '../../../src/extension/commands/optimize-message';
import { formatRelative } from '../../../src/report/format';
import type { Prediction } from '../../../src/core/types';
import { loadProfile } from '../../../src/engine/profile-store';
import { buildReportView } from '../../../src/extension/report/report-view';
import { shippedProfile } from '../../support/fixtures';

const pred = (p: number, serviceTime: number, cost: number): Prediction => ({
  packingDegree: p,
  concurrency: 100,
  serviceTime,
  scalingTime: 0,
  cost,
  instances: 100 / p,
  executionTime: 1,
});

describe('Optimize message', () => {
  it('says less, more or no change against no packing', () => {
    assert.equal(formatRelative(17, 100), '83% less');
    assert.equal(formatRelative(6.05, 5), '21% more');
    assert.equal(formatRelative(5, 5), 'no change');
    assert.equal(formatRelative(1, 0), 'no baseline');
  });

  it('names the function, p, C, the goal and both effects', () => {
    const text = optimizeMessage('video', { concurrency: 100, objective: 'both', metric: 'net' }, pred(5, 6, 0.02), pred(1, 5, 0.06));
    assert.equal(text, 'video: pack p = 5 at C = 100 (both, net): service time 6.0 s (20% more than p = 1), cost $0.02 (67% less).');
  });

  it('ends with the caveats the report view carries: extrapolation and an assumed account limit', () => {
    const profile = loadProfile(shippedProfile('video'));
    const view = buildReportView(profile, 'aws-2021-video.json', { concurrency: 100_000, objective: 'time', metric: 'net' });
    assert.ok(
      view.notes.some((n) => /^extrapolated: C=100000 beyond the measured concurrencies/.test(n)),
      view.notes.join(' | '),
    );
    assert.ok(view.notes.includes("account limit 1000 (assumed: Lambda's default; the profile records none)"), view.notes.join(' | '));
    const text = optimizeMessage('video', view.input, view.recommended, view.baseline, view.notes);
    assert.ok(text.endsWith(view.notes.map((n) => ` Note: ${n}.`).join('')), text);
    const measured = buildReportView(profile, 'aws-2021-video.json', { concurrency: 1000, objective: 'time', metric: 'net' });
    assert.ok(!measured.notes.some((n) => n.startsWith('extrapolated')), measured.notes.join(' | '));
  });
});
