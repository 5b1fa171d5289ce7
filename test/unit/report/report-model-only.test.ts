import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportData } from '../../../src/report/report-data';
import { renderReportHtml, type ReportAssets, type ReportChartsPayload } from '../../../src/report/report-html';
import { formatChange } from '../../../src/report/format';
import { headline } from '../../../src/report/summary';
import { parsePackedMapDefinition } from '../../../src/core/step-functions';
import { packedStateMachine, samSnippet } from '../../../src/engine/state-machine';
import { writeReport } from '../../../src/engine/report-write';
import { REPO_ROOT } from '../../support/fixtures';
import { modelOnlyBenchmark, sampleReportData } from './report-fixture';
import { assertSelfContained, assertStrictCsp, embedded, reportStyles, visibleText } from './report-page-checks';

const NONCE = 'bW9kZWwtb25seQ==';
const chartJs = readFileSync(join(REPO_ROOT, 'node_modules', 'chart.js', 'dist', 'chart.umd.js'), 'utf8');
const assets: ReportAssets = { chartJs, pageScript: 'window.reportPage = true;\n', styles: reportStyles() };
const bench = modelOnlyBenchmark({ app: 'video', title: 'video', concurrency: 2000, objective: 'both', metric: 'net' });
const data: ReportData = {
  title: 'ProPack report (model only): video',
  generatedAt: '2026-11-27T00:00:00.000Z',
  platform: 'model only (profile from artifact)',
  benchmarks: [bench],
};
const html = renderReportHtml(data, assets, { nonce: NONCE });
const { charts } = JSON.parse(embedded(html, 'report-charts')) as ReportChartsPayload;

test('a model-only report is a self-contained page under the same strict CSP', () => {
  assertSelfContained(html, chartJs);
  assertStrictCsp(html, NONCE);
});

test('a model-only report says it predicts, in the headline and a note, and never mentions an oracle or regret', () => {
  const { predicted, baseline } = bench.recommended;
  const text = visibleText(html);
  const expected =
    `Predicted: ProPack would pack p=${predicted.packingDegree} at C=2000: ${formatChange(baseline.serviceTime, predicted.serviceTime)} service time, ` +
    `${formatChange(baseline.cost, predicted.cost)} cost vs no packing (model, no measured runs yet)`;
  assert.equal(headline(bench), expected);
  assert.ok(html.includes(`<p class="headline predicted">${expected}</p>`));
  assert.match(text, /no measured runs yet, so every result below is a prediction/);
  assert.doesNotMatch(text, /oracle|regret/i);
  assert.doesNotMatch(text, /ProPack chose|Measured runs at|tasks ok|throttles/);
  assert.match(text, /Predictions/);
  assert.doesNotMatch(html, /<h3>Results<\/h3>/);
});

test("the predictions table holds the model numbers without packing and at ProPack's p, every row marked predicted", () => {
  const table = html.slice(html.indexOf('<h3>Predictions</h3>'), html.indexOf('</table>', html.indexOf('<h3>Predictions</h3>')));
  const rows = [...table.matchAll(/<tr class="([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual(rows, ['predicted no-packing', 'predicted propack']);
  for (const pred of [bench.recommended.baseline, bench.recommended.predicted]) {
    for (const v of [pred.packingDegree, pred.serviceTime, pred.scalingTime, pred.cost, pred.instances])
      assert.ok(table.includes(`data-value="${v}"`), `${pred.packingDegree}: ${v}`);
    assert.ok(pred.percentiles, 'the fitted model gives percentiles');
    for (const v of [pred.percentiles.p50, pred.percentiles.p90, pred.percentiles.p95]) assert.ok(table.includes(`data-value="${v}"`));
  }
  assert.equal(bench.recommended.baseline.packingDegree, 1);
  assert.equal(bench.recommended.baseline.instances, 2000);
});

test("model-only charts: no CDF, no series or marker from runs, ProPack's p marked on the model curves", () => {
  assert.deepEqual(
    charts.map((c) => c.id.replace(/^b0-/, '')),
    ['scaling', 'packing', 'service', 'cost', 'whatif'],
  );
  for (const c of charts) {
    assert.ok(!c.markers.some((m) => m.role === 'oracle'), `${c.id}: no oracle or "this run" marker`);
    assert.ok(c.table.rows.length > 0 && c.table.rows.every((r) => r.length === c.table.columns.length), c.id);
    assert.ok(html.includes(`<canvas id="chart-${c.id}" role="img"`), c.id);
  }
  for (const id of ['b0-service', 'b0-cost']) {
    const c = charts.find((x) => x.id === id);
    assert.ok(c);
    assert.deepEqual(
      c.series.map((s) => s.role),
      ['model'],
      `${id}: the model line alone`,
    );
    assert.deepEqual(c.markers, [
      { x: bench.recommended.packingDegree, label: `ProPack p=${bench.recommended.packingDegree}`, role: 'propack' },
    ]);
    assert.deepEqual(
      c.table.columns.map((col) => col.split(' ')[0]),
      ['p', 'predicted'],
    );
  }
  const whatIf = charts.find((c) => c.id === 'b0-whatif');
  assert.ok(whatIf);
  const points = whatIf.series.filter((s) => s.style === 'points');
  assert.deepEqual(
    points.map((s) => s.label),
    ['measured, no packing (profile)'],
    "only the profile's own measurements",
  );
  // This function's runs: the shipped profiles also hold the other apps' runs (for the start curve).
  const own = bench.profile.scaling.runs.filter((r) => r.app === undefined || r.app === bench.profile.function.name);
  assert.ok(own.length > 0 && own.length < bench.profile.scaling.runs.length, `${own.length} of ${bench.profile.scaling.runs.length}`);
  assert.equal(points[0].points.length, own.length);
  // The packed line names the objective its p was chosen for, and each point's note gives both costs.
  const packed = whatIf.series.find((s) => s.role === 'propack');
  assert.equal(packed?.label, `simulated, p chosen for ${bench.objective} per C`);
  assert.match(packed?.notes?.[0] ?? '', /^at p = \d+ on \d+ instances: \$[\d.]+ \(no packing \$[\d.]+\)$/);
});

test('summary.json of a model-only report: measured false, the run fields and regret null, the predictions kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'propack-model-only-'));
  const s = JSON.parse(readFileSync(writeReport(dir, data, assets).summary, 'utf8')).benchmarks[0];
  assert.deepEqual(Object.keys(s), [
    'benchmark',
    'concurrency',
    'objective',
    'metric',
    'measured',
    'noPacking',
    'pywren',
    'propack',
    'oracle',
    'predicted',
    'regret',
    'joint',
    'measuredDegrees',
    'edge',
  ]);
  assert.equal(s.measured, false);
  for (const k of ['noPacking', 'pywren', 'propack', 'oracle', 'regret']) assert.equal(s[k], null, k);
  const { predicted, baseline } = bench.recommended;
  assert.deepEqual(s.predicted, {
    packingDegree: predicted.packingDegree,
    serviceTime: predicted.serviceTime,
    cost: predicted.cost,
    noPacking: { serviceTime: baseline.serviceTime, cost: baseline.cost },
  });
  assert.ok(s.joint, 'the memory × p choice is a prediction, so it stays');
  assert.ok(html.includes('<p class="tradeoff">'), 'the memory × p section with its trade-off');
});

test('beside a measured benchmark, a model-only row of the overview says "predicted" and leaves oracle and regret empty', () => {
  const measured = sampleReportData().benchmarks[0];
  const page = renderReportHtml({ ...data, benchmarks: [measured, bench] }, assets, { nonce: NONCE });
  const overview = page.slice(
    page.indexOf('<caption>Overview</caption>'),
    page.indexOf('</table>', page.indexOf('<caption>Overview</caption>')),
  );
  const row = overview.slice(overview.indexOf('href="#bench-1"'));
  assert.match(
    row,
    /<td class="text">[−+±]\d+% \(predicted\)<\/td><td class="text">[−+±]\d+% \(predicted\)<\/td><td class="text">—<\/td><td class="text">—<\/td>/,
  );
  const { charts: both } = JSON.parse(embedded(page, 'report-charts')) as ReportChartsPayload;
  assert.deepEqual(
    both.filter((c) => c.id.endsWith('-cdf')).map((c) => c.id),
    ['b0-cdf'],
    'the measured benchmark keeps its CDF',
  );
});

test('a recommendation beyond the measured concurrencies carries an extrapolation note; one inside them does not', () => {
  assert.doesNotMatch(visibleText(html), /extrapolated:/);
  const wide = modelOnlyBenchmark({ app: 'video', title: 'video', concurrency: 100000, objective: 'both', metric: 'net' });
  const page = renderReportHtml({ ...data, benchmarks: [wide] }, assets, { nonce: NONCE });
  assert.match(visibleText(page), /Note: extrapolated: C=100000 beyond the measured concurrencies/);
});

test('the report offers its recommendation as a Step Functions Map: the added price, the ASL and the SAM resource', () => {
  const m = packedStateMachine({
    functionName: 'video',
    concurrency: bench.concurrency,
    packingDegree: bench.recommended.packingDegree,
    accountConcurrency: 1000,
  });
  const sam = samSnippet(m.definition, { stateMachineName: m.name, bucket: 'propack-runs' });
  const withExport = renderReportHtml(
    { ...data, benchmarks: [{ ...bench, stepFunctions: { stateMachineName: m.name, asl: JSON.stringify(m.definition, null, 2), sam } }] },
    assets,
    { nonce: NONCE },
  );
  const text = visibleText(withExport);
  assert.match(text, /Run it through Step Functions/);
  const n = bench.recommended.predicted.instances;
  assert.match(text, new RegExp(`on ${n} child executions; Step Functions adds \\$`));
  const asl = /<pre class="export">([^<]*)<\/pre>/.exec(withExport)?.[1] ?? '';
  const unescaped = asl
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  assert.deepEqual(parsePackedMapDefinition(unescaped), m.spec, 'the ASL shown is the state machine ProPack runs');
  assert.ok(withExport.includes('AWS::Serverless::StateMachine'));
  assert.ok(!html.includes('Run it through Step Functions'), 'absent when the report data has no export');
});
