/** `propack optimize --profile F --concurrency C --objective time|cost|both --metric net|tail|median ...` */
import { optimize } from '../../core/optimizer';
import { recommendationNotes } from '../../report/format';
import { OBJECTIVES } from '../../core/objectives';
import type { OptimizeRequest, Recommendation } from '../../core/types';
import { saveProfile } from '../../engine/profile-store';
import { choice, optionalPositive, parseArgs, positiveInt, UsageError } from '../args';
import { accountLimitOf } from '../../core/limits';
import { accountLimitNote, change, describePrediction, edgeAdvice, modelledJson, modelledNote, predictionJson } from '../format';
import { modelCall, parseWeights, readModelFlags } from '../model-flags';
import { jointRequest, runJointOptimize, wantsJoint } from './optimize-joint';

export const OPTIMIZE_HELP = `Usage: propack optimize --profile FILE --concurrency C --objective time|cost|both
                        --metric net|tail|median [--model classic|fitted] [--weights cost=0.55,time=0.45]
                        [--max-degree N] [--tail-percentile 90|95] [--dispatch direct|stepfunctions] [--max-service-time S] [--max-cost USD]
                        [--memory auto|MB] [--arch auto|x86_64|arm64] [--task-memory MB]
                        [--candidates] [--save] [--json]

Chooses the packing degree p for C concurrent tasks.
  --objective         time: least service time; cost: least expense; both: weighted relative excess
  --metric            net: all tasks done; tail: p90 (or --tail-percentile 95); median: p50
  --model             fitted (default): fitted curves, full Lambda price; classic: ProPack's own model
  --weights           weights of relative cost and time excess for --objective both (default 0.55/0.45)
  --max-degree N      largest p to consider (fitted default: the largest measured p; may extrapolate)
  --max-service-time  constraint: predicted service time at most S seconds
  --max-cost          constraint: predicted cost at most USD
  --memory            search memory sizes too (auto: 128 MB to 10,240 MB incl. every 1,769·k MB) or fix one;
                      the JSON then adds memoryMb, architecture, reference (ProPack's 10,240 MB x86_64
                      choice), tradeOff, memoryOnly (best at p=1) and a memory × p grid of the objective
  --arch              search architectures too (auto tries arm64 only where it was measured) or fix one
  --task-memory MB    memory one packed task needs (default 128): p tasks need p times this
  --candidates        include the prediction for every p in the JSON
  --save              store the recommendation in the profile file
  --json              print one JSON object`;

/** Runs the command; returns the exit code. */
export function runOptimize(argv: string[], out: (s: string) => void): number {
  const cmd = 'optimize';
  const args = parseArgs(cmd, argv, {
    values: [
      'profile',
      'concurrency',
      'objective',
      'metric',
      'model',
      'weights',
      'max-degree',
      'tail-percentile',
      'dispatch',
      'max-service-time',
      'max-cost',
      'memory',
      'arch',
      'task-memory',
    ],
    booleans: ['json', 'candidates', 'save'],
  });
  const m = readModelFlags(args, cmd);
  const req: OptimizeRequest = {
    concurrency: m.concurrency,
    objective: choice(args, cmd, 'objective', OBJECTIVES),
    metric: m.metric,
    model: m.model,
    tailPercentile: m.tailPercentile,
    dispatch: m.dispatch,
  };
  if (args.flags.has('weights')) req.weights = parseWeights(args.flags.get('weights') as string, cmd);
  if (args.flags.has('max-degree')) req.maxDegree = positiveInt(args, cmd, 'max-degree', 100000);
  const maxServiceTimeS = optionalPositive(args, cmd, 'max-service-time');
  const maxCostUsd = optionalPositive(args, cmd, 'max-cost');
  if (maxServiceTimeS !== undefined || maxCostUsd !== undefined) req.constraints = { maxServiceTimeS, maxCostUsd };
  if (wantsJoint(args)) {
    // The joint search is over Lambda memory sizes and architectures: an endpoint of another platform has none.
    if (m.profile.source.platform)
      throw new UsageError(
        `${cmd}: --memory and --arch search Lambda configurations; this ${m.profile.source.platform.name} profile has none`,
      );
    return runJointOptimize(args, m, jointRequest(args, cmd, req), cmd, out);
  }
  if (args.flags.has('task-memory')) throw new UsageError(`${cmd}: --task-memory needs --memory or --arch`);
  const result = modelCall(cmd, () => optimize(m.profile, req));
  if (args.booleans.has('save')) {
    const rec: Recommendation = {
      concurrency: req.concurrency,
      objective: req.objective,
      metric: req.metric,
      model: result.model,
      packingDegree: result.packingDegree,
      predicted: result.predicted,
      baseline: result.baseline,
      decidedAt: new Date().toISOString(),
    };
    const others = (m.profile.recommendations ?? []).filter(
      (r) =>
        !(
          r.concurrency === rec.concurrency &&
          r.objective === rec.objective &&
          r.metric === rec.metric &&
          r.model === rec.model &&
          r.memoryMb === undefined
        ),
    );
    saveProfile(m.profilePath, { ...m.profile, recommendations: [...others, rec] });
  }
  const limit = accountLimitOf(m.profile);
  if (args.booleans.has('json')) {
    const json: Record<string, unknown> = {
      packingDegree: result.packingDegree,
      predicted: predictionJson(result.predicted),
      baseline: predictionJson(result.baseline),
      improvement: {
        serviceTime: relative(result.predicted.serviceTime, result.baseline.serviceTime),
        cost: relative(result.predicted.cost, result.baseline.cost),
      },
      model: result.model,
      objective: result.objective,
      metric: result.metric,
      concurrency: result.concurrency,
      weights: result.weights,
      constraintsRelaxed: result.constraintsRelaxed,
      pareto: result.pareto.map((p) => p.packingDegree),
      ...(result.edge ? { edge: result.edge } : {}),
      ...(result.nearTie ? { nearTie: result.nearTie } : {}),
      ...(result.model === 'fitted' ? { accountLimit: limit.limit, accountLimitAssumed: limit.assumed } : {}),
      ...(result.predicted.extrapolated ? { extrapolated: result.predicted.extrapolated } : {}),
      ...modelledJson(m.profile),
    };
    if (args.booleans.has('candidates')) json.candidates = result.candidates.map(predictionJson);
    out(JSON.stringify(json));
  } else {
    const p = result.predicted;
    const b = result.baseline;
    out(
      `Recommended packing degree for ${m.profile.function.name} at C=${req.concurrency} (${req.objective}, ${req.metric}, ${result.model} model): p=${p.packingDegree}`,
    );
    out(`  packed:     ${describePrediction(p)}`);
    out(`  no packing: ${describePrediction(b)}`);
    out(`  change:     service time ${change(p.serviceTime, b.serviceTime)}, cost ${change(p.cost, b.cost)}`);
    if (result.constraintsRelaxed) out('  note: no degree met the constraints; showing the one closest to them (least relative overrun)');
    if (result.edge) out(`  note: ${edgeAdvice(result.edge)}`);
    // The caveats the panel and the Optimize message show too; a known account limit is a plain fact here.
    for (const n of recommendationNotes(result, limit)) out(`  note: ${n}`);
    if (result.model === 'fitted' && !limit.assumed) out(`  ${accountLimitNote(limit.limit, false)}`);
    const modelled = modelledNote(m.profile);
    if (modelled) out(`  note: ${modelled}`);
  }
  return 0;
}

/** Fractional change against the baseline (−0.63 = 63% less). */
function relative(value: number, baseline: number): number {
  return baseline === 0 ? 0 : Math.round(((value - baseline) / baseline) * 1e4) / 1e4;
}
