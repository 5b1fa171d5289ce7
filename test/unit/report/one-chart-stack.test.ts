// The HTML report and the editor's panel draw the same chart specs: for the same profile and question, every
// chart they share is the same spec (the panel's ids carry no benchmark prefix), at the one curve resolution.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseProfile } from '../../../src/core/profile';
import type { RunRecord } from '../../../src/core/run-record';
import { reportInputs } from '../../../src/engine/report-inputs';
import { buildReportView } from '../../../src/extension/report/report-view';
import type { ChartSpec } from '../../../src/report/chart-spec';
import { CURVE_POINTS } from '../../../src/report/charts';
import { renderReportHtml, type ReportChartsPayload } from '../../../src/report/report-html';
import { shippedProfile } from '../../support/fixtures';
import { embedded, reportStyles } from './report-page-checks';

const profile = parseProfile(readFileSync(shippedProfile('video'), 'utf8'), 'video.json');
const assets = { chartJs: '', pageScript: '', styles: reportStyles() };

/** The charts the HTML report embeds for its only benchmark, ids without the `b0-` prefix. */
function htmlCharts(question: Parameters<typeof reportInputs>[2], runs: RunRecord[] = []): ChartSpec[] {
  const page = renderReportHtml(reportInputs(profile, runs, question, 'now').data, assets, { nonce: 'bm9uY2U=' });
  const { charts } = JSON.parse(embedded(page, 'report-charts')) as ReportChartsPayload;
  return charts.map((c) => ({ ...c, id: c.id.replace(/^b0-/, '') }));
}

/** The panel's charts as the page receives them (a message is JSON: NaN and undefined go the same way). */
function panelCharts(input: Parameters<typeof buildReportView>[2]): ChartSpec[] {
  return JSON.parse(JSON.stringify(buildReportView(profile, '.propack/profiles/video.json', input).charts)) as ChartSpec[];
}

describe('one chart stack', () => {
  for (const input of [
    { concurrency: 2000, objective: 'both', metric: 'net' },
    { concurrency: 300, objective: 'cost', metric: 'tail', model: 'classic' },
  ] as const) {
    it(`draws the HTML report's charts in the panel as the same specs (C=${input.concurrency}, ${input.objective}, ${input.metric})`, () => {
      const html = htmlCharts(input);
      const panel = panelCharts(input);
      assert.deepEqual(
        html.map((c) => c.id),
        ['scaling', 'packing', 'service', 'cost', 'whatif'],
        'a model-only report: no CDF',
      );
      for (const spec of html)
        assert.deepEqual(
          panel.find((c) => c.id === spec.id),
          spec,
          spec.id,
        );
      assert.deepEqual(
        panel.map((c) => c.id),
        ['scaling', 'packing', 'service', 'cost', 'pareto', 'cdf', 'whatif'],
        'the panel adds the Pareto front and its saved runs',
      );
    });
  }

  it('offers the same Step Functions export in the HTML report and the panel', () => {
    const input = { concurrency: 2000, objective: 'both', metric: 'net' } as const;
    const fromReport = reportInputs(profile, [], input, 'now').data.benchmarks[0].stepFunctions;
    const view = buildReportView(profile, '.propack/profiles/video.json', input);
    assert.ok(fromReport && view.stepFunctions);
    assert.deepEqual(view.stepFunctions, fromReport);
    assert.match(view.stepFunctions.stateMachineName, new RegExp(`-p${view.recommended.packingDegree}-c\\d+$`));
  });

  it('draws every model curve at the one resolution', () => {
    for (const charts of [
      htmlCharts({ concurrency: 2000, objective: 'both', metric: 'net' }),
      panelCharts({ concurrency: 2000, objective: 'both', metric: 'net' }),
    ]) {
      const curve = charts.find((c) => c.id === 'scaling')?.series.find((s) => s.role === 'model');
      assert.equal(curve?.points.length, CURVE_POINTS + 1);
    }
  });

  it('gives each model point of the service and cost charts its gain over no packing as a hover note', () => {
    const service = panelCharts({ concurrency: 2000, objective: 'time', metric: 'net' }).find((c) => c.id === 'service');
    const line = service?.series.find((s) => s.role === 'model');
    assert.ok(line?.notes);
    assert.equal(line.notes.length, line.points.length);
    assert.ok(
      line.notes.every((n) => /than no packing|as no packing/.test(n)),
      line.notes.join('; '),
    );
  });

  it("marks ProPack's choice in the panel's Pareto chart and lists every candidate in its table", () => {
    const view = buildReportView(profile, 'k', { concurrency: 2000, objective: 'both', metric: 'net' });
    const pareto = view.charts.find((c) => c.id === 'pareto');
    assert.ok(pareto);
    assert.deepEqual(pareto.series.find((s) => s.role === 'propack')?.points, [
      { x: view.recommended.serviceTime, y: view.recommended.cost },
    ]);
    assert.equal(pareto.table.rows.length, view.candidates.length);
    assert.equal(pareto.series.find((s) => s.role === 'model')?.points.length, view.pareto.length);
  });

  it('draws one CDF per saved run in the panel, coloured by what the run was', () => {
    const runs = [
      { label: 'no-packing', packingDegree: 1, concurrency: 8, completionTimes: [1, 2] },
      { label: 'propack', packingDegree: 4, concurrency: 8, completionTimes: [0.5, 1] },
      { label: 'grid', packingDegree: 2, concurrency: 8, completionTimes: [0.7, 1.5] },
    ];
    const cdf = buildReportView(profile, 'k', { concurrency: 8, objective: 'both', metric: 'net' }, runs).charts.find(
      (c) => c.id === 'cdf',
    );
    assert.deepEqual(
      cdf?.series.map((s) => [s.label, s.role]),
      [
        ['no-packing (p = 1, C = 8)', 'noPacking'],
        ['propack (p = 4, C = 8)', 'propack'],
        ['grid (p = 2, C = 8)', 'measured'],
      ],
    );
    assert.deepEqual(cdf?.series[1].points, [
      { x: 0.5, y: 0.5 },
      { x: 1, y: 1 },
    ]);
    assert.equal(
      buildReportView(profile, 'k', { concurrency: 8, objective: 'both', metric: 'net' }).charts.find((c) => c.id === 'cdf')?.series.length,
      0,
    );
  });
});
