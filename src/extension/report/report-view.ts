// Turns a profile and the user's question into the data the report page charts. Pure (no `vscode`),
// so it is unit-tested with Node's runner and bundled into the report page, which re-optimizes with it.
import type { Metric, Objective, Profile } from '../../core/types';
import { describeSource } from '../../core/profile';
import { optimize } from '../../core/optimizer';
import { scalingTimeAt } from '../../core/predict';
import { jointOutlook, whatIfOutlook } from '../../core/resource-outlook';
import type { WhatIfResult } from '../../core/whatif';
import { jointSectionHtml } from '../../engine/report-heatmap';
import type { JointOutlookView, ReportInput, ReportView, RunCurve, XY } from '../protocol';

/** Points on the model's scaling curve: enough for a smooth line up to the largest measured C. */
const MODEL_CURVE_POINTS = 50;

/** What-if results kept: every objective × metric of two profiles, enough for the cursor moving between functions. */
const WHATIF_CACHE_SIZE = 18;
/**
 * Recent what-if simulations by `${profileKey}/${objective}/${metric}`. One takes about 100 ms and does not
 * depend on C, weights or bounds, so typing those must not rerun it. The profile is kept to notice that the
 * file under a key changed (re-profiled); the page receives a fresh copy of the same profile with every host
 * reply, so an equal one counts as the same.
 */
const whatIfCache = new Map<string, { profile: Profile; text?: string; result: WhatIfResult }>();

function sameProfile(entry: { profile: Profile; text?: string }, profile: Profile): boolean {
  if (entry.profile === profile) return true;
  entry.text ??= JSON.stringify(entry.profile);
  return entry.text === JSON.stringify(profile);
}

/** The what-if simulation for the profile, objective and metric, from the cache when it holds it. */
function cachedWhatIf(profile: Profile, profileKey: string, objective: Objective, metric: Metric): WhatIfResult {
  const key = `${profileKey}/${objective}/${metric}`;
  const hit = whatIfCache.get(key);
  if (hit && sameProfile(hit, profile)) {
    // The newest copy, so the next lookup is an identity check again.
    hit.profile = profile;
    return hit.result;
  }
  const result = whatIfOutlook(profile, objective, metric);
  whatIfCache.delete(key);
  whatIfCache.set(key, { profile, result });
  if (whatIfCache.size > WHATIF_CACHE_SIZE) whatIfCache.delete(whatIfCache.keys().next().value as string);
  return result;
}

/** The joint outlook for the question, or the reason there is none: a profile the search cannot evaluate is a message, not a broken page. */
function jointOutlookView(profile: Profile, input: ReportInput): JointOutlookView {
  try {
    return { ok: true, ...jointOutlook(profile, { concurrency: input.concurrency, objective: input.objective, metric: input.metric, weights: input.weights, constraints: input.constraints }) };
  } catch (e) {
    if (e instanceof RangeError) return { ok: false, reason: e.message };
    throw e;
  }
}

/** The memory × p section's HTML; the engine's builders escape every text, so the page may set it as innerHTML. */
export function outlookHtml(outlook: JointOutlookView): string {
  return jointSectionHtml(outlook.ok ? outlook : outlook.reason, 'heatmap');
}

/** Builds the report for `profile` (stored at workspace-relative `profileKey`) answering `input`, with the function's saved `runs`. */
export function buildReportView(profile: Profile, profileKey: string, input: ReportInput, runs: readonly RunCurve[] = []): ReportView {
  const result = optimize(profile, { concurrency: input.concurrency, objective: input.objective, metric: input.metric, model: input.model, weights: input.weights, constraints: input.constraints });
  const scalingMeasured: XY[] = profile.scaling.runs.map((r) => ({ x: r.concurrency, y: r.scaleTimeS }));
  const maxC = Math.max(input.concurrency, ...profile.scaling.runs.map((r) => r.concurrency));
  const scalingModel: XY[] = [];
  for (let i = 1; i <= MODEL_CURVE_POINTS; i++) {
    const n = Math.max(1, Math.round((maxC * i) / MODEL_CURVE_POINTS));
    scalingModel.push({ x: n, y: scalingTimeAt(profile, n, result.model) });
  }
  const packing: XY[] = profile.packing.samples.flatMap((s) => s.timesS.map((t) => ({ x: s.degree, y: t })));
  return {
    profileKey,
    functionName: profile.function.name,
    sourceDetail: describeSource(profile.source),
    input: { ...input, model: result.model },
    scalingMeasured,
    scalingModel,
    packing,
    candidates: result.candidates,
    recommended: result.predicted,
    baseline: result.baseline,
    pareto: result.pareto,
    runs: [...runs],
    constraintsRelaxed: result.constraintsRelaxed,
    ...(result.edge ? { edge: result.edge } : {}),
    outlook: jointOutlookView(profile, input),
    whatIf: cachedWhatIf(profile, profileKey, input.objective, input.metric),
    profile,
  };
}
