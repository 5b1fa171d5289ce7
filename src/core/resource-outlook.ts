/**
 * Beyond p: what the reports show next to ProPack's choice. The joint (memory, architecture, p) choice with
 * its trade-off against ProPack's fixed 10,240 MB, the memory × p heatmaps, and the provisioning
 * simulation far beyond the profiled concurrencies. Pure, so the HTML report and the extension's report
 * page compute the same thing.
 */
import { heatmapsOf, type Heatmap } from './heatmap';
import { optimizeJoint, type JointCandidate, type TradeOff } from './joint-optimizer';
import { SCALING_RULES } from './provisioning-sim';
import type { ResourceModel } from './resource-model';
import type { Metric, Objective, OptimizeRequest, Profile } from './types';
import { measuredScalingRule, whatIf, type WhatIfRequest, type WhatIfResult } from './whatif';

/** Concurrencies the what-if view simulates: a 1-2-5 series up to 100,000. */
export const WHATIF_CONCURRENCIES: readonly number[] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];

export interface JointSummary {
  choice: JointCandidate;
  reference: JointCandidate;
  memoryOnly: JointCandidate;
  tradeOff: TradeOff;
  constraintsRelaxed: boolean;
  /** Memory sizes (MB) and architectures whose packing was measured; every other cell is predicted. */
  measured: { memoryMb: number; architecture: JointCandidate['architecture']; degrees: number[] }[];
  /** How the resource model separated CPU work from the rest (see resource-model.ts). */
  cpuWorkFrom: ResourceModel['cpuWorkFrom'];
  /**
   * True for a profile measured on the local platform: its load factor is the host's CPU contention, which
   * grows with the tasks running at once, so sizes with more vCPUs than the host has are predicted slow.
   */
  hostContention: boolean;
}

export interface ResourceOutlook {
  joint: JointSummary;
  heatmaps: Heatmap[];
  whatIf: WhatIfResult;
}

export interface OutlookRequest extends Pick<OptimizeRequest, 'weights' | 'constraints'> {
  concurrency: number;
  objective: Objective;
  metric: Metric;
}

/** The joint optimization with its heatmaps at `req.concurrency`; throws a RangeError when nothing can be evaluated. */
export function jointOutlook(profile: Profile, req: OutlookRequest): Pick<ResourceOutlook, 'joint' | 'heatmaps'> {
  const j = optimizeJoint(profile, { ...req, model: 'fitted', memoryMb: 'auto', architecture: 'auto' });
  return {
    joint: {
      choice: j.choice,
      reference: j.reference,
      memoryOnly: j.memoryOnly,
      tradeOff: j.tradeOff,
      constraintsRelaxed: j.constraintsRelaxed,
      measured: j.model.measured,
      cpuWorkFrom: j.model.cpuWorkFrom,
      hostContention: profile.source.kind === 'local',
    },
    heatmaps: heatmapsOf(j),
  };
}

/**
 * Service time and cost simulated at WHATIF_CONCURRENCIES, best p per C for the objective. Instances start
 * at the rate the profile measured, so the curve continues the measured points; Lambda's 2023 rule when the
 * profile measured no rate.
 */
export function whatIfOutlook(
  profile: Profile,
  objective: Objective,
  metric: Metric,
  options: Pick<WhatIfRequest, 'weights' | 'tailPercentile'> = {},
): WhatIfResult {
  const rule = measuredScalingRule(profile) ?? SCALING_RULES['aws-2023'];
  return whatIf(profile, { concurrencies: [...WHATIF_CONCURRENCIES], packingDegree: 'auto', rule, objective, metric, ...options });
}

/** Everything beyond p for one profile and question. */
export function resourceOutlook(profile: Profile, req: OutlookRequest): ResourceOutlook {
  return { ...jointOutlook(profile, req), whatIf: whatIfOutlook(profile, req.objective, req.metric, { weights: req.weights }) };
}
