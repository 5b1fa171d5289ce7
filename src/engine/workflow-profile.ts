/**
 * Profile → recommend → save, the one copy the CLI (`propack profile`), the extension (Profile Function)
 * and the demo call: the profiling campaign, packing measured again at other memory sizes when asked,
 * the recommendation for the caller's question, and the profile file. Front ends keep only what differs
 * between them: where the function comes from, their question, and how they show progress.
 */
import { optimizeJoint, type JointResult } from '../core/joint-optimizer';
import { optimize } from '../core/optimizer';
import type { OptimizeRequest, OptimizeResult, Profile, Recommendation } from '../core/types';
import { setMemorySize } from './deploy';
import { runMemoryCampaign } from './memory-campaign';
import { runProfileCampaign, type CampaignOptions } from './profiler';
import { saveProfile } from './profile-store';

/** The question a recommendation answers: C, objective, metric and optionally weights and a degree cap. */
export type ProfileQuestion = Pick<OptimizeRequest, 'concurrency' | 'objective' | 'metric' | 'weights' | 'maxDegree'>;

export interface ProfileWorkflowOptions extends CampaignOptions {
  /** The recommendation's question. */
  question: ProfileQuestion;
  /** Where the profile is saved. */
  path: string;
  /** The name the profile is saved under (the workspace function's); default the Lambda name, `fn.name`. */
  profileName?: string;
  /** Other memory sizes (MB) to measure packing at; the function is reconfigured in place and set back. */
  memorySizesMb?: readonly number[];
  /** Memory campaign steps (its own progress: one packing profile per size). */
  onMemoryStep?: (step: string) => void;
  /** Also recommend (memory, p) among the measured sizes when variants were measured. */
  recommendMemory?: boolean;
}

/** The memory recommendation: the joint search's result, or why there is none. */
export type MemoryRecommendation = { ok: true; joint: JointResult } | { ok: false; reason: string };

export interface ProfileWorkflowResult {
  profile: Profile;
  path: string;
  /** The packing degree chosen at the function's own memory size. */
  choice: OptimizeResult;
  /** Memory sizes measured besides the function's own (MB). */
  otherSizesMb: number[];
  /** Present when `recommendMemory` was asked and variants were measured. */
  memory?: MemoryRecommendation;
}

/** The recommendation record a profile stores for `choice` (times s, costs USD). */
export function recommendationOf(choice: OptimizeResult, q: ProfileQuestion, decidedAt: string): Recommendation {
  return {
    concurrency: q.concurrency,
    objective: q.objective,
    metric: q.metric,
    model: choice.model,
    packingDegree: choice.packingDegree,
    predicted: choice.predicted,
    baseline: choice.baseline,
    decidedAt,
  };
}

/** Measures the packing and scaling profile, and the packing at the other memory sizes (variants). */
export async function measureProfile(o: ProfileWorkflowOptions): Promise<{ profile: Profile; otherSizesMb: number[] }> {
  const profile = await runProfileCampaign(o);
  const otherSizesMb = (o.memorySizesMb ?? []).filter((m) => m !== o.fn.memoryMb);
  if (otherSizesMb.length > 0) {
    profile.variants = await runMemoryCampaign({
      session: o.session,
      fn: o.fn,
      configure: (memoryMb) => setMemorySize(o.session.lambda, o.fn.name, memoryMb),
      configurations: otherSizesMb.map((memoryMb) => ({ memoryMb, architecture: o.fn.architecture })),
      degrees: o.degrees,
      makeTasks: o.makeTasks,
      repetitions: o.repetitions,
      signal: o.signal,
      onStep: o.onMemoryStep,
    });
  }
  // Profiles are looked up by the workspace function's name; the Lambda name may differ.
  if (o.profileName !== undefined) profile.function.name = o.profileName;
  return { profile, otherSizesMb };
}

/**
 * Recommends p for the question and saves the profile at `path` (the measurements are saved before the
 * memory search can fail); with `memorySizesMb`, adds the (memory, p) recommendation and saves again.
 * Throws a RangeError when the model can evaluate no packing degree.
 */
export function recommendAndSave(
  profile: Profile,
  q: ProfileQuestion,
  path: string,
  memorySizesMb?: readonly number[],
): Omit<ProfileWorkflowResult, 'otherSizesMb'> {
  const choice = optimize(profile, q);
  const decidedAt = new Date().toISOString();
  profile.recommendations = [recommendationOf(choice, q, decidedAt)];
  saveProfile(path, profile);
  if (memorySizesMb === undefined || !profile.variants?.length) return { profile, path, choice };
  let joint: JointResult;
  try {
    // Only the measured sizes: they are what this profile can vouch for.
    joint = optimizeJoint(profile, { ...q, architecture: profile.function.architecture, memoryStepsMb: memorySizesMb });
  } catch (e) {
    return { profile, path, choice, memory: { ok: false, reason: (e as Error).message } };
  }
  const c = joint.choice;
  profile.recommendations.push({
    ...recommendationOf(choice, q, decidedAt),
    packingDegree: c.packingDegree,
    memoryMb: c.memoryMb,
    architecture: c.architecture,
    predicted: c,
  });
  saveProfile(path, profile);
  return { profile, path, choice, memory: { ok: true, joint } };
}

/** Profile → recommend → save: measures, recommends for the question, saves the profile at `path`. */
export async function profileRecommendSave(o: ProfileWorkflowOptions): Promise<ProfileWorkflowResult> {
  const ownMemoryMb = o.fn.memoryMb;
  const { profile, otherSizesMb } = await measureProfile(o);
  const sizes = o.recommendMemory ? [ownMemoryMb, ...otherSizesMb] : undefined;
  return { ...recommendAndSave(profile, o.question, o.path, sizes), otherSizesMb };
}
