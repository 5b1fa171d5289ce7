import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArtifactError, type TextFile } from '../../../src/core/artifact';
import { FUNCX_NOOP_APP, parseFuncxResults, profileFromFuncx } from '../../../src/core/artifact-funcx';
import { buildFittedModel, fittedPredict } from '../../../src/core/fitted-model';
import { measurementCaveat, parseProfile, serializeProfile } from '../../../src/core/profile';
import { fitStartCurve, startSpan } from '../../../src/core/start-curve';
import { median } from '../../../src/core/stats';
import { artifactDir, shippedProfile, syntheticProfile } from '../../support/fixtures';

const results = (text: string): TextFile => ({ path: 'results.txt', text });

const SMALL = `[Wed, 31 Mar 2021 18:16:04]
Max Workers at Endpoint: 4
1: 0.5
100: 2
200: 4

[Wed, 31 Mar 2021 19:00:00]
Max Workers at Endpoint: 4
1: 0.2
100: 2.2
200: 3.8
[Thu, 1 Apr 2021 08:00:00]
Max Workers at Endpoint: 1
100: 9
`;

test('results.txt blocks: date, workers, ascending C: seconds levels; blank lines optional', () => {
  const runs = parseFuncxResults(results(SMALL));
  assert.equal(runs.length, 3);
  assert.deepEqual(runs[0], {
    date: 'Wed, 31 Mar 2021 18:16:04',
    day: '2021-03-31',
    workers: 4,
    line: 1,
    levels: [
      { concurrency: 1, scaleTimeS: 0.5 },
      { concurrency: 100, scaleTimeS: 2 },
      { concurrency: 200, scaleTimeS: 4 },
    ],
  });
  assert.equal(runs[2].day, '2021-04-01');
  assert.equal(runs[2].line, 12);
});

test('each malformed results.txt is one line naming the file and the line', () => {
  const cases: [string, RegExp][] = [
    ['', /^results\.txt: has no runs/],
    ['100: 2\n', /^results\.txt: line 1 comes before any "\[date\]" line/],
    ['[someday]\nMax Workers at Endpoint: 2\n100: 1\n', /^results\.txt: line 1 is not a date/],
    ['[Wed, 31 Mar 2021 18:16:04]\n100: 1\n', /^results\.txt: line 2 comes before the run's "Max Workers at Endpoint: W" line/],
    ['[Wed, 31 Mar 2021 18:16:04]\n', /^results\.txt: line 1 starts a run without a "Max Workers/],
    ['[Wed, 31 Mar 2021 18:16:04]\n[Wed, 31 Mar 2021 18:17:04]\n', /^results\.txt: line 2 is a new date but the run before it has no/],
    ['[Wed, 31 Mar 2021 18:16:04]\nMax Workers at Endpoint: many\n', /^results\.txt: line 2 must give a positive whole number of workers/],
    ['[Wed, 31 Mar 2021 18:16:04]\nMax Workers at Endpoint: 0\n', /^results\.txt: line 2 must give a positive whole number/],
    ['Max Workers at Endpoint: 2\n', /^results\.txt: line 1 must follow a run's date line/],
    [
      '[Wed, 31 Mar 2021 18:16:04]\nMax Workers at Endpoint: 2\n1.5: 3\n',
      /^results\.txt: line 3 must start with a positive whole concurrency/,
    ],
    [
      '[Wed, 31 Mar 2021 18:16:04]\nMax Workers at Endpoint: 2\n100: fast\n',
      /^results\.txt: line 3 must give a non-negative number of seconds/,
    ],
    ['[Wed, 31 Mar 2021 18:16:04]\nMax Workers at Endpoint: 2\n100: -1\n', /^results\.txt: line 3 must give a non-negative/],
    [
      '[Wed, 31 Mar 2021 18:16:04]\nMax Workers at Endpoint: 2\n500: 3\n100: 1\n',
      /^results\.txt: line 4 has concurrency 100, not above the previous 500/,
    ],
    ['[Wed, 31 Mar 2021 18:16:04]\nMax Workers at Endpoint: 2\n100: 1\nhello world\n', /^results\.txt: line 4 is not "\[date\]"/],
    [
      '[Wed, 31 Mar 2021 18:16:04]\nMax Workers at Endpoint: 2\n\n[Wed, 31 Mar 2021 18:20:04]\n',
      /^results\.txt: line 1: the run dated .* has no "C: seconds" lines/,
    ],
  ];
  for (const [text, pattern] of cases) {
    assert.throws(
      () => parseFuncxResults(results(text)),
      (e: unknown) => e instanceof ArtifactError && !e.message.includes('\n') && pattern.test(e.message),
      JSON.stringify(text),
    );
  }
});

test('a synthetic funcX profile: the chosen workers runs (C ≥ 2), the AWS packing copied, limited to W, labelled modelled', () => {
  const aws = syntheticProfile({ memoryMb: 10000 });
  const p = profileFromFuncx({ results: results(SMALL), workers: 4, packingFrom: aws, createdAt: '2026-01-01T00:00:00Z', tool: 'test' });
  assert.deepEqual(
    p.scaling.runs.map((r) => [r.concurrency, r.scaleTimeS, r.app]),
    [
      [100, 2, FUNCX_NOOP_APP],
      [200, 4, FUNCX_NOOP_APP],
      [100, 2.2, FUNCX_NOOP_APP],
      [200, 3.8, FUNCX_NOOP_APP],
    ],
  );
  assert.deepEqual(p.packing, aws.packing);
  assert.notEqual(p.packing.samples, aws.packing.samples, 'a copy, not the AWS profile’s arrays');
  assert.equal(p.concurrencyLimit, 4);
  assert.deepEqual(p.source.platform, { name: 'funcx', workers: 4, measuredAt: '2021-03-31' });
  assert.match(p.source.detail ?? '', /funcX endpoint with 4 workers, measured 2021-03-31/);
  assert.match(
    p.source.modelled ?? '',
    /scaling measured on funcX, packing from ProPack's AWS synthetic measurements \(modelled, as the paper did\)/,
  );
  assert.match(p.source.modelled ?? '', /AWS Lambda price of the same compute .*funcX bills no GB-s/);
  assert.equal(measurementCaveat(p), p.source.modelled);
  // The file round-trips: the new source fields are validated, not dropped.
  assert.deepEqual(parseProfile(serializeProfile(p), 'fx.json'), p);
  assert.throws(
    () => profileFromFuncx({ results: results(SMALL), workers: 96, packingFrom: aws, createdAt: '', tool: 'test' }),
    /results\.txt: has no runs with 96 workers \(found: 4, 1\)$/,
  );
});

const realResults = (): TextFile => {
  const path = join(artifactDir(), 'funcX', 'data', 'results.txt');
  return { path, text: readFileSync(path, 'utf8') };
};
const awsStateless = () => parseProfile(readFileSync(shippedProfile('statelesscost'), 'utf8'), 'aws-2021-statelesscost.json');

test("ProPack's results.txt: 9 runs (3 × 96, 3 × 48, 3 × 1 workers) over C = 1, 100, 500, …, 5000", () => {
  const runs = parseFuncxResults(realResults());
  assert.deepEqual(
    runs.map((r) => r.workers),
    [96, 96, 96, 48, 48, 48, 1, 1, 1],
  );
  const levels = [1, 100, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000];
  for (const r of runs) {
    assert.equal(r.day, '2021-03-31');
    assert.deepEqual(
      r.levels.map((l) => l.concurrency),
      levels,
    );
  }
  assert.equal(runs[0].levels[11].scaleTimeS, 59.019901275634766);
  assert.equal(runs[6].levels[1].scaleTimeS, 4.4224629402160645);
});

for (const workers of [96, 48, 1]) {
  test(`funcX W=${workers}: the span-only start curve gives each level's median, every repetition within its own spread`, () => {
    const p = profileFromFuncx({ results: realResults(), workers, packingFrom: awsStateless(), createdAt: '', tool: 'test' });
    assert.equal(p.scaling.runs.length, 33, '3 repetitions × 11 levels (C = 1 left out)');
    const curve = fitStartCurve(p.scaling.runs);
    // No per-task times: every level's shape is the uniform one (instances evenly spaced over the span).
    for (const s of curve.shapes) assert.deepEqual(s.g, curve.shapes[0].g);
    assert.ok(Math.abs(curve.shapes[0].g[50] - 0.5) < 1e-12);
    for (const c of new Set(p.scaling.runs.map((r) => r.concurrency))) {
      const measured = p.scaling.runs.filter((r) => r.concurrency === c).map((r) => r.scaleTimeS);
      const span = startSpan(curve, c);
      assert.ok(Math.abs(span / median(measured) - 1) < 1e-9, `C=${c}: ${span} vs median ${median(measured)}`);
      for (const m of measured) assert.ok(Math.abs(span / m - 1) < 0.1, `C=${c}: ${span} vs repetition ${m}`);
    }
    // The model's scaling time at p = 1 is the measured one (no dispatch latency is added to a span-only
    // run) while the workers are not all busy; the endpoint's W workers can only delay starts further.
    const med = median(p.scaling.runs.filter((r) => r.concurrency === 1000).map((r) => r.scaleTimeS));
    const unlimited = fittedPredict(buildFittedModel({ ...p, concurrencyLimit: 1e7 }), 1000, 1, 'net');
    assert.ok(unlimited && Math.abs(unlimited.scalingTime / med - 1) < 0.01, `${unlimited?.scalingTime} vs ${med}`);
    const limited = fittedPredict(buildFittedModel(p), 1000, 1, 'net');
    assert.ok(limited && limited.scalingTime >= unlimited.scalingTime - 1e-9);
  });
}

test('funcX packing is the AWS statelesscost packing, byte for byte in the profile', () => {
  const aws = awsStateless();
  const p = profileFromFuncx({ results: realResults(), workers: 96, packingFrom: aws, createdAt: '', tool: 'test' });
  assert.deepEqual(p.packing, aws.packing);
  assert.deepEqual(p.function, aws.function);
  assert.equal(p.concurrencyLimit, 96);
});
