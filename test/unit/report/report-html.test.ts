import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadReportAssets } from '../../../src/engine/report-assets';
import type { ReportData } from '../../../src/report/report-data';
import { formatNumber } from '../../../src/report/format';
import { outlookOf, renderReportHtml, type ReportAssets, type ReportChartsPayload } from '../../../src/report/report-html';
import { jsonForScript, scriptForInline } from '../../../src/report/html-escape';
import { formatChange } from '../../../src/report/format';
import { buildSummary, headline } from '../../../src/report/summary';
import { writeReport } from '../../../src/engine/report-write';
import { REPO_ROOT } from '../../support/fixtures';
import { sampleReportData } from './report-fixture';
import { assertSelfContained, assertStrictCsp, embedded, reportStyles } from './report-page-checks';

const NONCE = 'dGVzdC1ub25jZQ==';
const chartJs = readFileSync(join(REPO_ROOT, 'node_modules', 'chart.js', 'dist', 'chart.umd.js'), 'utf8');
const assets: ReportAssets = {
  chartJs,
  pageScript: 'window.reportPage = true;\n//# sourceMappingURL=report-page.js.map\n',
  styles: reportStyles(),
};
const data = sampleReportData();
const html = renderReportHtml(data, assets, { nonce: NONCE });

test('the page references nothing outside itself', () => {
  assertSelfContained(html, chartJs);
});

test('a strict CSP with a nonce that every script and style carries', () => {
  assertStrictCsp(html, NONCE);
  // A fresh random nonce per render when none is given.
  const a = renderReportHtml(data, assets);
  const b = renderReportHtml(data, assets);
  assert.notEqual(/nonce="([^"]+)"/.exec(a)?.[1], /nonce="([^"]+)"/.exec(b)?.[1]);
});

test('the embedded data parses back to the input, and every chart has a canvas, caption and table', () => {
  assert.deepEqual(JSON.parse(embedded(html, 'report-data')), JSON.parse(JSON.stringify(data)));
  const { charts } = JSON.parse(embedded(html, 'report-charts')) as ReportChartsPayload;
  assert.equal(charts.length, 6 * data.benchmarks.length);
  assert.equal(new Set(charts.map((c) => c.id)).size, charts.length);
  for (const c of charts) {
    assert.ok(html.includes(`<canvas id="chart-${c.id}" role="img"`), c.id);
    assert.ok(
      c.series.every((s) => s.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y))),
      `${c.id} has a non-finite point`,
    );
    assert.ok(c.table.rows.length > 0 && c.table.rows.every((r) => r.length === c.table.columns.length), c.id);
  }
  assert.equal((html.match(/<figcaption>/g) ?? []).length, charts.length);
  assert.equal((html.match(/<details>/g) ?? []).length, charts.length);
  assert.ok(chartJs.includes('sourceMappingURL') && !html.includes('sourceMappingURL'));
});

test('a title with </script> and <!-- cannot break out of the page', () => {
  const evil = 'evil </script><script>alert(1)</script> <!-- & "quotes"';
  const d: ReportData = { ...data, title: evil, benchmarks: [{ ...data.benchmarks[1], title: evil }] };
  const page = renderReportHtml(d, assets, { nonce: NONCE });
  assert.equal((page.match(/<script\b/g) ?? []).length, 4);
  assert.ok(!page.includes('<script>alert(1)'));
  assert.ok(
    page.includes('<h2 id="bench-0-title">evil &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &lt;!-- &amp; &quot;quotes&quot;</h2>'),
  );
  assert.equal(JSON.parse(embedded(page, 'report-data')).benchmarks[0].title, evil);
  assert.equal(JSON.parse(jsonForScript({ s: '\u2028</script>' })).s, '\u2028</script>');
  assert.throws(() => scriptForInline('var s = "</script>";', 'x.js'), /x\.js contains/);
});

test('the results tables show the measured and predicted numbers, and the headline says what changed', () => {
  for (const b of data.benchmarks) {
    const runs = [b.measured.noPacking, b.measured.propack, b.measured.oracle, ...(b.measured.pywren ? [b.measured.pywren] : [])];
    for (const r of runs) {
      for (const v of [r.serviceTime, r.p50, r.p90, r.p95, r.cost]) {
        assert.ok(html.includes(`<td data-value="${v}">${formatNumber(v)}</td>`), `${b.benchmark} p=${r.packingDegree}: ${v}`);
      }
      assert.ok(html.includes(`${r.tasks.succeeded}/${r.tasks.total}`));
    }
    assert.ok(html.includes(`data-value="${b.recommended.predicted.serviceTime}"`));
    assert.ok(html.includes(`data-value="${b.recommended.predicted.cost}"`));
    assert.ok(html.includes(headline(b)));
    assert.match(
      headline(b),
      new RegExp(
        `^ProPack chose p=${b.measured.propack.packingDegree} at C=${b.concurrency}: [−+±]\\d+% service time, [−+±]\\d+% cost vs no packing; oracle p=\\d+, regret \\d`,
      ),
    );
  }
  assert.ok(html.includes('PyWren-style (async, S3)'));
  assert.equal(formatChange(100, 37), '−63%');
  assert.equal(formatChange(100, 104), '+4%');
  assert.equal(formatChange(0, 1), 'n/a');
  assert.equal(formatNumber(0.000123456), '0.0001235');
  assert.equal(formatNumber(NaN), '—');
});

test('writeReport writes report.html and a summary.json that follows the contract', () => {
  const dir = mkdtempSync(join(tmpdir(), 'propack-report-'));
  const out = writeReport(dir, data, assets);
  assert.deepEqual(readdirSync(dir).sort(), ['report.html', 'summary.json']);
  assert.ok(readFileSync(out.html, 'utf8').startsWith('<!DOCTYPE html>'));
  const summary = JSON.parse(readFileSync(out.summary, 'utf8'));
  assert.deepEqual(summary, JSON.parse(JSON.stringify(buildSummary(data, data.benchmarks.map(outlookOf)))));
  assert.deepEqual(Object.keys(summary), ['generatedAt', 'platform', 'benchmarks']);
  const runKeys = ['packingDegree', 'serviceTime', 'cost', 'p50', 'p90', 'p95', 'tasks', 'throttles', 'retries'];
  summary.benchmarks.forEach((s: Record<string, unknown>, i: number) => {
    const b = data.benchmarks[i];
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
    assert.equal(s.measured, true);
    for (const name of ['noPacking', 'pywren', 'propack', 'oracle'] as const) {
      const run = s[name] as Record<string, unknown> | null;
      if (name === 'pywren' && !b.measured.pywren) {
        assert.equal(run, null);
        continue;
      }
      assert.ok(run);
      assert.deepEqual(Object.keys(run), runKeys);
      assert.deepEqual(Object.keys(run.tasks as object), ['total', 'succeeded', 'failed']);
    }
    assert.equal((s.propack as { packingDegree: number }).packingDegree, b.measured.propack.packingDegree);
    const { predicted, baseline } = b.recommended;
    assert.deepEqual(s.predicted, {
      packingDegree: predicted.packingDegree,
      serviceTime: predicted.serviceTime,
      cost: predicted.cost,
      noPacking: { serviceTime: baseline.serviceTime, cost: baseline.cost },
    });
    assert.equal(s.regret, b.measured.regret);
  });
  assert.ok(!readFileSync(out.summary, 'utf8').includes('completionTimes'));
});

test('missing build assets are named in one line that says how to fix it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'propack-noassets-'));
  assert.throws(
    () => loadReportAssets(dir),
    (e: unknown) => e instanceof Error && /chart\.umd\.js is missing: run npm run build$/.test(e.message) && !e.message.includes('\n'),
  );
});

const dist = join(REPO_ROOT, 'dist');
// npm test builds before the unit part, so dist/ is there; a missing bundle is a failure, not a skip.
test('the built assets: chart.js copied verbatim (licence kept), the page script without a second chart.js', () => {
  assert.ok(existsSync(join(dist, 'report-page.js')), 'dist/report-page.js is missing: run npm run build first');
  const built = loadReportAssets(dist);
  assert.equal(built.chartJs, chartJs);
  assert.match(built.chartJs, /^\/\*!\n \* Chart\.js v4/);
  assert.ok(
    built.pageScript.length < 30_000,
    `report-page.js is ${built.pageScript.length} bytes: chart.js must come from the inlined UMD global`,
  );
  assert.doesNotMatch(built.pageScript, /Chart\.js v\d/);
  // The stylesheets are copied as written (not transpiled, not evaluated), so the page inlines the source files.
  assert.equal(built.styles, reportStyles());
  assert.doesNotMatch(renderReportHtml(data, built), /sourceMappingURL/);
});

test('a run that failed or measured nothing still renders, with the failure shown and no unplottable points', () => {
  const b = data.benchmarks[1];
  const m = b.measured;
  const empty = {
    ...m.propack,
    serviceTime: NaN,
    p50: NaN,
    p90: NaN,
    p95: NaN,
    completionTimes: [],
    tasks: { total: 1000, succeeded: 0, failed: 1000 },
  };
  const broken = {
    ...b,
    measured: {
      ...m,
      grid: [],
      propack: empty,
      oracle: { ...m.oracle, check: { ok: false, checked: 10, failures: ['record 3 out of order'] } },
    },
  };
  const page = renderReportHtml({ ...data, benchmarks: [broken] }, assets, { nonce: NONCE });
  assert.ok(page.includes('<p class="headline warn">'));
  assert.ok(page.includes('ProPack: 1000 of 1000 tasks failed; oracle: output check failed'));
  assert.ok(page.includes('✗ record 3 out of order'));
  const { charts } = JSON.parse(embedded(page, 'report-charts')) as ReportChartsPayload;
  for (const c of charts)
    for (const s of c.series) for (const p of s.points) assert.ok(typeof p.x === 'number' && typeof p.y === 'number', c.id);
});

test('each benchmark shows the joint choice, a memory × p heatmap with its marks, and the what-if chart', () => {
  data.benchmarks.forEach((b, i) => {
    const o = outlookOf(b);
    assert.ok(typeof o !== 'string', `${b.benchmark}: ${String(o)}`);
    const section = html.slice(
      html.indexOf(`<section id="bench-${i}"`),
      html.indexOf('</section>', html.indexOf(`<section id="bench-${i}"`)),
    );
    assert.ok(section.includes(`<p class="tradeoff">${o.joint.tradeOff.text}</p>`), b.benchmark);
    assert.match(
      o.joint.tradeOff.text,
      /^[\d,]+ MB (x86_64|arm64), p=\d+: (.+ than 10,000 MB x86_64, p=\d+( in the same time| at the same cost)?|same cost and time as 10,000 MB x86_64, p=\d+)$/,
    );
    for (const h of o.heatmaps) {
      const table = section.slice(
        section.indexOf(`data-architecture="${h.architecture}"`),
        section.indexOf('</table>', section.indexOf(`data-architecture="${h.architecture}"`)),
      );
      // One row per memory size, one coloured or empty cell per packing degree.
      assert.equal((table.match(/<tr>/g) ?? []).length, h.rows.length + 1);
      assert.equal((table.match(/<td class="heat/g) ?? []).length, h.rows.length * h.degrees.length);
      const choice = o.joint.choice;
      if (choice.architecture === h.architecture) {
        assert.match(
          table,
          new RegExp(
            `class="heat heat-\\d[^"]*mark-(choice|both)" data-value="[^"]+" data-p="${choice.packingDegree}" data-memory="${choice.memoryMb}"`,
          ),
        );
      }
      // Every measured configuration is marked as such, and only those.
      const measuredCells = h.rows.flatMap((r) => r.cells.filter((c) => c.measured && c.value !== null)).length;
      assert.equal((table.match(/class="heat heat-\d measured/g) ?? []).length, measuredCells);
    }
  });
  const { charts } = JSON.parse(embedded(html, 'report-charts')) as ReportChartsPayload;
  const whatIf = charts.filter((c) => c.id.endsWith('-whatif'));
  assert.equal(whatIf.length, data.benchmarks.length);
  for (const c of whatIf) {
    assert.equal(c.table.rows.at(-1)?.[0], 100000);
    assert.ok(c.x.log && c.y.log);
    assert.ok(
      c.series.some((s) => s.style === 'points' && s.points.length > 0),
      `${c.id}: measured points beside the simulation`,
    );
  }
});

test('a grid of fewer than three measured degrees has no oracle: named "best measured", no regret', () => {
  const b = data.benchmarks[0];
  assert.ok(b.measured);
  const two = { ...b.measured, grid: [b.measured.noPacking, b.measured.propack], oracle: b.measured.propack, regret: 0 };
  const d: ReportData = { ...data, benchmarks: [{ ...b, measured: two }] };
  const p = b.measured.propack.packingDegree;
  assert.match(headline(d.benchmarks[0]), new RegExp(`; no oracle \\(only p=1, ${p} measured\\)$`));
  const page = renderReportHtml(d, assets, { nonce: NONCE });
  assert.ok(page.includes(`best measured (only p=1, ${p} run; not an oracle)`));
  assert.ok(!page.includes('oracle (best measured)'));
  const s = buildSummary(d).benchmarks[0];
  assert.equal(s.regret, null);
  assert.deepEqual(s.measuredDegrees, [1, p]);
  // The sample's full grid keeps its oracle.
  assert.match(headline(b), /; oracle p=\d+, regret /);
  assert.ok(buildSummary(data).benchmarks[0].measuredDegrees.length >= 3);
});

test('a recommendation at the largest profiled degree is noted in the page and in summary.json', () => {
  const b = data.benchmarks[0];
  const edge = {
    side: 'largest' as const,
    degree: 16,
    measured: [1, 4, 16],
    suggestedDegrees: [1, 4, 16, 32, 64],
    message: 'p=16 is the largest packing degree profiled (1, 4, 16): the best p may be higher; profile degrees up to 64 to find out',
  };
  const d: ReportData = { ...data, benchmarks: [{ ...b, recommended: { ...b.recommended, edge } }] };
  const page = renderReportHtml(d, assets, { nonce: NONCE });
  assert.ok(
    page.includes(
      '<p class="note edge">Note: p=16 is the largest packing degree profiled (1, 4, 16): the best p may be higher; profile degrees up to 64 to find out (propack profile … --degrees 1,4,16,32,64).</p>',
    ),
  );
  assert.deepEqual(buildSummary(d).benchmarks[0].edge, { side: 'largest', message: edge.message, suggestedDegrees: edge.suggestedDegrees });
});
