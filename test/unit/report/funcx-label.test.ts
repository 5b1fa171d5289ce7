import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileFromFuncx } from '../../../src/core/artifact-funcx';
import { parseProfile } from '../../../src/core/profile';
import { buildReportView } from '../../../src/extension/report/report-view';
import { modelOnlyPlatform } from '../../../src/report/report-data';
import { artifactDir, shippedProfile } from '../../support/fixtures';

const aws = parseProfile(readFileSync(shippedProfile('statelesscost'), 'utf8'), 'aws-2021-statelesscost.json');
const resultsPath = join(artifactDir(), 'funcX', 'data', 'results.txt');
const funcx = profileFromFuncx({
  results: { path: resultsPath, text: readFileSync(resultsPath, 'utf8') },
  workers: 48,
  packingFrom: aws,
  createdAt: '2026-01-01T00:00:00Z',
  tool: 'test',
});

test('a model-only report names the funcX endpoint and says modelled; an AWS one reads as before', () => {
  assert.equal(modelOnlyPlatform(funcx), 'model only (profile from artifact, funcX endpoint, 48 workers; modelled)');
  assert.equal(modelOnlyPlatform(aws), 'model only (profile from artifact)');
});

test('the report panel shows the funcX profile as modelled after its source', () => {
  const view = buildReportView(funcx, 'funcx-statelesscost-w48.json', { concurrency: 1000, objective: 'time', metric: 'net' });
  assert.match(view.sourceDetail, /funcX endpoint with 48 workers/);
  assert.match(
    view.sourceDetail,
    /; scaling measured on funcX, packing from ProPack's AWS statelesscost measurements \(modelled, as the paper did\)/,
  );
  assert.doesNotMatch(buildReportView(aws, 'aws.json', { concurrency: 1000, objective: 'time', metric: 'net' }).sourceDetail, /modelled/);
});
