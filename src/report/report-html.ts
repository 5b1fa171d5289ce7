/**
 * Renders the self-contained HTML report: one file with chart.js, the page script, the data and the styles
 * inlined, a strict CSP, and every number also in HTML tables (readable without scripts or sight). Pure: the
 * assets (read from dist/ by engine/report-assets.ts) come in as strings.
 */
import { describeSource, measurementCaveat } from '../core/profile';
import { resourceOutlook, type ResourceOutlook } from '../core/resource-outlook';
import type { Prediction } from '../core/types';
import type { ChartSpec } from './chart-spec';
import { buildBenchmarkCharts } from './charts';
import { bestMeasuredLabel, hasOracle, type BenchmarkReport, type MeasuredResults, type ReportData } from './report-data';
import type { MeasuredRun } from '../core/run-record';
import { formatNumber } from './format';
import { stepFunctionsSectionHtml } from './step-functions-section';
import { escapeHtml, jsonForScript, scriptForInline, styleForInline } from './html-escape';
import { jointSectionHtml } from './heatmap';
import { extrapolationNote, formatChange, formatRegret } from './format';
import { headline, predictedChanges } from './summary';

/**
 * What the page inlines: chart.js's UMD build, the bundled page script (`dist/report-page.js`) and the
 * stylesheets (`dist/report-page.css` then `dist/heatmap.css`, the files the editor's panel links too).
 */
export interface ReportAssets {
  chartJs: string;
  pageScript: string;
  styles: string;
}

export interface RenderOptions {
  /** CSP nonce; a fresh random one when absent (tests pass a fixed one). */
  nonce?: string;
  /** Each benchmark's outlook when the caller already computed it (for summary.json too). */
  outlooks?: readonly (ResourceOutlook | string)[];
}

/** What the page script reads from `<script id="report-charts">`. */
export interface ReportChartsPayload {
  charts: ChartSpec[];
}

/** A table cell; numbers keep their exact value in `data-value` for scripts and tests. */
function cell(v: string | number, tag: 'td' | 'th' = 'td', extra = ''): string {
  if (typeof v === 'number') return `<${tag} data-value="${v}"${extra}>${escapeHtml(formatNumber(v))}</${tag}>`;
  return `<${tag} class="text"${extra}>${escapeHtml(v)}</${tag}>`;
}

function table(columns: string[], rows: string[], caption?: string): string {
  const head = columns.map((c, i) => `<th scope="col"${i === 0 ? ' class="text"' : ''}>${escapeHtml(c)}</th>`).join('');
  return (
    `<div class="table-wrap"><table>${caption ? `<caption>${escapeHtml(caption)}</caption>` : ''}` +
    `<thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`
  );
}

function checkCell(run: MeasuredRun): string {
  if (!run.check) return cell('—');
  if (run.check.ok) return `<td class="text ok" title="${run.check.checked} outputs checked">✓ ok</td>`;
  const first = run.check.failures[0] ?? 'failed';
  return `<td class="text fail" title="${escapeHtml(run.check.failures.join('\n'))}">✗ ${escapeHtml(first)}</td>`;
}

/** The retry count, with why the attempts were retried on hover. */
function retriesCell(run: MeasuredRun): string {
  const why = (run.retryCauses ?? []).map((c) => `${c.reason} ×${c.count}`).join('\n');
  return cell(run.retries, 'td', why ? ` title="${escapeHtml(why)}"` : '');
}

const RESULT_COLUMNS = [
  'run',
  'p',
  'service (s)',
  'scaling (s)',
  'p50 (s)',
  'p90 (s)',
  'p95 (s)',
  'cost (USD)',
  'tasks ok',
  'failed',
  'throttles',
  'retries',
  'check',
];

function runRow(name: string, cls: string, r: MeasuredRun): string {
  const nums = [r.packingDegree, r.serviceTime, r.scalingTime, r.p50, r.p90, r.p95, r.cost];
  const tasks = [`${r.tasks.succeeded}/${r.tasks.total}`, r.tasks.failed];
  return (
    `<tr class="${cls}">${cell(name, 'th', ' scope="row"')}${nums.map((n) => cell(n)).join('')}` +
    `${tasks.map((n) => cell(n)).join('')}${cell(r.throttles)}${retriesCell(r)}${checkCell(r)}</tr>`
  );
}

/** The model's numbers for one p: p, service, scaling, p50/p90/p95 (fitted model only), cost. */
function predictionCells(pred: Prediction): string {
  const pc = pred.percentiles;
  return [pred.packingDegree, pred.serviceTime, pred.scalingTime, pc?.p50 ?? '—', pc?.p90 ?? '—', pc?.p95 ?? '—', pred.cost]
    .map((v) => cell(v))
    .join('');
}

/** Measured runs beside the model's prediction at ProPack's p ("measured vs predicted"). */
function resultsTable(b: BenchmarkReport, m: MeasuredResults): string {
  const predictedRow = `<tr class="predicted">${cell('ProPack, model prediction', 'th', ' scope="row"')}${predictionCells(b.recommended.predicted)}${cell('—').repeat(5)}</tr>`;
  const rows = [
    runRow('no packing', 'no-packing', m.noPacking),
    ...(m.pywren ? [runRow('PyWren-style (async, S3)', 'pywren', m.pywren)] : []),
    runRow('ProPack', 'propack', m.propack),
    predictedRow,
    runRow(bestMeasuredLabel(m), 'oracle', m.oracle),
  ];
  return table(
    RESULT_COLUMNS,
    rows,
    `Measured runs at C=${b.concurrency}; service time is the net time from the first dispatch until the last task ended.`,
  );
}

/** A model-only report's table: the model's no-packing and ProPack predictions, nothing measured. */
function predictionsTable(b: BenchmarkReport): string {
  const row = (name: string, cls: string, pred: Prediction): string =>
    `<tr class="predicted ${cls}">${cell(name, 'th', ' scope="row"')}${predictionCells(pred)}${cell(pred.instances)}</tr>`;
  return table(
    ['prediction', 'p', 'service (s)', 'scaling (s)', 'p50 (s)', 'p90 (s)', 'p95 (s)', 'cost (USD)', 'instances'],
    [
      row('no packing, model prediction', 'no-packing', b.recommended.baseline),
      row('ProPack, model prediction', 'propack', b.recommended.predicted),
    ],
    `Predicted by the ${b.model ?? 'fitted'} model at C=${b.concurrency} (no measured runs yet); service time is the ${b.metric} service time.`,
  );
}

function chartFigure(spec: ChartSpec): string {
  const label = `${spec.title}. ${spec.caption}`;
  const rows = spec.table.rows.map((r) => `<tr>${r.map((v, i) => (i === 0 ? cell(v, 'th', ' scope="row"') : cell(v))).join('')}</tr>`);
  return (
    `<figure id="fig-${escapeHtml(spec.id)}">` +
    `<div class="canvas-box"><canvas id="chart-${escapeHtml(spec.id)}" role="img" aria-label="${escapeHtml(label)}">` +
    `${escapeHtml(spec.title)}: see the data table below.</canvas></div>` +
    `<figcaption><strong>${escapeHtml(spec.title)}.</strong> ${escapeHtml(spec.caption)}</figcaption>` +
    `<details><summary>Data table (${escapeHtml(spec.title)})</summary>${table(spec.table.columns, rows)}</details>` +
    `</figure>`
  );
}

function profileLine(b: BenchmarkReport): string {
  const f = b.profile.function;
  const s = b.profile.source;
  const caveat = measurementCaveat(b.profile);
  return (
    `Function ${f.name}: ${f.memoryMb} MB, ${f.architecture}${f.vcpus ? `, ${f.vcpus} vCPUs` : ''}, ${f.region}. ` +
    `Profile from ${describeSource(s)}, ${s.createdAt}${caveat ? ` (${caveat})` : ''}. ` +
    `Objective ${b.objective}, metric ${b.metric}, ${b.model ?? 'fitted'} model.`
  );
}

/** Warnings a reader must not miss: failed tasks or failed output checks (none without runs). */
function warnings(m: MeasuredResults | undefined): string[] {
  if (!m) return [];
  const named: [string, MeasuredRun | undefined][] = [
    ['no packing', m.noPacking],
    ['PyWren-style', m.pywren],
    ['ProPack', m.propack],
    ['oracle', m.oracle],
  ];
  const out: string[] = [];
  for (const [name, r] of named) {
    if (!r) continue;
    if (r.tasks.failed > 0) out.push(`${name}: ${r.tasks.failed} of ${r.tasks.total} tasks failed`);
    if (r.check && !r.check.ok) out.push(`${name}: output check failed`);
  }
  return out;
}

/** The outlook of a benchmark, or why there is none (a profile the joint optimizer cannot evaluate). */
export function outlookOf(b: BenchmarkReport): ResourceOutlook | string {
  try {
    return resourceOutlook(b.profile, { concurrency: b.concurrency, objective: b.objective, metric: b.metric });
  } catch (e) {
    if (e instanceof RangeError) return e.message;
    throw e;
  }
}

/** Memory × p: the joint choice and its trade-off against ProPack's 10,240 MB, and the heatmaps. */
function resourceSection(outlook: ResourceOutlook | string, index: number): string {
  return `<h3>Memory size, architecture and packing degree together</h3>${jointSectionHtml(outlook, `heatmap-${index}`)}`;
}

/** Says plainly that nothing in a model-only section was measured at C, and how to measure it. */
const MODEL_ONLY_NOTE =
  'Model-only report: the function has no measured runs yet, so every result below is a prediction from the profile. ' +
  'Only the profile’s own measurements appear as markers. Run propack run (or ProPack: Run Packed) to measure it.';

/** The recommendation's extrapolation note as a paragraph, or nothing when it was measured. */
function extrapolationParagraph(p: Prediction): string {
  const note = extrapolationNote(p);
  return note ? `<p class="note extrapolated">${escapeHtml(`Note: ${note}.`)}</p>` : '';
}

function benchmarkSection(b: BenchmarkReport, index: number, charts: ChartSpec[], outlook: ResourceOutlook | string): string {
  const warn = warnings(b.measured);
  const headClass = warn.length ? ' warn' : b.measured ? '' : ' predicted';
  return (
    `<section id="bench-${index}" aria-labelledby="bench-${index}-title">` +
    `<h2 id="bench-${index}-title">${escapeHtml(b.title)}</h2>` +
    `<p class="headline${headClass}">${escapeHtml(headline(b))}</p>` +
    (warn.length ? `<p class="fail">${escapeHtml(warn.join('; '))}</p>` : '') +
    (b.measured ? '' : `<p class="note model-only">${escapeHtml(MODEL_ONLY_NOTE)}</p>`) +
    (b.recommended.edge
      ? `<p class="note edge">${escapeHtml(`Note: ${b.recommended.edge.message} (propack profile … --degrees ${b.recommended.edge.suggestedDegrees.join(',')}).`)}</p>`
      : '') +
    extrapolationParagraph(b.recommended.predicted) +
    `<p class="meta">${escapeHtml(profileLine(b))}</p>` +
    (b.measured ? `<h3>Results</h3>${resultsTable(b, b.measured)}` : `<h3>Predictions</h3>${predictionsTable(b)}`) +
    `<h3>Charts</h3><div class="charts">${charts.map(chartFigure).join('')}</div>` +
    resourceSection(outlook, index) +
    (b.stepFunctions ? stepFunctionsSectionHtml(b.recommended.predicted, b.stepFunctions) : '') +
    `</section>`
  );
}

/** One row per benchmark: the whole job at a glance, linked to its section. */
function overviewTable(data: ReportData): string {
  const rows = data.benchmarks.map((b, i) => {
    const m = b.measured;
    const predicted = predictedChanges(b);
    // A model-only row says so in every cell that would otherwise read as measured.
    const changes = m
      ? [
          formatChange(m.noPacking.serviceTime, m.propack.serviceTime),
          formatChange(m.noPacking.cost, m.propack.cost),
          ...(hasOracle(m) ? [m.oracle.packingDegree, formatRegret(m.regret)] : ['— (too few p run)', '—']),
        ]
      : [`${predicted.time} (predicted)`, `${predicted.cost} (predicted)`, '—', '—'];
    return (
      `<tr><th scope="row" class="text"><a href="#bench-${i}">${escapeHtml(b.title)}</a></th>${cell(b.concurrency)}${cell(b.objective)}` +
      `${cell(m ? m.propack.packingDegree : b.recommended.packingDegree)}${changes.map((c) => cell(c)).join('')}</tr>`
    );
  });
  return table(
    ['benchmark', 'C', 'objective', 'ProPack p', 'service time vs no packing', 'cost vs no packing', 'oracle p', 'regret'],
    rows,
    'Overview',
  );
}

/** 16 random bytes in base64: Web Crypto, present in Node 20 and in browsers, keeps this module free of node:*. */
function freshNonce(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** Renders the whole report as one HTML document that works offline from file:// (no external URLs). */
export function renderReportHtml(data: ReportData, assets: ReportAssets, options: RenderOptions = {}): string {
  const nonce = options.nonce ?? freshNonce();
  const outlooks = options.outlooks ?? data.benchmarks.map(outlookOf);
  const chartsByBenchmark = data.benchmarks.map((b, i) => {
    const o = outlooks[i];
    return buildBenchmarkCharts(b, `b${i}`, typeof o === 'string' ? undefined : o.whatIf);
  });
  const payload: ReportChartsPayload = { charts: chartsByBenchmark.flat() };
  const csp = `default-src 'none'; img-src data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'`;
  const n = `nonce="${escapeHtml(nonce)}"`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<title>${escapeHtml(data.title)}</title>`,
    `<style ${n}>${styleForInline(assets.styles)}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${escapeHtml(data.title)}</h1>`,
    `<p class="meta">Generated ${escapeHtml(data.generatedAt)} on ${escapeHtml(data.platform)}. Times in seconds, costs in US dollars.</p>`,
    '</header>',
    '<main>',
    data.benchmarks.length > 1 ? overviewTable(data) : '',
    ...data.benchmarks.map((b, i) => benchmarkSection(b, i, chartsByBenchmark[i], outlooks[i])),
    '</main>',
    '<footer>ProPack report. Charts drawn with Chart.js (MIT licence), bundled in this file.</footer>',
    `<script type="application/json" id="report-data" ${n}>${jsonForScript(data)}</script>`,
    `<script type="application/json" id="report-charts" ${n}>${jsonForScript(payload)}</script>`,
    `<script ${n}>${scriptForInline(assets.chartJs, 'chart.js')}</script>`,
    `<script ${n}>${scriptForInline(assets.pageScript, 'the report page script')}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
