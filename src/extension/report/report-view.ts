// Turns a profile and the user's question into the data the report page charts. Pure (no `vscode`),
// so it is unit-tested with Node's runner and bundled into the report page, which re-optimizes with it.
import type { Profile } from '../../core/types';
import { optimize } from '../../core/optimizer';
import { scalingTimeAt } from '../../core/predict';
import type { ReportInput, ReportView, RunCurve, XY } from '../protocol';

/** Points on the model's scaling curve: enough for a smooth line up to the largest measured C. */
const MODEL_CURVE_POINTS = 50;

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
    sourceDetail: [profile.source.kind, profile.source.detail].filter(Boolean).join(': '),
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
    profile,
  };
}
