/**
 * Draws the report room's chart specs (src/report/chart-spec.ts) with chart.js: the one drawing code of both
 * report pages. The HTML report passes the UMD build's global `Chart`, the editor's panel its bundled import,
 * so only chart.js's types are imported here and neither bundle holds a second copy.
 */
import type { Chart as ChartClass, ChartConfiguration, ChartDataset, Plugin, PointStyle, TooltipItem } from 'chart.js';
import {
  SERIES_ROLES,
  type ChartAxis,
  type ChartMarker,
  type ChartSeries,
  type ChartSpec,
  type SeriesRole,
} from '../src/report/chart-spec';
import { formatNumber } from '../src/report/format';

/** chart.js's constructor, from wherever the page has it. */
export type ChartCtor = typeof ChartClass;
type Scatter = ChartClass<'scatter'>;

/** Colours and font the charts use, read from the page's CSS custom properties. */
export interface ChartTheme {
  fg: string;
  muted: string;
  grid: string;
  border: string;
  font: string;
  role: Record<SeriesRole, string>;
}

/** Which custom properties hold the page's text, muted text, grid and border colours (and font, else the body's). */
export interface ThemeVariables {
  fg: string;
  muted: string;
  grid: string;
  border: string;
  font?: string;
}

/** Reads the theme now (again after a theme change); series colours are each page's `--c-<role>`. */
export function readChartTheme(vars: ThemeVariables): ChartTheme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string): string => css.getPropertyValue(name).trim();
  const role = {} as Record<SeriesRole, string>;
  for (const r of SERIES_ROLES) role[r] = v(`--c-${r}`);
  const font = (vars.font && v(vars.font)) || getComputedStyle(document.body).fontFamily;
  return { fg: v(vars.fg), muted: v(vars.muted), grid: v(vars.grid), border: v(vars.border), font, role };
}

/** Marker shapes of measured series in order, so series stay apart without colour. */
const POINT_STYLES: PointStyle[] = ['circle', 'triangle', 'rect', 'rectRot', 'crossRot'];
const MARKER_DASH = [6, 4];

function dataset(s: ChartSeries, theme: ChartTheme, measuredIndex: number): ChartDataset<'scatter'> {
  const colour = theme.role[s.role];
  if (s.style === 'points') {
    return {
      label: s.label,
      data: s.points,
      showLine: false,
      borderColor: colour,
      // Later series are hollow, so points that coincide with the first series' stay visible.
      backgroundColor: measuredIndex === 0 ? colour : 'transparent',
      borderWidth: measuredIndex === 0 ? 1 : 1.5,
      pointStyle: POINT_STYLES[measuredIndex % POINT_STYLES.length],
      pointRadius: measuredIndex === 0 ? 3.5 : 5,
      pointHoverRadius: 5,
      order: 0,
    };
  }
  return {
    label: s.label,
    data: s.points,
    showLine: true,
    // "before": hold each value until the next point, as a CDF does.
    stepped: s.stepped ? 'before' : false,
    borderColor: colour,
    backgroundColor: colour,
    borderWidth: 2,
    pointStyle: 'line',
    pointRadius: 0,
    pointHoverRadius: 3,
    order: 1,
  };
}

/** An empty dataset that only gives a marker its legend entry. */
function markerLegend(m: ChartMarker, theme: ChartTheme): ChartDataset<'scatter'> {
  const colour = theme.role[m.role];
  return {
    label: m.label,
    data: [],
    showLine: true,
    borderColor: colour,
    backgroundColor: colour,
    borderDash: MARKER_DASH,
    pointStyle: 'line',
    order: 2,
  };
}

const markersOf = new WeakMap<Scatter, { markers: ChartMarker[]; theme: ChartTheme }>();

/** Draws each marker as a dashed vertical line with its label at the top of the plot. */
const markerPlugin: Plugin<'scatter'> = {
  id: 'propackMarkers',
  afterDatasetsDraw(chart) {
    const entry = markersOf.get(chart);
    if (!entry) return;
    const { ctx, chartArea: area, scales } = chart;
    entry.markers.forEach((m, i) => {
      const x = scales.x.getPixelForValue(m.x);
      if (!(x >= area.left && x <= area.right)) return;
      const colour = entry.theme.role[m.role];
      ctx.save();
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1.5;
      ctx.setLineDash(MARKER_DASH);
      ctx.beginPath();
      ctx.moveTo(x, area.top);
      ctx.lineTo(x, area.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = colour;
      ctx.font = `600 12px ${entry.theme.font}`;
      const width = ctx.measureText(m.label).width;
      // Labels go right of the line unless that would leave the plot; stacked so two close markers stay legible.
      const left = x + 4 + width > area.right ? x - 4 - width : x + 4;
      ctx.textBaseline = 'top';
      ctx.fillText(m.label, left, area.top + 4 + i * 16);
      ctx.restore();
    });
  },
};

/** Whether a log-axis tick is 1, 2 or 5 times a power of ten: the only ones labelled, so labels do not collide. */
function oneTwoFive(v: number): boolean {
  if (!(v > 0)) return false;
  const mantissa = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
  return [1, 2, 5].some((k) => Math.abs(mantissa - k) < 1e-6);
}

/** One axis: linear from zero when asked, or logarithmic with only its 1-2-5 ticks labelled. */
function axis(a: ChartAxis, theme: ChartTheme) {
  const label = (v: number | string): string => (oneTwoFive(Number(v)) ? Number(v).toLocaleString('en-US') : '');
  return {
    type: a.log ? ('logarithmic' as const) : ('linear' as const),
    beginAtZero: a.fromZero ?? false,
    title: { display: true, text: a.label, color: theme.fg },
    grid: { color: theme.grid },
    border: { color: theme.border },
    ticks: a.log ? { color: theme.muted, callback: label } : { color: theme.muted },
  };
}

/** The hover line of a point: its series, both coordinates with their axis names, and the series' note for it. */
function tooltipLabel(spec: ChartSpec): (item: TooltipItem<'scatter'>) => string {
  return (item) => {
    const note = spec.series[item.datasetIndex]?.notes?.[item.dataIndex];
    const xy = `${spec.x.label} ${formatNumber(item.parsed.x ?? NaN)}, ${spec.y.label} ${formatNumber(item.parsed.y ?? NaN)}`;
    return `${item.dataset.label ?? ''}: ${xy}${note ? ` — ${note}` : ''}`;
  };
}

/** The chart.js configuration of one spec in a theme. */
export function chartConfig(spec: ChartSpec, theme: ChartTheme): ChartConfiguration<'scatter'> {
  let measuredIndex = 0;
  const datasets = spec.series.map((s) => dataset(s, theme, s.style === 'points' ? measuredIndex++ : 0));
  return {
    type: 'scatter',
    data: { datasets: [...datasets, ...spec.markers.map((m) => markerLegend(m, theme))] },
    options: {
      // The report is a measurement display: redraw at once, and screenshots are stable.
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      color: theme.fg,
      font: { family: theme.font },
      interaction: { mode: 'nearest', intersect: false },
      scales: { x: axis(spec.x, theme), y: axis(spec.y, theme) },
      plugins: {
        legend: { labels: { color: theme.fg, usePointStyle: true, boxWidth: 18 } },
        tooltip: { callbacks: { label: tooltipLabel(spec) } },
      },
    },
    plugins: [markerPlugin],
  };
}

/**
 * The charts of one page, by spec id, each in the canvas `chart-<id>`: `draw` creates, updates in place or
 * removes charts so they match the specs given; `redraw` starts over in a new theme.
 */
export class ChartSet {
  private readonly charts = new Map<string, Scatter>();
  private specs: readonly ChartSpec[] = [];

  constructor(
    private readonly Chart: ChartCtor,
    private theme: ChartTheme,
    /** Called when a chart cannot be drawn (its data table still shows the numbers). */
    private readonly onError: (spec: ChartSpec, error: Error) => void = () => undefined,
  ) {}

  /** Draws `specs`; a spec without a canvas in the page is skipped. */
  draw(specs: readonly ChartSpec[]): void {
    this.specs = specs;
    const ids = new Set(specs.map((s) => s.id));
    for (const [id, chart] of this.charts) {
      if (!ids.has(id)) {
        chart.destroy();
        this.charts.delete(id);
      }
    }
    for (const spec of specs) {
      try {
        this.drawOne(spec);
      } catch (e) {
        this.onError(spec, e instanceof Error ? e : new Error(String(e)));
      }
    }
  }

  private drawOne(spec: ChartSpec): void {
    const config = chartConfig(spec, this.theme);
    const existing = this.charts.get(spec.id);
    if (existing) {
      markersOf.set(existing, { markers: spec.markers, theme: this.theme });
      existing.data = config.data;
      existing.options = config.options ?? {};
      existing.update();
      return;
    }
    const canvas = document.getElementById(`chart-${spec.id}`);
    if (!(canvas instanceof HTMLCanvasElement)) return;
    const chart = new this.Chart(canvas, config);
    markersOf.set(chart, { markers: spec.markers, theme: this.theme });
    // The markers are drawn by a plugin that reads them after the first draw: draw once more with them known.
    chart.update();
    this.charts.set(spec.id, chart);
  }

  /** Destroys every chart and draws the last specs again in `theme` (the page's colours changed). */
  redraw(theme: ChartTheme): void {
    this.theme = theme;
    for (const chart of this.charts.values()) chart.destroy();
    this.charts.clear();
    this.draw(this.specs);
  }

  /** Ids of the canvases that hold a chart with data, for the page's render report. */
  drawnCanvases(): string[] {
    return [...this.charts.values()].filter((c) => c.data.datasets.some((d) => d.data.length > 0)).map((c) => c.canvas.id);
  }
}
