// The typed messages between the report page (webview/) and the extension host. Both sides import this
// module and nothing else from each other. Browser-safe: it imports only core and the report room (no
// `vscode`, no node:*, no DOM), which webview/tsconfig.json and the lint rules check.
import { MAX_CONCURRENCY } from '../core/limits';
import { isMetric, isObjective } from '../core/objectives';
import type { ResourceOutlook } from '../core/resource-outlook';
import type { StepFunctionsExport } from '../report/report-data';
import type { Constraints, DegreeEdge, Metric, ModelKind, Objective, Prediction, Weights } from '../core/types';
import type { WhatIfResult } from '../core/whatif';
import type { CompletionCurve } from '../report/cdf-chart';
import type { ChartSpec } from '../report/chart-spec';

/** What the user chose in the report: the question the optimizer answers. */
export interface ReportInput {
  concurrency: number;
  objective: Objective;
  metric: Metric;
  model?: ModelKind;
  /** Weights of the "both" objective; the optimizer's 0.55/0.45 when absent. */
  weights?: Weights;
  /** Upper bounds a recommendation must meet (when none does, the one closest to them is shown and said so). */
  constraints?: Constraints;
}

/** Everything the page needs to draw one profile's report. */
export interface ReportView {
  /** Workspace-relative path of the profile file, the key the panel is restored from. */
  profileKey: string;
  functionName: string;
  sourceDetail: string;
  input: ReportInput;
  /**
   * The charts in page order (canvas `chart-<id>`), built by the report room's builders, the HTML report's
   * too: scaling, packing, service, cost, pareto, cdf, whatif.
   */
  charts: ChartSpec[];
  /** Predicted service time (s) and cost (USD) for every candidate packing degree at the chosen C. */
  candidates: Prediction[];
  recommended: Prediction;
  baseline: Prediction;
  /** Cost/time Pareto-optimal candidates, ascending by service time. */
  pareto: Prediction[];
  /** The function's saved runs (.propack/runs), for completion-time CDFs: sorted completion times (s). */
  runs: RunCurve[];
  /** True when no p met the constraints and the one closest to them is shown. */
  constraintsRelaxed: boolean;
  /** Set when the recommended p is at (or past) the largest or smallest profiled degree. */
  edge?: DegreeEdge;
  /** Caveats of the recommendation, one sentence each (extrapolated, a near tie, an assumed account limit). */
  notes: string[];
  /** Memory × architecture × p at the chosen C, objective, weights and bounds: the joint choice and the heatmaps. */
  outlook: JointOutlookView;
  /** The recommendation as a Step Functions Distributed Map (ASL and SAM text), for users who deploy their own. */
  stepFunctions?: StepFunctionsExport;
  /** Service time simulated for C = 1 … 100,000 at the profile's measured start rate, without packing and at the best p per C. */
  whatIf: WhatIfResult;
}

/** The joint outlook, or why the profile cannot be searched (the joint optimizer's RangeError message). */
export type JointOutlookView = ({ ok: true } & Pick<ResourceOutlook, 'joint' | 'heatmaps'>) | { ok: false; reason: string };

/** One saved run as the CDF chart draws it. */
export type RunCurve = CompletionCurve;

/** What the page keeps with `setState` and the serializer restores the panel from. */
export interface ReportPageState {
  profileKey: string;
  input: ReportInput;
}

/** Requests the page sends; each names its params and the result the host replies with. */
export interface ReportRequests {
  optimize: { params: ReportInput; result: ReportView };
}
export type ReportMethod = keyof ReportRequests;

/** What the report shows when the function under the cursor has no profile. */
export interface MissingProfile {
  functionName: string;
  /** Workspace-relative handler file and export, for the page's text. */
  file: string;
  exportName: string;
}

/** What the page drew for a view; it says so after each render, so the host (and tests) know the page, not only the data. */
export interface RenderedReport {
  profileKey: string;
  concurrency: number;
  objective: Objective;
  metric: Metric;
  /** Ids of the canvases whose chart has data. */
  charts: string[];
  /** Heatmap tables in the memory × p section, and their cells marked as the joint choice (★). */
  heatmapTables: number;
  choiceCells: number;
  /** The memory × p section's message when there is no joint outlook. */
  outlookError?: string;
  /** Rows of the what-if data table. */
  whatIfRows: number;
  /** The edge note the page shows (recommended p at the largest or smallest profiled degree), if any. */
  edgeNote?: string;
}

/**
 * Page → host. `profileFunction` asks to profile the function named by the `missing` state; `profileMore`
 * asks to profile the shown function again at the degrees its edge note suggests (the host holds them).
 */
export type PageMessage =
  | { kind: 'ready' }
  | { kind: 'profileFunction' }
  | { kind: 'profileMore' }
  | { kind: 'rendered'; report: RenderedReport }
  | { [M in ReportMethod]: { kind: 'request'; id: number; method: M; params: ReportRequests[M]['params'] } }[ReportMethod];

/** Host → page: the initial state, or a reply to the request with the same id. */
export type HostMessage =
  | { kind: 'state'; view: ReportView }
  | { kind: 'missing'; missing: MissingProfile }
  | { kind: 'error'; message: string }
  | { kind: 'response'; id: number; ok: true; result: ReportRequests[ReportMethod]['result'] }
  | { kind: 'response'; id: number; ok: false; error: string };

// The one limit the CLI applies too (core/limits.ts), so a recommendation it saves is restored here.
export { MAX_CONCURRENCY };

/** The error to show for a typed concurrency, or undefined when it is a whole number in range. */
export function concurrencyError(text: string): string | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return 'Enter a whole number of concurrent invocations, e.g. 1000.';
  const n = Number(t);
  if (n < 1 || n > MAX_CONCURRENCY) return `Concurrency must be between 1 and ${MAX_CONCURRENCY}.`;
  return undefined;
}

/** Checks an untrusted value (a message or restored state) and returns a valid input or undefined. */
export function asReportInput(value: unknown): ReportInput | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.concurrency !== 'number' || concurrencyError(String(v.concurrency)) !== undefined) return undefined;
  if (!isObjective(v.objective) || !isMetric(v.metric)) return undefined;
  const model = v.model === 'classic' || v.model === 'fitted' ? v.model : undefined;
  const w = v.weights as Partial<Weights> | undefined;
  const weights =
    w && typeof w.cost === 'number' && typeof w.time === 'number' && w.cost >= 0 && w.time >= 0 && w.cost + w.time > 0
      ? { cost: w.cost, time: w.time }
      : undefined;
  const c = (v.constraints ?? {}) as Partial<Record<keyof Constraints, unknown>>;
  const bound = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : undefined);
  const constraints: Constraints = {};
  if (bound(c.maxServiceTimeS) !== undefined) constraints.maxServiceTimeS = bound(c.maxServiceTimeS);
  if (bound(c.maxCostUsd) !== undefined) constraints.maxCostUsd = bound(c.maxCostUsd);
  return {
    concurrency: v.concurrency,
    objective: v.objective as Objective,
    metric: v.metric as Metric,
    ...(model ? { model } : {}),
    ...(weights ? { weights } : {}),
    ...(Object.keys(constraints).length ? { constraints } : {}),
  };
}

/** Checks a page's render report field by field (the page is trusted code, but messages are still data). */
function asRenderedReport(value: unknown): RenderedReport | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const counts = [v.concurrency, v.heatmapTables, v.choiceCells, v.whatIfRows];
  if (typeof v.profileKey !== 'string' || !counts.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) return undefined;
  if (!isObjective(v.objective) || !isMetric(v.metric)) return undefined;
  if (!Array.isArray(v.charts) || !v.charts.every((c) => typeof c === 'string')) return undefined;
  if (v.outlookError !== undefined && typeof v.outlookError !== 'string') return undefined;
  if (v.edgeNote !== undefined && typeof v.edgeNote !== 'string') return undefined;
  return {
    profileKey: v.profileKey,
    concurrency: v.concurrency as number,
    objective: v.objective as Objective,
    metric: v.metric as Metric,
    charts: [...(v.charts as string[])],
    heatmapTables: v.heatmapTables as number,
    choiceCells: v.choiceCells as number,
    ...(v.outlookError !== undefined ? { outlookError: v.outlookError } : {}),
    whatIfRows: v.whatIfRows as number,
    ...(v.edgeNote !== undefined ? { edgeNote: v.edgeNote } : {}),
  };
}

/** Checks a message from the page. */
export function asPageMessage(value: unknown): PageMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v.kind === 'ready') return { kind: 'ready' };
  if (v.kind === 'profileFunction') return { kind: 'profileFunction' };
  if (v.kind === 'profileMore') return { kind: 'profileMore' };
  if (v.kind === 'rendered') {
    const report = asRenderedReport(v.report);
    return report ? { kind: 'rendered', report } : undefined;
  }
  if (v.kind === 'request' && typeof v.id === 'number' && v.method === 'optimize') {
    const params = asReportInput(v.params);
    return params ? { kind: 'request', id: v.id, method: 'optimize', params } : undefined;
  }
  return undefined;
}
