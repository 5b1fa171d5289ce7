/** `summary.json` (the contract) and the one-line headline of each benchmark. */
import type { Metric, Objective } from '../core/types';
import type { ResourceOutlook } from '../core/resource-outlook';
import type { BenchmarkReport, MeasuredRun, ReportData } from './report-data';

/** One measured run in `summary.json`: no completion-time arrays. Times in s, cost in USD. */
export interface RunSummary {
  packingDegree: number;
  serviceTime: number;
  cost: number;
  p50: number;
  p90: number;
  p95: number;
  tasks: { total: number; succeeded: number; failed: number };
  throttles: number;
  retries: number;
}

export interface BenchmarkSummary {
  benchmark: string;
  concurrency: number;
  objective: Objective;
  metric: Metric;
  noPacking: RunSummary;
  /** null when the PyWren-style baseline was not run. */
  pywren: RunSummary | null;
  propack: RunSummary;
  oracle: RunSummary;
  /** The model's prediction at ProPack's p (s, USD). */
  predicted: { serviceTime: number; cost: number };
  /** Relative regret of ProPack's p against the measured oracle (0 = chose the best). */
  regret: number;
  /** The joint (memory, architecture, p) choice and its trade-off against ProPack's 10,240 MB; null when unavailable. Predicted. */
  joint: JointChoiceSummary | null;
}

/** A predicted configuration: MB, p, s, USD. */
export interface ConfigSummary {
  memoryMb: number;
  architecture: string;
  packingDegree: number;
  serviceTime: number;
  cost: number;
  measured: boolean;
}

export interface JointChoiceSummary {
  choice: ConfigSummary;
  reference: ConfigSummary;
  memoryOnly: ConfigSummary;
  /** Fractions against the reference (−0.31 = 31% cheaper) and the sentence. */
  tradeOff: { cost: number; serviceTime: number; text: string };
}

const configSummary = (c: ConfigSummary): ConfigSummary => ({
  memoryMb: c.memoryMb,
  architecture: c.architecture,
  packingDegree: c.packingDegree,
  serviceTime: c.serviceTime,
  cost: c.cost,
  measured: c.measured,
});

/** The joint part of `summary.json` from a benchmark's outlook (a string says why there is none). */
export function summarizeJoint(outlook: ResourceOutlook | string): JointChoiceSummary | null {
  if (typeof outlook === 'string') return null;
  const j = outlook.joint;
  return { choice: configSummary(j.choice), reference: configSummary(j.reference), memoryOnly: configSummary(j.memoryOnly), tradeOff: j.tradeOff };
}

export interface ReportSummary {
  generatedAt: string;
  platform: string;
  benchmarks: BenchmarkSummary[];
}

/** A measured run without its completion times or check details. */
export function summarizeRunForReport(r: MeasuredRun): RunSummary {
  return {
    packingDegree: r.packingDegree,
    serviceTime: r.serviceTime,
    cost: r.cost,
    p50: r.p50,
    p90: r.p90,
    p95: r.p95,
    tasks: { total: r.tasks.total, succeeded: r.tasks.succeeded, failed: r.tasks.failed },
    throttles: r.throttles,
    retries: r.retries,
  };
}

/** The content of `summary.json`; `outlooks[i]` belongs to benchmark i (absent: no joint part). */
export function buildSummary(data: ReportData, outlooks: readonly (ResourceOutlook | string)[] = []): ReportSummary {
  return {
    generatedAt: data.generatedAt,
    platform: data.platform,
    benchmarks: data.benchmarks.map((b, i) => ({
      benchmark: b.benchmark,
      concurrency: b.concurrency,
      objective: b.objective,
      metric: b.metric,
      noPacking: summarizeRunForReport(b.noPacking),
      pywren: b.pywren ? summarizeRunForReport(b.pywren) : null,
      propack: summarizeRunForReport(b.propack),
      oracle: summarizeRunForReport(b.oracle),
      predicted: { serviceTime: b.recommended.predicted.serviceTime, cost: b.recommended.predicted.cost },
      regret: b.regret,
      joint: summarizeJoint(outlooks[i] ?? 'not computed'),
    })),
  };
}

/** Relative change from `before` to `after` as a signed percentage ("−63%", "+4%"); "n/a" without a base. */
export function formatChange(before: number, after: number): string {
  if (!(before > 0) || !Number.isFinite(after)) return 'n/a';
  const pct = Math.round(((after - before) / before) * 100);
  // A typographic minus reads better than a hyphen next to digits.
  return pct < 0 ? `−${-pct}%` : pct > 0 ? `+${pct}%` : '±0%';
}

/** A regret (fraction) as a percentage: one decimal below 10% (where the targets are), whole above. */
export function formatRegret(regret: number): string {
  if (!Number.isFinite(regret)) return 'n/a';
  const pct = regret * 100;
  return `${Math.abs(pct) < 10 ? pct.toFixed(1) : Math.round(pct)}%`;
}

/** "ProPack chose p=8 at C=64: −63% service time, −41% cost vs no packing; oracle p=6, regret 2%". */
export function headline(b: BenchmarkReport): string {
  const time = formatChange(b.noPacking.serviceTime, b.propack.serviceTime);
  const cost = formatChange(b.noPacking.cost, b.propack.cost);
  return `ProPack chose p=${b.propack.packingDegree} at C=${b.concurrency}: ${time} service time, ${cost} cost vs no packing; oracle p=${b.oracle.packingDegree}, regret ${formatRegret(b.regret)}`;
}
