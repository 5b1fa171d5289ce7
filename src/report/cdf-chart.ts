/** Completion-time CDF charts: the measured runs of an HTML report's C, or every saved run of a function in the panel. */
import type { MeasuredRun } from '../core/run-record';
import { orderStatistic } from '../core/run-metrics';
import { chartId, MEASURED_ROLES, type ChartPoint, type ChartSpec, type SeriesRole } from './chart-spec';
import type { MeasuredResults } from './report-data';

/** CDFs of 5,000 tasks are drawn from this many evenly spaced order statistics. */
const CDF_POINTS = 300;
/** Percentiles listed in the CDF chart's data table. */
const CDF_TABLE_PERCENTILES = [10, 25, 50, 75, 90, 95, 99, 100];

/** One saved run as a CDF chart draws it: sorted completion times (s since the first dispatch). */
export interface CompletionCurve {
  label: string;
  packingDegree: number;
  concurrency: number;
  completionTimes: number[];
}

/** Evenly spaced order statistics of a sorted array, always keeping its last value. */
function thin<T>(sorted: readonly T[], max: number): { value: T; index: number }[] {
  if (sorted.length <= max) return sorted.map((value, index) => ({ value, index }));
  const out: { value: T; index: number }[] = [];
  for (let k = 0; k < max; k++) {
    const index = Math.round((k * (sorted.length - 1)) / (max - 1));
    out.push({ value: sorted[index], index });
  }
  return out;
}

/** The fraction of tasks done by each completion time, thinned for drawing. */
function cdfPoints(completionTimes: readonly number[]): ChartPoint[] {
  const n = completionTimes.length;
  return thin(completionTimes, CDF_POINTS).map(({ value, index }) => ({ x: value, y: (index + 1) / n }));
}

/** The completion time (s) by which `pct` percent of tasks were done (an order statistic). */
function completionPercentile(sorted: readonly number[], pct: number): number | string {
  return sorted.length === 0 ? '—' : orderStatistic(sorted, pct / 100);
}

/** The CDF chart of `curves` (each a labelled series in its role's colour), with their percentiles as its table. */
function cdfChart(
  id: string,
  caption: string,
  curves: readonly { label: string; role: SeriesRole; completionTimes: readonly number[] }[],
): ChartSpec {
  return {
    id,
    title: 'Task completion times',
    caption,
    x: { label: 'time since first dispatch (s)', fromZero: true },
    y: { label: 'fraction of tasks completed', fromZero: true },
    series: curves.map((c) => ({ label: c.label, role: c.role, style: 'line', stepped: true, points: cdfPoints(c.completionTimes) })),
    markers: [],
    table: {
      columns: ['percent of tasks done', ...curves.map((c) => `${c.label} (s)`)],
      rows: CDF_TABLE_PERCENTILES.map((pct) => [`${pct}%`, ...curves.map((c) => completionPercentile(c.completionTimes, pct))]),
    },
  };
}

/** (d) Completion-time CDFs of no packing, PyWren-style (when run) and ProPack at the report's C. */
export function measuredCdfChart(concurrency: number, m: MeasuredResults, prefix: string): ChartSpec {
  const runs: { label: string; role: SeriesRole; run: MeasuredRun }[] = [
    { label: 'no packing', role: 'noPacking', run: m.noPacking },
    ...(m.pywren ? [{ label: 'PyWren-style', role: 'pywren' as const, run: m.pywren }] : []),
    { label: `ProPack p=${m.propack.packingDegree}`, role: 'propack', run: m.propack },
  ];
  return cdfChart(
    chartId(prefix, 'cdf'),
    `Fraction of the ${concurrency} tasks completed by each time since the first dispatch; further left is faster.`,
    runs.map((r) => ({ label: r.label, role: r.role, completionTimes: r.run.completionTimes })),
  );
}

/** The colour of a saved run by what it was: no packing, PyWren-style, ProPack's p, or another degree. */
function savedRunRole(run: CompletionCurve, others: number): SeriesRole {
  if (run.label === 'pywren') return 'pywren';
  if (run.packingDegree === 1) return 'noPacking';
  if (run.label === 'propack') return 'propack';
  return MEASURED_ROLES[others % MEASURED_ROLES.length];
}

/** Every saved run of a function (any C, oldest first) as CDFs; no series before its first run. */
export function savedRunsCdfChart(runs: readonly CompletionCurve[], prefix: string): ChartSpec {
  let others = 0;
  const curves = runs.map((r) => {
    const role = savedRunRole(r, others);
    if (MEASURED_ROLES.includes(role)) others++;
    return { label: `${r.label} (p = ${r.packingDegree}, C = ${r.concurrency})`, role, completionTimes: r.completionTimes };
  });
  return cdfChart(
    chartId(prefix, 'cdf'),
    'Fraction of the tasks of each saved run completed by each time since its first dispatch; further left is faster.',
    curves,
  );
}
