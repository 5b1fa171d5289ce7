/**
 * Script of the HTML report (`propack report`, the demo's propack-report/report.html). It reads the chart
 * specs embedded by `src/engine/report-html.ts` and draws them with chart.js. chart.js itself is inlined
 * in the page as its UMD build (the global `Chart`); only its types are imported here, so this bundle never
 * contains a second copy.
 */
import type { Chart as ChartClass, ChartConfiguration, ChartDataset, Plugin, PointStyle } from 'chart.js';
import type { ChartMarker, ChartSeries, ChartSpec, SeriesRole } from '../src/engine/report-chart-spec';
import { formatNumber } from '../src/engine/report-format';
import type { ReportChartsPayload } from '../src/engine/report-html';

type ChartCtor = typeof ChartClass;
type Scatter = ChartClass<'scatter'>;

/** Colours read from the page's CSS custom properties, so charts follow the light or dark theme. */
interface Theme {
  fg: string;
  muted: string;
  grid: string;
  border: string;
  font: string;
  role: Record<SeriesRole, string>;
}

const ROLES: SeriesRole[] = ['model', 'measured', 'measured-alt', 'measured-alt2', 'noPacking', 'pywren', 'propack', 'oracle'];
/** Marker shapes of measured series in order, so series stay apart without colour. */
const POINT_STYLES: PointStyle[] = ['circle', 'triangle', 'rect', 'rectRot', 'crossRot'];
const MARKER_DASH = [6, 4];

function readTheme(): Theme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string): string => css.getPropertyValue(name).trim();
  const role = {} as Record<SeriesRole, string>;
  for (const r of ROLES) role[r] = v(`--c-${r}`);
  return { fg: v('--fg'), muted: v('--muted'), grid: v('--grid'), border: v('--border'), font: getComputedStyle(document.body).fontFamily, role };
}

function dataset(s: ChartSeries, theme: Theme, measuredIndex: number): ChartDataset<'scatter'> {
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
function markerLegend(m: ChartMarker, theme: Theme): ChartDataset<'scatter'> {
  const colour = theme.role[m.role];
  return { label: m.label, data: [], showLine: true, borderColor: colour, backgroundColor: colour, borderDash: MARKER_DASH, pointStyle: 'line', order: 2 };
}

const markersOf = new WeakMap<Scatter, { markers: ChartMarker[]; theme: Theme }>();

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

function config(spec: ChartSpec, theme: Theme): ChartConfiguration<'scatter'> {
  let measuredIndex = 0;
  const datasets = spec.series.map((s) => dataset(s, theme, s.style === 'points' ? measuredIndex++ : 0));
  const axis = (a: ChartSpec['x']) => ({
    type: a.log ? ('logarithmic' as const) : ('linear' as const),
    beginAtZero: a.fromZero ?? false,
    title: { display: true, text: a.label, color: theme.fg },
    grid: { color: theme.grid },
    border: { color: theme.border },
    ticks: { color: theme.muted },
  });
  return {
    type: 'scatter',
    data: { datasets: [...datasets, ...spec.markers.map((m) => markerLegend(m, theme))] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false },
      scales: { x: axis(spec.x), y: axis(spec.y) },
      plugins: {
        legend: { labels: { color: theme.fg, usePointStyle: true, boxWidth: 18 } },
        tooltip: {
          callbacks: {
            label: (item) => `${item.dataset.label ?? ''}: ${spec.x.label} ${formatNumber(item.parsed.x ?? NaN)}, ${spec.y.label} ${formatNumber(item.parsed.y ?? NaN)}`,
          },
        },
      },
    },
    plugins: [markerPlugin],
  };
}

function showError(spec: ChartSpec | undefined, message: string): void {
  const box = spec ? document.getElementById(`chart-${spec.id}`)?.parentElement : null;
  const p = document.createElement('p');
  p.className = 'chart-error';
  p.textContent = message;
  (box ?? document.body).appendChild(p);
}

function readCharts(): ChartSpec[] {
  const el = document.getElementById('report-charts');
  if (!el?.textContent) return [];
  return (JSON.parse(el.textContent) as ReportChartsPayload).charts;
}

function drawAll(Chart: ChartCtor, specs: ChartSpec[]): Scatter[] {
  const theme = readTheme();
  Chart.defaults.font.family = theme.font;
  Chart.defaults.color = theme.fg;
  const drawn: Scatter[] = [];
  for (const spec of specs) {
    const canvas = document.getElementById(`chart-${spec.id}`);
    if (!(canvas instanceof HTMLCanvasElement)) continue;
    try {
      const chart = new Chart(canvas, config(spec, theme));
      markersOf.set(chart, { markers: spec.markers, theme });
      chart.update();
      drawn.push(chart);
    } catch (e) {
      console.error(`chart ${spec.id}:`, e);
      showError(spec, `This chart could not be drawn (${(e as Error).message}); its data table is below.`);
    }
  }
  return drawn;
}

function main(): void {
  const Chart = (window as unknown as { Chart?: ChartCtor }).Chart;
  if (!Chart) {
    showError(undefined, 'Chart.js did not load, so charts are not drawn; every chart has a data table.');
    return;
  }
  const specs = readCharts();
  let charts = drawAll(Chart, specs);
  // Redraw in the other palette when the system switches between light and dark.
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    charts.forEach((c) => c.destroy());
    charts = drawAll(Chart, specs);
  });
}

main();
