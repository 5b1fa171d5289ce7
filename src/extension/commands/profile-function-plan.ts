// What Profile Function measures and asks, decided from its argument and the settings. Pure (no `vscode`),
// so unit-tested without the editor; profile-function.ts does the editor's part.
import type { TaskInput } from '../../engine/packed-run';
import type { ProfileQuestion } from '../../engine/workflow-profile';
import type { ProPackSettings } from '../settings';

/**
 * A small campaign: enough for the fitted model (three widths, four degrees) in well under a minute on
 * the local platform. Larger fan-outs are the job of `propack profile` on the command line.
 */
export const EDITOR_CAMPAIGN = {
  scalingLevels: [2, 4, 8],
  degrees: [1, 2, 4, 8],
  loadedInstances: 0,
  repetitions: { min: 2, max: 3, targetCv: 0.1 },
} as const;

/** Largest packing degree Profile Function measures when asked for more (the report's edge suggestion). */
export const MAX_PROFILED_DEGREE = 1000;

/** The packing degrees a caller asked for (`{ handler, degrees }`), or undefined for the editor campaign's. */
export function degreesFromArg(arg: unknown): number[] | undefined {
  if (typeof arg !== 'object' || arg === null || !('degrees' in arg)) return undefined;
  const d = (arg as { degrees: unknown }).degrees;
  if (!Array.isArray(d) || d.length === 0 || !d.every((x) => Number.isInteger(x) && x >= 1 && x <= MAX_PROFILED_DEGREE)) return undefined;
  return [...new Set(d as number[])].sort((a, b) => a - b);
}

/** The settings' question: the recommendation the CodeLens, the tree and Run Packed show. */
export function profileQuestionOf(
  s: Pick<ProPackSettings, 'defaultConcurrency' | 'objective' | 'metric' | 'weights' | 'maxPackingDegree'>,
): ProfileQuestion {
  return { concurrency: s.defaultConcurrency, objective: s.objective, metric: s.metric, weights: s.weights, maxDegree: s.maxPackingDegree };
}

/** The first step's words: where the profile is measured. */
export function connectingStep(s: Pick<ProPackSettings, 'platform' | 'awsProfile' | 'region'>): string {
  return `connecting to ${s.platform === 'aws' ? `AWS (${s.awsProfile}@${s.region})` : 'the local platform'}`;
}

/** Profiling tasks: the payload says it is a profiling call, which round and which task. */
export function profilingTasks(count: number, round: number): TaskInput[] {
  return Array.from({ length: count }, (_, i) => ({ id: `prof-${round}-${i}`, payload: { propackProfile: true, round, task: i } }));
}

/**
 * The progress bar's fractions (0–1): deploying takes 0.05, the campaign then `campaignShare`, and the
 * memory campaign the rest up to 0.95, in proportion to its work (one packing profile per other size).
 */
export function progressPlan(otherSizes: number): { campaign: (fraction: number) => number; memory: (sizesStarted: number) => number } {
  const share = otherSizes > 0 ? 0.9 * (1 / (1 + 0.5 * otherSizes)) : 0.9;
  return {
    campaign: (fraction) => 0.05 + share * fraction,
    memory: (started) => 0.05 + share + (0.9 - share) * ((started - 0.5) / otherSizes),
  };
}
