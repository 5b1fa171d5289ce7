// Turns a profile and the user's question into what the report panel shows. Pure (no `vscode`), so it is
// unit-tested with Node's runner. The host computes it once per question and the page only draws it: the
// host keeps the panel's state (runs, the serializer's copy, what commands ask), so the page holds no model.
import type { Metric, Objective, OptimizeResult, Profile, Weights } from '../../core/types';
import { describeSource, measurementCaveat } from '../../core/profile';
import { optimize } from '../../core/optimizer';
import { accountLimitOf } from '../../core/limits';
import { recommendationNotes } from '../../report/format';
import { jointOutlook, whatIfOutlook } from '../../core/resource-outlook';
import type { WhatIfResult } from '../../core/whatif';
import { savedRunsCdfChart } from '../../report/cdf-chart';
import type { ChartSpec } from '../../report/chart-spec';
import { buildBenchmarkCharts, finiteOnly } from '../../report/charts';
import { paretoChart } from '../../report/pareto-chart';
import { recommendedOf, type BenchmarkReport } from '../../report/report-data';
import type { JointOutlookView, ReportInput, ReportView, RunCurve } from '../protocol';
import { stepFunctionsExport } from '../../engine/state-machine';

/** Chart ids in the panel carry no prefix: the page has one function's report, its canvases are `chart-<name>`. */
const PANEL_PREFIX = '';

/** What-if results kept: every objective × metric of two profiles, enough for the cursor moving between functions. */
const WHATIF_CACHE_SIZE = 18;
/**
 * Recent what-if simulations by `${profileKey}/${objective}/${metric}`. One takes about 100 ms and does not
 * depend on C, weights or bounds, so typing those must not rerun it. The profile is kept to notice that the
 * file under a key changed (re-profiled); a file read again gives an equal copy, which counts as the same.
 */
const whatIfCache = new Map<string, { profile: Profile; text?: string; result: WhatIfResult }>();

function sameProfile(entry: { profile: Profile; text?: string }, profile: Profile): boolean {
  if (entry.profile === profile) return true;
  entry.text ??= JSON.stringify(entry.profile);
  return entry.text === JSON.stringify(profile);
}

/** The what-if simulation for the profile, objective and metric, from the cache when it holds it. */
function cachedWhatIf(profile: Profile, profileKey: string, objective: Objective, metric: Metric, weights?: Weights): WhatIfResult {
  const key = `${profileKey}/${objective}/${metric}/${weights ? `${weights.cost},${weights.time}` : 'default'}`;
  const hit = whatIfCache.get(key);
  if (hit && sameProfile(hit, profile)) {
    // The newest copy, so the next lookup is an identity check again.
    hit.profile = profile;
    return hit.result;
  }
  const result = whatIfOutlook(profile, objective, metric, { weights });
  whatIfCache.delete(key);
  whatIfCache.set(key, { profile, result });
  if (whatIfCache.size > WHATIF_CACHE_SIZE) whatIfCache.delete(whatIfCache.keys().next().value as string);
  return result;
}

/** The joint outlook for the question, or the reason there is none: a profile the search cannot evaluate is a message, not a broken page. */
function jointOutlookView(profile: Profile, input: ReportInput): JointOutlookView {
  try {
    return {
      ok: true,
      ...jointOutlook(profile, {
        concurrency: input.concurrency,
        objective: input.objective,
        metric: input.metric,
        weights: input.weights,
        constraints: input.constraints,
      }),
    };
  } catch (e) {
    if (e instanceof RangeError) return { ok: false, reason: e.message };
    throw e;
  }
}

/** Builds the report for `profile` (stored at workspace-relative `profileKey`) answering `input`, with the function's saved `runs`. */
export function buildReportView(profile: Profile, profileKey: string, input: ReportInput, runs: readonly RunCurve[] = []): ReportView {
  const result = optimize(profile, {
    concurrency: input.concurrency,
    objective: input.objective,
    metric: input.metric,
    model: input.model,
    weights: input.weights,
    constraints: input.constraints,
  });
  const whatIf = cachedWhatIf(profile, profileKey, input.objective, input.metric, input.weights);
  return {
    profileKey,
    functionName: profile.function.name,
    sourceDetail: [describeSource(profile.source), measurementCaveat(profile)].filter(Boolean).join('; '),
    input: { ...input, model: result.model },
    charts: panelCharts(profile, input, result, runs, whatIf),
    candidates: result.candidates,
    recommended: result.predicted,
    baseline: result.baseline,
    pareto: result.pareto,
    runs: [...runs],
    constraintsRelaxed: result.constraintsRelaxed,
    ...(result.edge ? { edge: result.edge } : {}),
    notes: recommendationNotes(result, accountLimitOf(profile)),
    outlook: jointOutlookView(profile, input),
    stepFunctions: stepFunctionsExport(profile.function.name, input.concurrency, result.packingDegree),
    whatIf,
  };
}

/**
 * The panel's charts, in page order: the HTML report's charts of a model-only report at the same question
 * (scaling, packing, service and cost vs p, what-if: the same builders, so the same specs), the Pareto front,
 * and the CDFs of the function's saved runs (at any C, unlike the HTML report, which compares runs at its C).
 */
function panelCharts(
  profile: Profile,
  input: ReportInput,
  result: OptimizeResult,
  runs: readonly RunCurve[],
  whatIf: WhatIfResult,
): ChartSpec[] {
  const report: BenchmarkReport = {
    benchmark: profile.function.name,
    title: profile.function.name,
    concurrency: input.concurrency,
    objective: input.objective,
    metric: input.metric,
    profile,
    model: result.model,
    recommended: recommendedOf(result),
  };
  const shared = buildBenchmarkCharts(report, PANEL_PREFIX, whatIf);
  const pareto = paretoChart(
    {
      concurrency: input.concurrency,
      candidates: result.candidates,
      pareto: result.pareto,
      recommended: result.predicted,
      baseline: result.baseline,
    },
    PANEL_PREFIX,
  );
  const whatIfAt = shared.findIndex((c) => c.id === 'whatif');
  return [...shared.slice(0, whatIfAt), finiteOnly(pareto), finiteOnly(savedRunsCdfChart(runs, PANEL_PREFIX)), ...shared.slice(whatIfAt)];
}
