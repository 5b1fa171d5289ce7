/**
 * Script of the HTML report (`propack report`, the demo's propack-report/report.html). It reads the chart
 * specs embedded by `src/report/report-html.ts` and draws them with webview/chart-draw.ts, as the editor's
 * panel does. chart.js itself is inlined in the page as its UMD build (the global `Chart`).
 */
import type { ChartSpec } from '../src/report/chart-spec';
import type { ReportChartsPayload } from '../src/report/report-html';
import { ChartSet, readChartTheme, type ChartCtor, type ThemeVariables } from './chart-draw';

/** The report stylesheet's (src/report/report-page.css) names for the page's colours. */
const THEME: ThemeVariables = { fg: '--fg', muted: '--muted', grid: '--grid', border: '--border' };

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

function main(): void {
  const Chart = (window as unknown as { Chart?: ChartCtor }).Chart;
  if (!Chart) {
    showError(undefined, 'Chart.js did not load, so charts are not drawn; every chart has a data table.');
    return;
  }
  const theme = readChartTheme(THEME);
  Chart.defaults.font.family = theme.font;
  Chart.defaults.color = theme.fg;
  const charts = new ChartSet(Chart, theme, (spec, e) => {
    console.error(`chart ${spec.id}:`, e);
    showError(spec, `This chart could not be drawn (${e.message}); its data table is below.`);
  });
  charts.draw(readCharts());
  // Redraw in the other palette when the system switches between light and dark.
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => charts.redraw(readChartTheme(THEME)));
}

main();
