/** `propack predict --profile F --concurrency C --packing-degree p --metric net|tail|median ...` */
import { predict } from '../../core/predict';
import { parseArgs, positiveInt, UsageError } from '../args';
import { accountLimitOf } from '../../core/limits';
import { accountLimitNote, describePrediction, extrapolationNote, predictionJson, modelledJson, modelledNote } from '../format';
import { modelCall, readModelFlags } from '../model-flags';

export const PREDICT_HELP = `Usage: propack predict --profile FILE --concurrency C --packing-degree p --metric net|tail|median
                       [--model classic|fitted] [--tail-percentile 90|95] [--dispatch direct|stepfunctions] [--json]

Predicts service time (s), scaling time (s), cost (USD) and instances for C tasks packed p per instance.`;

/** Runs the command; returns the exit code. */
export function runPredict(argv: string[], out: (s: string) => void): number {
  const cmd = 'predict';
  const args = parseArgs(cmd, argv, {
    values: ['profile', 'concurrency', 'packing-degree', 'metric', 'model', 'tail-percentile', 'dispatch'],
    booleans: ['json'],
  });
  const m = readModelFlags(args, cmd);
  const packingDegree = positiveInt(args, cmd, 'packing-degree', 100000);
  if (packingDegree > m.concurrency)
    throw new UsageError(`${cmd}: --packing-degree ${packingDegree} exceeds --concurrency ${m.concurrency}`);
  const p = modelCall(cmd, () =>
    predict(m.profile, {
      concurrency: m.concurrency,
      packingDegree,
      metric: m.metric,
      model: m.model,
      tailPercentile: m.tailPercentile,
      dispatch: m.dispatch,
    }),
  );
  const limit = accountLimitOf(m.profile);
  if (args.booleans.has('json')) {
    out(
      JSON.stringify({
        ...predictionJson(p),
        model: m.model,
        metric: m.metric,
        ...(m.model === 'fitted' ? { accountLimit: limit.limit, accountLimitAssumed: limit.assumed } : {}),
        ...modelledJson(m.profile),
      }),
    );
    return 0;
  }
  out(describePrediction(p));
  // The classic model has no account limit: it is ProPack's own formula.
  if (m.model === 'fitted') out(`  ${accountLimitNote(limit.limit, limit.assumed)}`);
  const note = extrapolationNote(p);
  if (note) out(`  note: ${note}`);
  const modelled = modelledNote(m.profile);
  if (modelled) out(`  note: ${modelled}`);
  return 0;
}
