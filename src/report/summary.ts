/** `summary.json` (the contract) and the one-line headline of each benchmark. */
import type { Metric, Objective } from '../core/types';
import type { ResourceOutlook } from '../core/resource-outlook';
import type { MeasuredRun } from '../core/run-record';
import { formatChange, formatRegret } from './format';
import { gridDegrees, hasOracle, type BenchmarkReport, type ReportData } from './report-data';

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
  /** false for a model-only report: the function had no measured runs, so the run fields below are null. */
  measured: boolean;
  /** null in a model-only report. */
  noPacking: RunSummary | null;
  /** null when the PyWren-style baseline was not run. */
  pywren: RunSummary | null;
  /** null in a model-only report. */
  propack: RunSummary | null;
  /** null in a model-only report. */
  oracle: RunSummary | null;
  /** The model's prediction at ProPack's p and without packing (s, USD). */
  predicted: { packingDegree: number; serviceTime: number; cost: number; noPacking: { serviceTime: number; cost: number } };
  /**
   * Relative regret of ProPack's p against the measured oracle (0 = chose the best); null in a model-only report
   * and when fewer than ORACLE_MIN_DEGREES degrees were measured (then `oracle` is only the better of the runs).
   */
  regret: number | null;
  /** The joint (memory, architecture, p) choice and its trade-off against ProPack's 10,240 MB; null when unavailable. Predicted. */
  joint: JointChoiceSummary | null;
  /** Distinct packing degrees measured at this C; an oracle needs at least three. Empty in a model-only report. */
  measuredDegrees: number[];
  /** When ProPack's p is at (or past) the largest or smallest profiled degree: what to profile next. */
  edge: { side: string; message: string; suggestedDegrees: number[] } | null;
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
  return {
    choice: configSummary(j.choice),
    reference: configSummary(j.reference),
    memoryOnly: configSummary(j.memoryOnly),
    tradeOff: j.tradeOff,
  };
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
    benchmarks: data.benchmarks.map((b, i) => {
      const m = b.measured;
      const { predicted, baseline } = b.recommended;
      return {
        benchmark: b.benchmark,
        concurrency: b.concurrency,
        objective: b.objective,
        metric: b.metric,
        measured: m !== undefined,
        noPacking: m ? summarizeRunForReport(m.noPacking) : null,
        pywren: m?.pywren ? summarizeRunForReport(m.pywren) : null,
        propack: m ? summarizeRunForReport(m.propack) : null,
        oracle: m ? summarizeRunForReport(m.oracle) : null,
        predicted: {
          packingDegree: predicted.packingDegree,
          serviceTime: predicted.serviceTime,
          cost: predicted.cost,
          noPacking: { serviceTime: baseline.serviceTime, cost: baseline.cost },
        },
        regret: m && hasOracle(m) ? m.regret : null,
        joint: summarizeJoint(outlooks[i] ?? 'not computed'),
        measuredDegrees: m ? gridDegrees(m) : [],
        edge: b.recommended.edge
          ? { side: b.recommended.edge.side, message: b.recommended.edge.message, suggestedDegrees: b.recommended.edge.suggestedDegrees }
          : null,
      };
    }),
  };
}

/** How the report names the model's service time under a metric (the measured headline always uses net). */
const PREDICTED_SERVICE: Record<Metric, string> = { net: 'service time', tail: 'tail (p90) service time', median: 'median service time' };

/** The model's change at ProPack's p against its no-packing prediction, as signed percentages (service, cost). */
export function predictedChanges(b: BenchmarkReport): { time: string; cost: string } {
  const { predicted, baseline } = b.recommended;
  return { time: formatChange(baseline.serviceTime, predicted.serviceTime), cost: formatChange(baseline.cost, predicted.cost) };
}

/**
 * Measured: "ProPack chose p=8 at C=64: −63% service time, −41% cost vs no packing; oracle p=6, regret 2%".
 * Model-only: "Predicted: ProPack would pack p=14 at C=2000: −80% service time, −71% cost vs no packing (model, no measured runs yet)".
 */
export function headline(b: BenchmarkReport): string {
  const m = b.measured;
  if (!m) {
    const { time, cost } = predictedChanges(b);
    return `Predicted: ProPack would pack p=${b.recommended.packingDegree} at C=${b.concurrency}: ${time} ${PREDICTED_SERVICE[b.metric]}, ${cost} cost vs no packing (model, no measured runs yet)`;
  }
  const time = formatChange(m.noPacking.serviceTime, m.propack.serviceTime);
  const cost = formatChange(m.noPacking.cost, m.propack.cost);
  const versus = hasOracle(m)
    ? `oracle p=${m.oracle.packingDegree}, regret ${formatRegret(m.regret)}`
    : `no oracle (only p=${gridDegrees(m).join(', ')} measured)`;
  return `ProPack chose p=${m.propack.packingDegree} at C=${b.concurrency}: ${time} service time, ${cost} cost vs no packing; ${versus}`;
}
