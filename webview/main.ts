// The report page: announces `ready`, draws the host's state, asks the host again when the question changes.
// The host computes every view (src/extension/report/report-view.ts); this page only draws it, with the
// chart code the HTML report uses (chart-draw.ts).
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';
import { concurrencyError, type HostMessage, type MissingProfile, type ReportInput, type ReportView } from '../src/extension/protocol';
import type { ChartSpec } from '../src/report/chart-spec';
import { formatNumber, formatSeconds, formatUsd, savingsText } from '../src/report/format';
import { jointSectionHtml } from '../src/report/heatmap';
import { stepFunctionsSectionHtml } from '../src/report/step-functions-section';
import { ChartSet, readChartTheme, type ThemeVariables } from './chart-draw';
import { request, settleResponse } from './rpc';
import { vscodeApi } from './vscode-api';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);

/** The editor theme's names for the page's colours (media/report.css maps the series roles onto --vscode-charts-*). */
const THEME: ThemeVariables = {
  fg: '--vscode-foreground',
  muted: '--vscode-descriptionForeground',
  grid: '--vscode-editorWidget-border',
  border: '--vscode-editorWidget-border',
  font: '--vscode-font-family',
};

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`report page: #${id} missing`);
  return el as T;
}

const concurrencyInput = byId<HTMLInputElement>('concurrency');
const metricSelect = byId<HTMLSelectElement>('metric');
const objectiveButtons = Array.from(document.querySelectorAll<HTMLButtonElement>('#objective button'));
const errorLine = byId<HTMLParagraphElement>('error');
const costWeight = byId<HTMLInputElement>('cost-weight');
const maxTime = byId<HTMLInputElement>('max-time');
const maxCost = byId<HTMLInputElement>('max-cost');
let charts: ChartSet | undefined;
let current: ReportView | undefined;
/** Counts the questions sent to the host; only the answer to the latest one is drawn. */
let asked = 0;

function showError(message: string | undefined): void {
  errorLine.hidden = !message;
  errorLine.textContent = message ?? '';
}

/** Draws the view's charts in the page's canvases, coloured by the current theme (the set is made on the first view). */
function drawCharts(view: ReportView): void {
  if (!charts) {
    const theme = readChartTheme(THEME);
    // Records which text colour the charts were drawn with, so a theme change can be checked from outside.
    document.body.dataset.chartForeground = theme.fg;
    charts = new ChartSet(Chart, theme, (spec, e) => showError(`chart ${spec.title}: ${e.message}`));
  }
  for (const spec of view.charts) {
    const title = document.getElementById(`caption-${spec.id}`);
    if (title) title.textContent = spec.title;
    document.getElementById(`chart-${spec.id}`)?.setAttribute('aria-label', `${spec.title}. ${spec.caption}`);
  }
  charts.draw(view.charts);
}

/** Table rows built with textContent: `header` cells are th (scope col in the head, row in the body's first column). */
function tableRow(cells: readonly string[], header: 'col' | 'row'): HTMLTableRowElement {
  const row = document.createElement('tr');
  cells.forEach((text, i) => {
    const th = header === 'col' || i === 0;
    const cell = document.createElement(th ? 'th' : 'td');
    if (th) cell.setAttribute('scope', header);
    cell.textContent = text;
    row.append(cell);
  });
  return row;
}

/** The table a screen reader (or anyone) can read instead of the charts: one row per candidate p. */
function renderTable(view: ReportView): void {
  const body = document.querySelector<HTMLTableSectionElement>('#data-table tbody');
  if (!body) return;
  byId('data-caption').textContent =
    `Predicted service time and cost per packing degree at C = ${view.input.concurrency} (recommended p = ${view.recommended.packingDegree})`;
  body.replaceChildren(
    ...view.candidates.map((c) => {
      const row = tableRow(
        [
          String(c.packingDegree),
          c.serviceTime.toFixed(2),
          c.scalingTime.toFixed(2),
          c.cost.toFixed(4),
          String(c.instances),
          savingsText(c, view.baseline),
        ],
        'row',
      );
      if (c.packingDegree === view.recommended.packingDegree) row.className = 'recommended';
      return row;
    }),
  );
  byId('cdf-note').textContent = view.runs.length ? '' : '(no runs yet: ProPack: Run Packed saves a packed and an unpacked run)';
}

/** The what-if caption and its data table, from the what-if chart's spec. */
function renderWhatIf(view: ReportView): void {
  const spec: ChartSpec | undefined = view.charts.find((c) => c.id === 'whatif');
  if (!spec) return;
  byId('whatif-caption').textContent = `${spec.caption} The dashed line is your C = ${view.input.concurrency}.`;
  byId('whatif-table-caption').textContent =
    `Simulated service time and cost per concurrency (${view.input.objective}, ${view.input.metric}; scaling rule ${view.whatIf.rule.name})`;
  document.querySelector('#whatif-table thead')?.replaceChildren(tableRow(spec.table.columns, 'col'));
  document.querySelector('#whatif-table tbody')?.replaceChildren(
    ...spec.table.rows.map((r) =>
      tableRow(
        r.map((v) => (typeof v === 'number' ? formatNumber(v) : v)),
        'row',
      ),
    ),
  );
}

/** Memory × p: the joint choice, its trade-off and the heatmaps, or why there are none. */
function renderOutlook(view: ReportView): void {
  // Every text in it is escaped by the report room's builders, which is what makes innerHTML safe here.
  byId('outlook-body').innerHTML = jointSectionHtml(view.outlook.ok ? view.outlook : view.outlook.reason, 'heatmap');
}

/** Tells the host what the page drew, so the panel knows its page and not only the data it sent. */
function reportRendered(view: ReportView): void {
  vscodeApi.postMessage({
    kind: 'rendered',
    report: {
      profileKey: view.profileKey,
      concurrency: view.input.concurrency,
      objective: view.input.objective,
      metric: view.input.metric,
      charts: charts?.drawnCanvases() ?? [],
      heatmapTables: document.querySelectorAll('#outlook-body table.heatmap').length,
      choiceCells: document.querySelectorAll('#outlook-body td.mark-choice, #outlook-body td.mark-both').length,
      ...(view.outlook.ok ? {} : { outlookError: view.outlook.reason }),
      whatIfRows: document.querySelectorAll('#whatif-table tbody tr').length,
      ...(byId('edge').hidden ? {} : { edgeNote: byId('edge').textContent ?? '' }),
    },
  });
}

/** Shows either the report or the missing-profile notice (the host decides which). */
function showMissing(missing: MissingProfile | undefined): void {
  byId('missing').hidden = !missing;
  byId('report-body').hidden = Boolean(missing);
  document.body.dataset.state = missing ? 'missing' : 'report';
  if (!missing) return;
  byId('title').textContent = `ProPack — ${missing.functionName}`;
  byId('source').textContent = '';
  byId('missing-name').textContent = missing.functionName;
  byId('missing-detail').textContent = `(${missing.file}, export ${missing.exportName})`;
  document.body.dataset.function = missing.functionName;
}

function render(view: ReportView): void {
  current = view;
  showMissing(undefined);
  document.body.dataset.function = view.functionName;
  const { recommended: r, baseline: b, input } = view;
  byId('title').textContent = `ProPack report — ${view.functionName}`;
  byId('source').textContent = `${view.profileKey} · ${view.sourceDetail}`;
  byId('recommended-p').textContent = String(r.packingDegree);
  byId('recommended-detail').textContent =
    `at C = ${input.concurrency} (${input.objective}, ${input.metric}, ${input.model ?? 'default'} model): ` +
    `${formatSeconds(r.serviceTime)} and ${formatUsd(r.cost)} on ${r.instances} instances; without packing ${formatSeconds(b.serviceTime)} and ${formatUsd(b.cost)}.`;
  if (document.activeElement !== concurrencyInput) concurrencyInput.value = String(input.concurrency);
  metricSelect.value = input.metric;
  const weights = input.weights ?? { cost: 0.55, time: 0.45 };
  costWeight.value = String(weights.cost);
  byId('cost-weight-value').textContent = `${weights.cost.toFixed(2)} / time ${weights.time.toFixed(2)}`;
  if (document.activeElement !== maxTime) maxTime.value = input.constraints?.maxServiceTimeS?.toString() ?? '';
  if (document.activeElement !== maxCost) maxCost.value = input.constraints?.maxCostUsd?.toString() ?? '';
  byId('relaxed').hidden = !view.constraintsRelaxed;
  const notes = byId('notes');
  notes.replaceChildren(
    ...view.notes.map((n) => {
      const li = document.createElement('li');
      li.textContent = n;
      return li;
    }),
  );
  notes.hidden = view.notes.length === 0;
  byId('edge').hidden = !view.edge;
  byId('edge-text').textContent = view.edge ? `${view.edge.message}.` : '';
  byId('profile-more').textContent = view.edge ? `Profile p = ${view.edge.suggestedDegrees.join(', ')}` : '';
  for (const b of objectiveButtons) b.setAttribute('aria-pressed', String(b.dataset.objective === input.objective));
  document.body.dataset.objective = input.objective;
  renderTable(view);
  renderWhatIf(view);
  renderOutlook(view);
  // Escaped by the report room's builder, as the outlook is.
  byId('stepfunctions-body').innerHTML = view.stepFunctions ? stepFunctionsSectionHtml(view.recommended, view.stepFunctions) : '';
  drawCharts(view);
  vscodeApi.setState({ profileKey: view.profileKey, input: view.input });
  showError(undefined);
  reportRendered(view);
}

/** Asks the host to answer the changed question and draws its answer, unless a later question was asked meanwhile. */
async function reoptimize(change: Partial<ReportInput>): Promise<void> {
  if (!current) return;
  const input: ReportInput = { ...current.input, ...change };
  const mine = ++asked;
  document.body.classList.add('busy');
  try {
    const answer = await request('optimize', input);
    if (mine === asked) render(answer);
  } catch (e) {
    if (mine === asked) showError(e instanceof Error ? e.message : String(e));
  } finally {
    if (mine === asked) document.body.classList.remove('busy');
  }
}

/** A positive number typed in a bound field, or undefined when empty (no bound). */
function boundOf(field: HTMLInputElement): number | undefined {
  const n = Number(field.value);
  return field.value.trim() && Number.isFinite(n) && n > 0 ? n : undefined;
}

function constraintsChange(): Partial<ReportInput> {
  const maxServiceTimeS = boundOf(maxTime);
  const maxCostUsd = boundOf(maxCost);
  return { constraints: { ...(maxServiceTimeS ? { maxServiceTimeS } : {}), ...(maxCostUsd ? { maxCostUsd } : {}) } };
}

for (const b of objectiveButtons)
  b.addEventListener('click', () => void reoptimize({ objective: b.dataset.objective as ReportInput['objective'] }));
metricSelect.addEventListener('change', () => void reoptimize({ metric: metricSelect.value as ReportInput['metric'] }));
concurrencyInput.addEventListener('change', () => {
  const problem = concurrencyError(concurrencyInput.value);
  if (problem) showError(problem);
  else void reoptimize({ concurrency: Number(concurrencyInput.value.trim()) });
});

costWeight.addEventListener('input', () => {
  const cost = Number(costWeight.value);
  void reoptimize({ weights: { cost, time: Math.round((1 - cost) * 100) / 100 } });
});
maxTime.addEventListener('change', () => void reoptimize(constraintsChange()));
maxCost.addEventListener('change', () => void reoptimize(constraintsChange()));
byId('profile-function').addEventListener('click', () => vscodeApi.postMessage({ kind: 'profileFunction' }));
byId('profile-more').addEventListener('click', () => vscodeApi.postMessage({ kind: 'profileMore' }));

// VS Code swaps the body's theme class (vscode-light, vscode-dark, ...) when the user changes theme.
new MutationObserver(() => {
  if (!charts) return;
  const theme = readChartTheme(THEME);
  document.body.dataset.chartForeground = theme.fg;
  charts.redraw(theme);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (settleResponse(message)) return;
  if (message.kind === 'state') render(message.view);
  else if (message.kind === 'missing') showMissing(message.missing);
  else if (message.kind === 'error') showError(message.message);
});

// Ask for the state only now that the listener is in place, so no message is lost.
vscodeApi.postMessage({ kind: 'ready' });
