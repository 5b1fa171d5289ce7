import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseProfile } from '../../../src/core/profile';
import { candidatesCsv, reportJson } from '../../../src/extension/report/report-export';
import { buildReportView } from '../../../src/extension/report/report-view';
import { shippedProfile } from '../../support/fixtures';

const profile = parseProfile(readFileSync(shippedProfile('video'), 'utf8'), 'video.json');
const view = buildReportView(profile, '.propack/profiles/video.json', { concurrency: 1000, objective: 'both', metric: 'net' });

describe('report export', () => {
  it('writes one CSV row per candidate with the recommended one marked', () => {
    const lines = candidatesCsv(view).trim().split('\n');
    assert.equal(lines[0], 'packing_degree,concurrency,service_time_s,scaling_time_s,execution_time_s,cost_usd,instances,recommended');
    assert.equal(lines.length, view.candidates.length + 1);
    const marked = lines.slice(1).filter((l) => l.endsWith(',1'));
    assert.deepEqual(
      marked.map((l) => Number(l.split(',')[0])),
      [view.recommended.packingDegree],
    );
  });

  it('writes the view as versioned JSON', () => {
    const parsed = JSON.parse(reportJson(view)) as { schema: string; recommended: { packingDegree: number } };
    assert.equal(parsed.schema, 'propack.report-view/v1');
    assert.equal(parsed.recommended.packingDegree, view.recommended.packingDegree);
  });
});
