/** `propack whatif --profile F --concurrency 1000,10000,100000 --packing-degree p|auto [--rule ...]` */
import { SCALING_RULES } from '../../core/provisioning-sim';
import type { ScalingRule, SimulationResult } from '../../core/provisioning-sim';
import type { Profile, TailPercentile } from '../../core/types';
import { METRICS, OBJECTIVES } from '../../core/objectives';
import { measuredScalingRule, whatIf, type WhatIfRequest } from '../../core/whatif';
import { choice, optionalNonNegative, parseArgs, positiveInt, required, UsageError, type ParsedArgs } from '../args';
import { change, modelledJson, modelledNote, seconds, usd } from '../format';
import { MAX_CONCURRENCY, modelCall, parseWeights, readProfileFlag } from '../model-flags';

export const WHATIF_HELP = `Usage: propack whatif --profile FILE --concurrency C1,C2,... --packing-degree p|auto
                      [--rule aws-2023|aws-2021|profile] [--account-limit N] [--cold-start S]
                      [--objective time|cost|both] [--weights cost=0.55,time=0.45] [--metric net|tail|median]
                      [--tail-percentile 90|95] [--max-degree N] [--json]

Simulates instance provisioning for concurrencies far beyond the profiled ones (up to ${MAX_CONCURRENCY.toLocaleString('en-US')}):
the scaling-rate rule (aws-2023: 1,000 new environments per 10 s; aws-2021: a burst of 3,000, then 500 per
minute; profile: the start rate the profile measured, bounding warm starts too, as the report's what-if
chart uses, and the default for a funcX profile, which Lambda's rules do not describe), the account
concurrency (default the profile's, else Lambda's 1,000, flagged as assumed) with throttled requests
retried, warm reuse, cold starts (--cold-start 0: warm), and packed execution times from the fitted model.
Prints service time and cost at p and without packing. auto: the best p for --objective (default time)
among the degrees whose instances stay within Lambda's 900 s timeout; an explicit p past it
is an error.`;

const simJson = (s: SimulationResult): Record<string, number> => ({
  packingDegree: s.packingDegree,
  instances: s.instances,
  serviceTime: Math.round(s.serviceTime * 1e6) / 1e6,
  scalingTime: Math.round(s.scalingTime * 1e6) / 1e6,
  cost: Math.round(s.cost * 1e10) / 1e10,
  coldStarts: s.coldStarts,
  peakConcurrency: s.peakConcurrency,
  throttled: s.throttled,
});

function readConcurrencies(raw: string, cmd: string): number[] {
  const list = raw.split(',').map((x) => x.trim());
  if (list.some((x) => !/^\d+$/.test(x) || Number(x) < 1 || Number(x) > MAX_CONCURRENCY)) {
    throw new UsageError(`${cmd}: --concurrency must be whole numbers from 1 to ${MAX_CONCURRENCY} separated by commas, got "${raw}"`);
  }
  return list.map(Number);
}

/**
 * The --rule: a published one, or the start rate the profile measured (a UsageError when it measured none).
 * Lambda's rules say nothing about another platform, so a funcX profile defaults to its measured rate.
 */
function scalingRule(args: ParsedArgs, cmd: string, profile: Profile): ScalingRule {
  const fallback = profile.source.platform ? 'profile' : 'aws-2023';
  const name = choice(args, cmd, 'rule', ['aws-2023', 'aws-2021', 'profile'] as const, fallback);
  if (name !== 'profile') return SCALING_RULES[name];
  const measured = measuredScalingRule(profile);
  if (!measured) throw new UsageError(`${cmd}: --rule profile needs a profile whose scaling runs started two or more instances`);
  return measured;
}

/** Runs the command; returns the exit code. */
export function runWhatIf(argv: string[], out: (s: string) => void): number {
  const cmd = 'whatif';
  const args = parseArgs(cmd, argv, {
    values: [
      'profile',
      'concurrency',
      'packing-degree',
      'rule',
      'account-limit',
      'cold-start',
      'objective',
      'weights',
      'metric',
      'tail-percentile',
      'max-degree',
    ],
    booleans: ['json'],
  });
  const { profile } = readProfileFlag(args, cmd);
  const concurrencies = readConcurrencies(required(args, cmd, 'concurrency'), cmd);
  const rawP = required(args, cmd, 'packing-degree');
  const packingDegree = rawP === 'auto' ? 'auto' : positiveInt(args, cmd, 'packing-degree', 100000);
  const req: WhatIfRequest = {
    concurrencies,
    packingDegree,
    objective: choice(args, cmd, 'objective', OBJECTIVES, 'time'),
    metric: choice(args, cmd, 'metric', METRICS, 'net'),
    tailPercentile: Number(choice(args, cmd, 'tail-percentile', ['90', '95'] as const, '90')) as TailPercentile,
    rule: scalingRule(args, cmd, profile),
  };
  if (args.flags.has('weights')) req.weights = parseWeights(args.flags.get('weights') as string, cmd);
  if (args.flags.has('account-limit')) req.accountLimit = positiveInt(args, cmd, 'account-limit', 10_000_000);
  req.coldStartS = optionalNonNegative(args, cmd, 'cold-start');
  if (args.flags.has('max-degree')) req.maxDegree = positiveInt(args, cmd, 'max-degree', 100000);
  const r = modelCall(cmd, () => whatIf(profile, req));
  if (args.booleans.has('json')) {
    out(
      JSON.stringify({
        rule: r.rule,
        accountLimit: r.accountLimit,
        accountLimitAssumed: r.accountLimitAssumed,
        coldStartS: r.coldStartS,
        coldStartAssumed: r.coldStartAssumed,
        points: r.points.map((p) => ({
          concurrency: p.concurrency,
          packed: simJson(p.packed),
          noPacking: simJson(p.noPacking),
          ...(p.overTimeout ? { overTimeout: true } : {}),
        })),
        ...modelledJson(profile),
      }),
    );
    return 0;
  }
  out(
    `What-if for ${profile.function.name} (${r.rule.name}, account limit ${r.accountLimit}${r.accountLimitAssumed ? ' assumed' : ''}, cold start ${seconds(r.coldStartS)}${r.coldStartAssumed ? ' assumed' : ''}):`,
  );
  for (const p of r.points) {
    const a = p.packed;
    const b = p.noPacking;
    out(
      `  C=${p.concurrency}: p=${a.packingDegree} service ${seconds(a.serviceTime)} (scaling ${seconds(a.scalingTime)}), cost ${usd(a.cost)}, ${a.instances} instances` +
        ` | p=1 ${seconds(b.serviceTime)}, ${usd(b.cost)} | change ${change(a.serviceTime, b.serviceTime)} time, ${change(a.cost, b.cost)} cost` +
        (p.overTimeout ? " | note: no p keeps an instance within Lambda's 900 s timeout" : ''),
    );
  }
  const modelled = modelledNote(profile);
  if (modelled) out(`  note: ${modelled}`);
  return 0;
}
