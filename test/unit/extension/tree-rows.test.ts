import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BENCHMARKS } from '../../../benchmarks/catalog';
import { optimize } from '../../../src/core/optimizer';
import type { RunRecord } from '../../../src/core/run-record';
import { DEFAULT_SETTINGS } from '../../../src/extension/settings';
import {
  benchmarkRow,
  handlerRow,
  ItemKind,
  noRunRow,
  profileErrorRow,
  profileRow,
  recommendationHint,
  runRow,
} from '../../../src/extension/tree/tree-rows';
import { syntheticProfile } from '../../support/fixtures';

/** Rows carry the editor's Uri untouched; a plain object stands in for one. */
const uri = { path: '/ws/.propack/profiles/synthetic.json' };
const entry = { uri, key: '.propack/profiles/synthetic.json', profile: syntheticProfile() };

describe('tree rows', () => {
  it('a profile row shows its file and the recommendation for the injected settings, and opens the report', () => {
    const s = { ...DEFAULT_SETTINGS, defaultConcurrency: 400, objective: 'time' as const };
    const row = profileRow(entry, s);
    const p = optimize(entry.profile, { concurrency: 400, objective: 'time', metric: 'net', weights: s.weights }).packingDegree;
    assert.equal(row.label, 'synthetic');
    assert.match(row.description ?? '', new RegExp(`^synthetic\\.json · p=${p} at C=400 · `));
    assert.equal(row.contextValue, ItemKind.profile);
    assert.deepEqual(row.command, { command: 'propack.openReport', title: 'Open Report', arguments: [uri] });
    assert.equal(row.resourceUri, uri);
    assert.match(row.tooltip?.text ?? '', /packing degrees up to 10/);
    // Another question, another hint: the rows read the settings they are given, not global ones.
    const other = profileRow(entry, { ...s, defaultConcurrency: 100 });
    assert.match(other.description ?? '', /at C=100 · /);
  });

  it('the hint is left out when the model cannot answer', () => {
    const broken = { ...syntheticProfile(), packing: { clientOverheadS: 0, samples: [] } };
    assert.equal(recommendationHint(broken, DEFAULT_SETTINGS), undefined);
    assert.equal(profileRow({ ...entry, profile: broken }, DEFAULT_SETTINGS).description, 'synthetic.json');
  });

  it('a broken profile row shows the reason without the file prefix and opens the file', () => {
    const row = profileErrorRow({
      uri,
      key: '.propack/profiles/bad.json',
      reason: '.propack/profiles/bad.json: schema must be "propack.profile/v1"',
    });
    assert.equal(row.label, 'bad.json');
    assert.equal(row.description, 'schema must be "propack.profile/v1"');
    assert.equal(row.icon.color, 'list.errorForeground');
    assert.equal(row.command?.command, 'propack.openProfileFile');
  });

  it('a handler row says whether it is profiled, not yet, or refused and why', () => {
    const h = { functionName: 'resize', exportName: 'handler' };
    assert.equal(handlerRow(h, 'src/resize.js', undefined, undefined, DEFAULT_SETTINGS).description, 'src/resize.js · not profiled');
    const refused = handlerRow(
      h,
      'resize.py',
      undefined,
      { reason: 'Python handlers cannot be packed yet', short: 'Python, not packable yet' },
      DEFAULT_SETTINGS,
    );
    assert.equal(refused.description, 'resize.py · Python, not packable yet');
    assert.match(refused.tooltip?.text ?? '', /cannot be profiled as it is: Python handlers/);
    assert.equal(refused.contextValue, ItemKind.handler);
    const profiled = handlerRow(h, 'src/resize.js', entry, undefined, DEFAULT_SETTINGS);
    assert.equal(profiled.contextValue, ItemKind.handlerProfiled);
    assert.match(profiled.description ?? '', /^p=\d+ at C=1000 · /);
  });

  it('a benchmark row offers a try until it has a profile, then opens its report', () => {
    const b = BENCHMARKS[0];
    assert.equal(benchmarkRow(b, undefined, DEFAULT_SETTINGS).description, `${b.bound}-bound · try it`);
    assert.equal(benchmarkRow(b, undefined, DEFAULT_SETTINGS).command, undefined);
    const tried = benchmarkRow(b, entry, DEFAULT_SETTINGS);
    assert.match(tried.description ?? '', new RegExp(`^${b.bound}-bound · p=`));
    assert.deepEqual(tried.command?.arguments, [uri]);
  });

  it('a run row shows its record, or only its file name when the record could not be read', () => {
    const record = {
      id: 'r1',
      functionName: 'echo',
      label: 'propack',
      createdAt: '2026-01-01T00:00:00Z',
      platform: 'local',
      concurrency: 8,
      dispatch: 'sync',
      measured: { packingDegree: 4, serviceTime: 1.234, cost: 0.00012 },
      predicted: { serviceTime: 1.1, cost: 0.0001 },
    } as unknown as RunRecord; // only the fields rows read
    const row = runRow({ uri, key: '.propack/runs/r1.json' }, record);
    assert.equal(row.label, 'echo · propack');
    assert.equal(row.description, 'p=4 · C=8 · 1.23 s · $0.00012');
    assert.match(row.tooltip?.text ?? '', /predicted 1\.10 s/);
    const unread = runRow({ uri, key: '.propack/runs/r2.json' }, undefined);
    assert.equal(unread.label, 'r2.json');
    assert.equal(unread.description, undefined);
  });

  it('the empty Runs group offers Run Packed only when there is a profile to run', () => {
    assert.equal(noRunRow(true).command?.command, 'propack.runPacked');
    assert.equal(noRunRow(false).command?.command, 'propack.profileFunction');
    assert.equal(noRunRow(false).accessibilityLabel, 'no run yet: profile a function first');
  });
});
