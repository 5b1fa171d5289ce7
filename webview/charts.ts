// The report's three charts (chart.js, bundled). Each is created once and updated in place.
import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip, type ChartConfiguration, type ChartDataset, type ScaleOptions } from 'chart.js';
import { savingsText, type ReportView, type XY } from '../src/extension/protocol';
import type { ChartTheme } from './theme';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Legend, Tooltip);

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

function baseConfig(theme: ChartTheme, datasets: XYDataset[], scales: Record<string, ScaleOptions<'linear'>>): ChartConfiguration<'line' | 'scatter', XY[]> {
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

  constructor(
    canvases: { scaling: HTMLCanvasElement; packing: HTMLCanvasElement; tradeoff: HTMLCanvasElement; pareto: HTMLCanvasElement; cdf: HTMLCanvasElement },
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
    this.setTooltip(view);
    this.pareto = new Chart(canvases.pareto, baseConfig(theme, paretoDatasets(view, theme), { x: axis(theme, 'service time (s)', { min: 0 }), y: axis(theme, 'cost (USD)', { min: 0 }) }));
    this.cdf = new Chart(canvases.cdf, baseConfig(theme, cdfDatasets(view, theme), { x: axis(theme, 'completion time (s since first dispatch)', { min: 0 }), y: axis(theme, 'fraction of tasks done', { min: 0, max: 1 }) }));
  }

  private get all(): Chart<'line' | 'scatter', XY[]>[] {
    return [this.scaling, this.packing, this.tradeoff, this.pareto, this.cdf];
  }

  private setTooltip(view: ReportView): void {
    const plugins = this.tradeoff.options.plugins;
    if (plugins) plugins.tooltip = { callbacks: { label: tradeoffTooltip(view) } };
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
    for (const c of this.all) c.update();
  }
}
