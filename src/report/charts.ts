/**
 * Builds the chart specs of one benchmark's report section from its profile, predictions and runs. The HTML
 * report and the editor's report panel both draw these specs (webview/chart-draw.ts), so a chart is written
 * once and looks the same in both.
 */
import type { MeasuredRun } from '../core/run-record';
import { scalingTimeAt } from '../core/predict';
import { median } from '../core/stats';
import type { Metric, Prediction } from '../core/types';
import type { WhatIfResult } from '../core/whatif';
import { measuredCdfChart } from './cdf-chart';
import { chartId, MEASURED_ROLES, type ChartPoint, type ChartSeries, type ChartSpec } from './chart-spec';
import { formatUsd, savingsText } from './format';
import { hasOracle, type BenchmarkReport, type MeasuredResults } from './report-data';

/** Points of a model curve across the x range, for both report pages: enough for a smooth line, few enough for a small page. */
export const CURVE_POINTS = 120;

/** The measured value (s) that corresponds to the model's service time under a metric. */
export function measuredServiceTime(run: MeasuredRun, metric: Metric): number {
  return metric === 'net' ? run.serviceTime : metric === 'tail' ? run.p90 : run.p50;
}

/** Every measured run of a benchmark, one per packing degree (grid first, then the named runs), ascending p. */
export function measuredByDegree(m: MeasuredResults): MeasuredRun[] {
  const byP = new Map<number, MeasuredRun>();
  for (const r of [...m.grid, m.noPacking, m.propack, m.oracle]) if (!byP.has(r.packingDegree)) byP.set(r.packingDegree, r);
  return [...byP.values()].sort((a, c) => a.packingDegree - c.packingDegree);
}

/** ProPack's p, and the measured oracle's p when there are runs. */
function pMarkers(b: BenchmarkReport): ChartSpec['markers'] {
  const p = b.recommended.packingDegree;
  if (!b.measured) return [{ x: p, label: `ProPack p=${p}`, role: 'propack' }];
  const o = b.measured.oracle.packingDegree;
  const name = hasOracle(b.measured) ? 'oracle' : 'best measured';
  if (p === o) return [{ x: p, label: `ProPack = ${name} p=${p}`, role: 'propack' }];
  return [
    { x: p, label: `ProPack p=${p}`, role: 'propack' },
    { x: o, label: `${name} p=${o}`, role: 'oracle' },
  ];
}

/** (a) Scaling time vs instances started at once: measured no-packing runs and the fitted curve. */
function scalingChart(b: BenchmarkReport, prefix: string): ChartSpec {
  const model = b.model ?? 'fitted';
  const runs = [...b.profile.scaling.runs].sort((x, y) => x.concurrency - y.concurrency);
  const apps = [...new Set(runs.map((r) => r.app ?? ''))];
  const measured: ChartSeries[] = apps.map((app, i) => ({
    label: app ? `measured (${app})` : 'measured',
    role: MEASURED_ROLES[Math.min(i, MEASURED_ROLES.length - 1)],
    style: 'points',
    points: runs.filter((r) => (r.app ?? '') === app).map((r) => ({ x: r.concurrency, y: r.scaleTimeS })),
  }));
  const maxN = Math.max(b.concurrency, ...runs.map((r) => r.concurrency));
  const curve: ChartPoint[] = [];
  for (let k = 0; k <= CURVE_POINTS; k++) {
    const n = Math.max(1, Math.round((k * maxN) / CURVE_POINTS));
    curve.push({ x: n, y: scalingTimeAt(b.profile, n, model) });
  }
  const packedInstances = Math.ceil(b.concurrency / b.recommended.packingDegree);
  return {
    id: chartId(prefix, 'scaling'),
    title: 'Scaling time vs instances started',
    caption:
      `Time from the first dispatch until the last instance started, for no-packing runs of the profile (markers) and the ${model} model (line). ` +
      `Without packing C=${b.concurrency} starts ${b.concurrency} instances; ProPack's p=${b.recommended.packingDegree} starts ${packedInstances}.`,
    x: { label: 'instances started at once', fromZero: true },
    y: { label: 'scaling time (s)', fromZero: true },
    series: [...measured, { label: `${model} model`, role: 'model', style: 'line', points: curve }],
    markers: [
      { x: b.concurrency, label: `no packing: ${b.concurrency}`, role: 'noPacking' },
      { x: packedInstances, label: `ProPack: ${packedInstances}`, role: 'propack' },
    ],
    table: {
      columns: ['concurrency', ...(apps.length > 1 ? ['app'] : []), 'measured scaling time (s)', 'model (s)'],
      rows: runs.map((r) => [
        r.concurrency,
        ...(apps.length > 1 ? [r.app ?? ''] : []),
        r.scaleTimeS,
        scalingTimeAt(b.profile, r.concurrency, model),
      ]),
    },
  };
}

/** (b) Execution time of one instance vs packing degree: isolated and under-load samples, and the model at C. */
function packingChart(b: BenchmarkReport, prefix: string): ChartSpec {
  const samples = [...b.profile.packing.samples].sort((x, y) => (x.concurrency ?? 1) - (y.concurrency ?? 1) || x.degree - y.degree);
  const levels = [...new Set(samples.map((s) => s.concurrency ?? 1))];
  const measured: ChartSeries[] = levels.map((c, i) => ({
    label: c === 1 ? 'measured, isolated instance' : `measured under load (C=${c})`,
    role: MEASURED_ROLES[Math.min(i, MEASURED_ROLES.length - 1)],
    style: 'points',
    points: samples.filter((s) => (s.concurrency ?? 1) === c).flatMap((s) => s.timesS.map((t) => ({ x: s.degree, y: t }))),
  }));
  const modelAt = new Map(b.recommended.candidates.map((c) => [c.packingDegree, c.executionTime]));
  const overhead = b.profile.packing.clientOverheadS;
  return {
    id: chartId(prefix, 'packing'),
    title: 'Execution time vs packing degree',
    caption:
      `Execution time of one instance running p tasks: every profiled repetition (markers; isolated and under load as separate series) ` +
      `and the model's execution time at C=${b.concurrency} (line).` +
      (overhead > 0 ? ` Profiled times include a client round trip of about ${overhead.toFixed(2)} s that the model removes.` : ''),
    x: { label: 'packing degree p (tasks per instance)', fromZero: true },
    y: { label: 'execution time (s)', fromZero: true },
    series: [
      ...measured,
      {
        label: `model at C=${b.concurrency}`,
        role: 'model',
        style: 'line',
        points: b.recommended.candidates.map((c) => ({ x: c.packingDegree, y: c.executionTime })),
      },
    ],
    markers: pMarkers(b),
    table: {
      columns: ['p', 'measured at concurrency', 'repetitions', 'median (s)', 'min (s)', 'max (s)', `model at C=${b.concurrency} (s)`],
      rows: samples.map((s) => [
        s.degree,
        s.concurrency ?? 1,
        s.timesS.length,
        median(s.timesS),
        Math.min(...s.timesS),
        Math.max(...s.timesS),
        modelAt.get(s.degree) ?? '—',
      ]),
    },
  };
}

/**
 * (c) One objective (service time or cost) vs p: model line over candidates, measured grid as markers. A
 * model-only report has the line and ProPack's p alone.
 */
function versusDegreeChart(
  b: BenchmarkReport,
  prefix: string,
  what: { id: string; title: string; unit: string; predicted: (p: Prediction) => number; measured: (r: MeasuredRun) => number },
): ChartSpec {
  const { candidates, baseline } = b.recommended;
  const modelLine: ChartSeries = {
    label: 'model prediction',
    role: 'model',
    style: 'line',
    points: candidates.map((c) => ({ x: c.packingDegree, y: what.predicted(c) })),
    // A hover says what each p gains over no packing on both quantities, whichever this chart plots.
    notes: candidates.map((c) => savingsText(c, baseline)),
  };
  const base = {
    id: chartId(prefix, what.id),
    title: `${what.title} vs packing degree at C=${b.concurrency}`,
    x: { label: 'packing degree p', fromZero: true },
    y: { label: `${what.title.toLowerCase()} (${what.unit})`, fromZero: true },
    markers: pMarkers(b),
  };
  if (!b.measured) {
    return {
      ...base,
      caption: `The model's prediction for every candidate p (line), with ProPack's choice marked; no measured runs yet.`,
      series: [modelLine],
      table: {
        columns: ['p', `predicted (${what.unit})`],
        rows: b.recommended.candidates.map((c) => [c.packingDegree, what.predicted(c)]),
      },
    };
  }
  const runs = measuredByDegree(b.measured);
  const predictedAt = new Map(b.recommended.candidates.map((c) => [c.packingDegree, what.predicted(c)]));
  const degrees = [...new Set([...predictedAt.keys(), ...runs.map((r) => r.packingDegree)])].sort((x, y) => x - y);
  const measuredAt = new Map(runs.map((r) => [r.packingDegree, what.measured(r)]));
  return {
    ...base,
    caption:
      `The model's prediction for every candidate p (line) and the measured runs of the grid (markers), ` +
      `with ProPack's choice and the measured oracle marked.`,
    series: [
      modelLine,
      { label: 'measured', role: 'measured', style: 'points', points: runs.map((r) => ({ x: r.packingDegree, y: what.measured(r) })) },
    ],
    table: {
      columns: ['p', `predicted (${what.unit})`, `measured (${what.unit})`, 'prediction error'],
      rows: degrees.map((p) => {
        const pred = predictedAt.get(p);
        const meas = measuredAt.get(p);
        const err = pred !== undefined && meas !== undefined && meas !== 0 ? `${(((pred - meas) / meas) * 100).toFixed(1)}%` : '—';
        return [p, pred ?? '—', meas ?? '—', err];
      }),
    },
  };
}

/** "the p chosen for cost at each C" (or the given p): what the packed line of the what-if shows. */
function chosenFor(w: WhatIfResult): string {
  if (!w.objective) return `p = ${w.points[0]?.packed.packingDegree ?? 1}`;
  return `the p chosen for ${w.objective === 'both' ? 'cost and time' : w.objective} at each C`;
}

/** The what-if chart's caption: how the simulation was set up. */
function whatIfCaption(w: WhatIfResult): string {
  const cold = `${w.coldStartS.toFixed(2)} s${w.coldStartAssumed ? ' (assumed)' : ''}`;
  return (
    `A discrete-event simulation of provisioning (scaling rule ${w.rule.name}; ` +
    `account limit ${w.accountLimit}; cold start ${cold}) fed with the model's execution times: without packing and at ${chosenFor(w)} (lines), ` +
    `next to the measured service times of this function (markers). Beyond the profiled concurrencies the load factor is held at its widest measured level.` +
    (w.objective && w.objective !== 'time'
      ? ` p is chosen for ${w.objective === 'cost' ? 'cost' : 'cost and time together'}, so it may take longer than no packing where that is cheaper (each point's note gives both costs).`
      : '')
  );
}

/** The what-if simulation as a table, one row per simulated C (the panel shows it as its what-if table). */
function whatIfTable(w: WhatIfResult): ChartSpec['table'] {
  return {
    columns: [
      'C',
      'best p',
      'service at p (s)',
      'cost at p (USD)',
      'instances',
      'service at p=1 (s)',
      'cost at p=1 (USD)',
      'scaling at p=1 (s)',
    ],
    rows: w.points.map((pt) => [
      pt.concurrency,
      pt.packed.packingDegree,
      pt.packed.serviceTime,
      pt.packed.cost,
      pt.packed.instances,
      pt.noPacking.serviceTime,
      pt.noPacking.cost,
      pt.noPacking.scalingTime,
    ]),
  };
}

/**
 * (e) What-if at scale: the provisioning simulation's service time without packing and at the best p for
 * each concurrency up to 100,000, beside every measured service time (profile runs and this job's runs; the
 * profile's alone in a model-only report).
 */
function whatIfChart(b: BenchmarkReport, prefix: string, w: WhatIfResult): ChartSpec {
  // This function's runs only, as the scaling chart: a profile may hold other apps' runs for the start curve.
  const fn = b.profile.function.name;
  const profiled = b.profile.scaling.runs
    .filter((r) => r.serviceTimeS !== undefined && (r.app === undefined || r.app === fn))
    .map((r) => ({ x: r.concurrency, y: r.serviceTimeS as number }));
  const m = b.measured;
  const runs: ChartSeries[] = m
    ? [
        {
          label: `measured at C=${b.concurrency} (no packing, ProPack p=${m.propack.packingDegree})`,
          role: 'measured-alt',
          style: 'points',
          points: [m.noPacking, m.propack].map((r) => ({ x: b.concurrency, y: r.serviceTime })),
        },
      ]
    : [];
  return {
    id: chartId(prefix, 'whatif'),
    title: 'What-if: service time up to C=100,000',
    caption: whatIfCaption(w),
    x: { label: 'concurrency C (tasks)', log: true },
    y: { label: 'service time (s)', log: true },
    series: [
      {
        label: 'simulated, no packing',
        role: 'noPacking',
        style: 'line',
        points: w.points.map((pt) => ({ x: pt.concurrency, y: pt.noPacking.serviceTime })),
      },
      {
        label: w.objective ? `simulated, p chosen for ${w.objective} per C` : `simulated, p = ${w.points[0]?.packed.packingDegree ?? 1}`,
        role: 'propack',
        style: 'line',
        points: w.points.map((pt) => ({ x: pt.concurrency, y: pt.packed.serviceTime })),
        notes: w.points.map(
          (pt) =>
            `at p = ${pt.packed.packingDegree} on ${pt.packed.instances} instances: ${formatUsd(pt.packed.cost)} (no packing ${formatUsd(pt.noPacking.cost)})`,
        ),
      },
      ...(profiled.length
        ? [{ label: 'measured, no packing (profile)', role: 'measured' as const, style: 'points' as const, points: profiled }]
        : []),
      ...runs,
    ],
    markers: [
      m
        ? { x: b.concurrency, label: `this run: C=${b.concurrency}`, role: 'oracle' }
        : { x: b.concurrency, label: `report's C=${b.concurrency}`, role: 'propack' },
    ],
    table: whatIfTable(w),
  };
}

const SERVICE_TITLE: Record<Metric, string> = { net: 'Service time', tail: 'Tail (p90) service time', median: 'Median (p50) service time' };

/**
 * Drops points a chart cannot place (a run that measured nothing reports NaN, which JSON turns into null),
 * with their notes; on a logarithmic axis also those at or below zero.
 */
export function finiteOnly(spec: ChartSpec): ChartSpec {
  const placeable = (p: ChartPoint): boolean =>
    Number.isFinite(p.x) && Number.isFinite(p.y) && (!spec.x.log || p.x > 0) && (!spec.y.log || p.y > 0);
  return {
    ...spec,
    series: spec.series.map((s) => {
      const keep = s.points.map(placeable);
      const notes = s.notes?.filter((_, i) => keep[i]);
      return { ...s, points: s.points.filter((_, i) => keep[i]), ...(notes ? { notes } : {}) };
    }),
  };
}

/**
 * Every chart of one benchmark, in reading order; `prefix` makes the chart ids unique in the page. The
 * completion-time CDFs need measured runs; the what-if chart is added when its simulation is given.
 */
export function buildBenchmarkCharts(b: BenchmarkReport, prefix: string, whatIf?: WhatIfResult): ChartSpec[] {
  const specs = [
    scalingChart(b, prefix),
    packingChart(b, prefix),
    versusDegreeChart(b, prefix, {
      id: 'service',
      title: SERVICE_TITLE[b.metric],
      unit: 's',
      predicted: (p) => p.serviceTime,
      measured: (r) => measuredServiceTime(r, b.metric),
    }),
    versusDegreeChart(b, prefix, { id: 'cost', title: 'Cost', unit: 'USD', predicted: (p) => p.cost, measured: (r) => r.cost }),
    ...(b.measured ? [measuredCdfChart(b.concurrency, b.measured, prefix)] : []),
    ...(whatIf ? [whatIfChart(b, prefix, whatIf)] : []),
  ];
  return specs.map(finiteOnly);
}
