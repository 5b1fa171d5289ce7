// The report's charts (chart.js, bundled). Each is created once and updated in place.
import { Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, ScatterController, Tooltip, type ChartConfiguration, type ChartDataset, type ScaleOptions } from 'chart.js';
import { savingsText, type ReportView, type XY } from '../src/extension/protocol';
import type { ChartTheme } from './theme';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);

type XYDataset = ChartDataset<'line' | 'scatter', XY[]>;

function axis(theme: ChartTheme, title: string, extra: Partial<ScaleOptions<'linear'>> = {}): ScaleOptions<'linear'> {
  return {
    type: 'linear',
    title: { display: true, text: title, color: theme.muted },
    ticks: { color: theme.muted },
    grid: { color: theme.grid },
    border: { color: theme.grid },
    ...extra,
  } as ScaleOptions<'linear'>;
}

/** Whether a log-axis tick is 1, 2 or 5 times a power of ten: the only ones labelled, so labels do not collide. */
function oneTwoFive(v: number): boolean {
  if (!(v > 0)) return false;
  const mantissa = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
  return [1, 2, 5].some((k) => Math.abs(mantissa - k) < 1e-6);
}

/** A logarithmic axis, for the what-if chart's C = 1 … 100,000 and its service times spanning decades. */
function logAxis(theme: ChartTheme, title: string): ScaleOptions<'logarithmic'> {
  const ticks = { color: theme.muted, callback: (v: number | string) => (oneTwoFive(Number(v)) ? Number(v).toLocaleString('en-US') : '') };
  return { ...axis(theme, title), type: 'logarithmic', ticks } as ScaleOptions<'logarithmic'>;
}

function baseConfig(theme: ChartTheme, datasets: XYDataset[], scales: Record<string, ScaleOptions<'linear'> | ScaleOptions<'logarithmic'>>): ChartConfiguration<'line' | 'scatter', XY[]> {
  return {
    type: 'scatter',
    data: { datasets },
    options: {
      animation: false, // the report is a measurement display: redraw at once, and screenshots are stable
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      color: theme.foreground,
      font: { family: theme.font },
      // Unlabelled datasets (the trade-off chart's second marker) stay out of the legend.
      plugins: { legend: { labels: { color: theme.foreground, filter: (item) => item.text !== '' } } },
      scales,
    },
  };
}

function scalingDatasets(view: ReportView, theme: ChartTheme): XYDataset[] {
  return [
    { type: 'scatter', label: 'measured (p = 1 runs)', data: view.scalingMeasured, backgroundColor: theme.primary, borderColor: theme.primary, pointRadius: 3 },
    { type: 'line', label: `model (${view.input.model ?? 'default'})`, data: view.scalingModel, borderColor: theme.secondary, backgroundColor: theme.secondary, pointRadius: 0, borderWidth: 2 },
  ];
}

function packingDatasets(view: ReportView, theme: ChartTheme): XYDataset[] {
  return [{ type: 'scatter', label: 'one instance packing p tasks', data: view.packing, backgroundColor: theme.primary, borderColor: theme.primary, pointRadius: 3 }];
}

function tradeoffDatasets(view: ReportView, theme: ChartTheme): XYDataset[] {
  const time = view.candidates.map((c) => ({ x: c.packingDegree, y: c.serviceTime }));
  const cost = view.candidates.map((c) => ({ x: c.packingDegree, y: c.cost }));
  const r = view.recommended;
  const marker = { type: 'scatter' as const, pointStyle: 'rectRot' as const, pointRadius: 9, borderWidth: 2, borderColor: theme.accent, backgroundColor: theme.accent };
  return [
    { type: 'line', label: 'service time (s)', data: time, yAxisID: 'time', borderColor: theme.primary, backgroundColor: theme.primary, pointRadius: 2 },
    { type: 'line', label: 'cost (USD)', data: cost, yAxisID: 'cost', borderColor: theme.secondary, backgroundColor: theme.secondary, pointRadius: 2 },
    { ...marker, label: `recommended p = ${r.packingDegree}`, data: [{ x: r.packingDegree, y: r.serviceTime }], yAxisID: 'time' },
    { ...marker, label: '', data: [{ x: r.packingDegree, y: r.cost }], yAxisID: 'cost' },
  ];
}

/** Candidates as (service time, cost) points, the Pareto front through them, and the recommended one. */
function paretoDatasets(view: ReportView, theme: ChartTheme): XYDataset[] {
  const pt = (c: { serviceTime: number; cost: number }): XY => ({ x: c.serviceTime, y: c.cost });
  return [
    { type: 'scatter', label: 'candidates (one per p)', data: view.candidates.map(pt), backgroundColor: theme.muted, borderColor: theme.muted, pointRadius: 2 },
    { type: 'line', label: 'Pareto front', data: view.pareto.map(pt), borderColor: theme.primary, backgroundColor: theme.primary, pointRadius: 3, borderWidth: 2 },
    { type: 'scatter', label: `recommended p = ${view.recommended.packingDegree}`, data: [pt(view.recommended)], pointStyle: 'rectRot', pointRadius: 9, borderColor: theme.accent, backgroundColor: theme.accent },
    { type: 'scatter', label: 'no packing (p = 1)', data: [pt(view.baseline)], pointStyle: 'triangle', pointRadius: 7, borderColor: theme.secondary, backgroundColor: theme.secondary },
  ];
}

/** One empirical CDF per saved run: fraction of tasks done vs time since the first dispatch. */
function cdfDatasets(view: ReportView, theme: ChartTheme): XYDataset[] {
  const palette = [theme.secondary, theme.primary, theme.accent, theme.muted];
  return view.runs.map((r, i) => {
    const n = r.completionTimes.length;
    const data = r.completionTimes.map((t, k) => ({ x: t, y: (k + 1) / n }));
    const color = r.packingDegree === 1 ? theme.secondary : palette[(i % (palette.length - 1)) + 1];
    return { type: 'line', label: `${r.label} (p = ${r.packingDegree}, C = ${r.concurrency})`, data, stepped: true, borderColor: color, backgroundColor: color, pointRadius: 0, borderWidth: 2 };
  });
}

/** Points a log-log chart can place: finite and positive. */
const loggable = (points: XY[]): XY[] => points.filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.x) && Number.isFinite(p.y));

const WHATIF_PACKED_LABEL = 'simulated, best p per C';

/**
 * The what-if simulation without packing and at the best p per C, the profile's measured service times,
 * and the user's C as a dashed vertical line spanning the other series.
 */
function whatIfDatasets(view: ReportView, theme: ChartTheme): XYDataset[] {
  const w = view.whatIf;
  const noPacking = loggable(w.points.map((pt) => ({ x: pt.concurrency, y: pt.noPacking.serviceTime })));
  const packed = loggable(w.points.map((pt) => ({ x: pt.concurrency, y: pt.packed.serviceTime })));
  const measured = loggable(view.profile.scaling.runs.flatMap((r) => (r.serviceTimeS === undefined ? [] : [{ x: r.concurrency, y: r.serviceTimeS }])));
  const ys = [...noPacking, ...packed, ...measured].map((p) => p.y);
  const c = view.input.concurrency;
  const datasets: XYDataset[] = [
    { type: 'line', label: 'simulated, no packing', data: noPacking, borderColor: theme.secondary, backgroundColor: theme.secondary, pointRadius: 2, borderWidth: 2 },
    { type: 'line', label: WHATIF_PACKED_LABEL, data: packed, borderColor: theme.primary, backgroundColor: theme.primary, pointRadius: 2, borderWidth: 2 },
  ];
  if (measured.length) datasets.push({ type: 'scatter', label: 'measured, no packing (profile)', data: measured, pointStyle: 'triangle', pointRadius: 4, borderColor: theme.foreground, backgroundColor: theme.foreground });
  if (ys.length) {
    const line = [{ x: c, y: Math.min(...ys) }, { x: c, y: Math.max(...ys) }];
    datasets.push({ type: 'line', label: `your C = ${c}`, data: line, borderColor: theme.accent, backgroundColor: theme.accent, borderDash: [6, 4], pointRadius: 0, borderWidth: 2 });
  }
  return datasets;
}

/** The what-if chart's hover line: the simulated point with the p it packs. */
function whatIfTooltip(view: ReportView): (item: { raw: unknown; dataset: { label?: string } }) => string {
  return (item) => {
    const { x, y } = item.raw as XY;
    const pt = item.dataset.label === WHATIF_PACKED_LABEL ? view.whatIf.points.find((p) => p.concurrency === x) : undefined;
    return `${item.dataset.label ?? ''}: C = ${x}, ${y.toFixed(1)} s${pt ? ` at p = ${pt.packed.packingDegree} on ${pt.packed.instances} instances` : ''}`;
  };
}

/** The trade-off chart's hover line: the candidate's numbers and what it gains over no packing. */
function tradeoffTooltip(view: ReportView): (item: { raw: unknown }) => string {
  return (item) => {
    const p = (item.raw as XY).x;
    const c = view.candidates.find((x) => x.packingDegree === p);
    return c ? `p = ${p}: ${c.serviceTime.toFixed(1)} s, $${c.cost.toFixed(4)} — ${savingsText(c, view.baseline)}` : `p = ${p}`;
  };
}

/** The report page's charts. */
export class ReportCharts {
  private readonly scaling: Chart<'line' | 'scatter', XY[]>;
  private readonly packing: Chart<'line' | 'scatter', XY[]>;
  private readonly tradeoff: Chart<'line' | 'scatter', XY[]>;
  private readonly pareto: Chart<'line' | 'scatter', XY[]>;
  private readonly cdf: Chart<'line' | 'scatter', XY[]>;
  private readonly whatIf: Chart<'line' | 'scatter', XY[]>;

  constructor(
    canvases: { scaling: HTMLCanvasElement; packing: HTMLCanvasElement; tradeoff: HTMLCanvasElement; pareto: HTMLCanvasElement; cdf: HTMLCanvasElement; whatIf: HTMLCanvasElement },
    view: ReportView,
    private readonly theme: ChartTheme,
  ) {
    this.scaling = new Chart(canvases.scaling, baseConfig(theme, scalingDatasets(view, theme), { x: axis(theme, 'concurrency C (instances started)', { min: 0 }), y: axis(theme, 'scaling time (s)', { min: 0 }) }));
    this.packing = new Chart(canvases.packing, baseConfig(theme, packingDatasets(view, theme), { x: axis(theme, 'packing degree p', { min: 0 }), y: axis(theme, 'execution time (s)', { min: 0 }) }));
    this.tradeoff = new Chart(canvases.tradeoff, baseConfig(theme, tradeoffDatasets(view, theme), {
      x: axis(theme, 'packing degree p', { min: 1 }),
      time: axis(theme, 'service time (s)', { position: 'left', min: 0 }),
      cost: axis(theme, 'cost (USD)', { position: 'right', min: 0, grid: { drawOnChartArea: false } }),
    }));
    this.pareto = new Chart(canvases.pareto, baseConfig(theme, paretoDatasets(view, theme), { x: axis(theme, 'service time (s)', { min: 0 }), y: axis(theme, 'cost (USD)', { min: 0 }) }));
    this.cdf = new Chart(canvases.cdf, baseConfig(theme, cdfDatasets(view, theme), { x: axis(theme, 'completion time (s since first dispatch)', { min: 0 }), y: axis(theme, 'fraction of tasks done', { min: 0, max: 1 }) }));
    this.whatIf = new Chart(canvases.whatIf, baseConfig(theme, whatIfDatasets(view, theme), { x: logAxis(theme, 'concurrency C (tasks)'), y: logAxis(theme, 'service time (s)') }));
    this.setTooltip(view);
  }

  private get all(): Chart<'line' | 'scatter', XY[]>[] {
    return [this.scaling, this.packing, this.tradeoff, this.pareto, this.cdf, this.whatIf];
  }

  /** Ids of the canvases that hold a chart with data, for the page's render report. */
  drawnCanvases(): string[] {
    return this.all.filter((c) => c.data.datasets.some((d) => d.data.length > 0)).map((c) => c.canvas.id);
  }

  private setTooltip(view: ReportView): void {
    const tradeoff = this.tradeoff.options.plugins;
    if (tradeoff) tradeoff.tooltip = { callbacks: { label: tradeoffTooltip(view) } };
    const whatIf = this.whatIf.options.plugins;
    if (whatIf) whatIf.tooltip = { callbacks: { label: whatIfTooltip(view) } };
  }

  /** Releases the canvases (before drawing again in another theme). */
  destroy(): void {
    for (const c of this.all) c.destroy();
  }

  /** Redraws every chart for a new view. */
  update(view: ReportView): void {
    this.scaling.data.datasets = scalingDatasets(view, this.theme);
    this.packing.data.datasets = packingDatasets(view, this.theme);
    this.tradeoff.data.datasets = tradeoffDatasets(view, this.theme);
    this.setTooltip(view);
    this.pareto.data.datasets = paretoDatasets(view, this.theme);
    this.cdf.data.datasets = cdfDatasets(view, this.theme);
    this.whatIf.data.datasets = whatIfDatasets(view, this.theme);
    for (const c of this.all) c.update();
  }
}
