/** Shared domain types of ProPack. Times are seconds, costs US dollars, memory megabytes. */

export type Architecture = 'x86_64' | 'arm64';
import type { Metric, Objective } from './objectives';

// Defined beside their value lists (OBJECTIVES, METRICS); re-exported so existing imports keep working.
export type { Metric, Objective };
export type ModelKind = 'classic' | 'fitted';
export type TailPercentile = 90 | 95;

export const PROFILE_SCHEMA = 'propack.profile/v1';

/** The function a profile describes and the configuration it was measured with. */
export interface FunctionConfig {
  name: string;
  memoryMb: number;
  architecture: Architecture;
  region: string;
  runtime?: string;
  /** vCPUs of one instance; derived from memory when absent. */
  vcpus?: number;
  /** Function timeout (s) it was deployed with, when ProPack deployed it. */
  timeoutS?: number;
  /** Names of the environment variables it was deployed with; never their values (they may be secrets). */
  environmentNames?: string[];
  /** Where each deployed setting came from, when ProPack deployed the function (Profile Function). */
  settingsSource?: SettingsSource;
}

/**
 * Where a deployed function's settings came from, one line each for people: a deployment file and the
 * path in it (`template.yaml (Globals.Function.MemorySize)`), or `default` (ProPack's own choice).
 */
export interface SettingsSource {
  memoryMb: string;
  timeoutS: string;
  architecture: string;
  /** The files and maps the variables came from, by name; `none` when there are none. */
  environment: string;
}

/** Where the measurements came from. */
export interface ProfileSource {
  kind: 'artifact' | 'local' | 'aws';
  createdAt: string;
  tool: string;
  /** Local platform preset, artifact app, AWS account alias: free text for people. */
  detail?: string;
  /** The platform the scaling runs were measured on when it is not AWS Lambda (or its local stand-in). */
  platform?: ForeignPlatform;
  /** What the profile models rather than measured, one sentence for people; every front end shows it. */
  modelled?: string;
}

/** A serverless platform other than Lambda: a funcX (Globus Compute) endpoint with W workers. */
export interface ForeignPlatform {
  name: 'funcx';
  /** Workers at the endpoint: tasks it runs at once. */
  workers: number;
  /** When the scaling runs were measured (ISO date). */
  measuredAt: string;
}

/**
 * One no-packing (p = 1) run at concurrency C. Instance offsets are seconds from the first instance's
 * start, sorted ascending; long runs are stored as evenly spaced order statistics (see `sampledFrom`).
 */
export interface ScalingRun {
  concurrency: number;
  /** Which app measured it, when the curve mixes apps (artifact --scaling-apps). */
  app?: string;
  /** Time from dispatch of the first invocation until the last instance started (s). */
  scaleTimeS: number;
  /** End-to-end time from dispatch until every invocation returned (s), when measured. */
  serviceTimeS?: number;
  /** Sorted start offsets of instances relative to the first start (s), possibly sampled. */
  startOffsetsS?: number[];
  /** Sorted completion offsets of instances relative to the first start (s), possibly sampled. */
  completionOffsetsS?: number[];
  /** Sorted in-function execution durations of instances (s), possibly sampled. */
  durationsS?: number[];
  /** Mean in-function duration over every instance (s); sampling keeps the shape, this keeps the bill. */
  meanDurationS?: number;
  /** Time from dispatch of the first invocation until the first instance started (s), when one clock saw both. */
  dispatchLatencyS?: number;
  /** Number of instances the sampled arrays summarize (equals C unless blank responses were lost). */
  sampledFrom?: number;
}

/** Execution time of one instance packing `degree` tasks; `timesS` holds every repetition (s). */
export interface PackingSample {
  degree: number;
  timesS: number[];
  /** Concurrency the sample was measured at (1 = isolated instance). */
  concurrency?: number;
}

export interface PackingProfile {
  samples: PackingSample[];
  /** Client-side round trip included in every packing time and not billed (s). */
  clientOverheadS: number;
  /** One task's execution time on a cold instance, alone (s, client round trip included as above). */
  coldTaskS?: number;
}

/**
 * Packing measured at another (memory, architecture) configuration of the same function; the top-level
 * `function` and `packing` stay the primary configuration.
 */
export interface ProfileVariant {
  memoryMb: number;
  architecture: Architecture;
  /** vCPUs of one instance; derived from memory when absent. */
  vcpus?: number;
  packing: PackingProfile;
  /** Measured cold-start duration at this configuration (s). */
  initDurationS?: number;
}

/** A packing degree chosen for a goal and stored with the profile for later runs. */
export interface Recommendation {
  concurrency: number;
  objective: Objective;
  metric: Metric;
  model: ModelKind;
  packingDegree: number;
  /** Memory and architecture chosen with p (joint search only; absent = the function's own). */
  memoryMb?: number;
  architecture?: Architecture;
  predicted: Prediction;
  baseline: Prediction;
  decidedAt: string;
}

/** The profile file (`propack.profile/v1`): human-readable JSON, stable enough to commit. */
export interface Profile {
  schema: typeof PROFILE_SCHEMA;
  function: FunctionConfig;
  source: ProfileSource;
  scaling: { runs: ScalingRun[] };
  packing: PackingProfile;
  /** Measured cold-start (init) duration that Lambda bills per new instance (s); 0 when unknown. */
  initDurationS?: number;
  /** Account or reserved concurrency the function runs under; when absent, Lambda's default 1,000 is assumed. */
  concurrencyLimit?: number;
  /** Packing measured at other memory sizes or architectures (the joint optimizer's input). */
  variants?: ProfileVariant[];
  recommendations?: Recommendation[];
}

/** What a model predicts for one (C, p). */
export interface Prediction {
  packingDegree: number;
  concurrency: number;
  /** Service time at the requested metric (s). */
  serviceTime: number;
  /** Time from dispatch until the last instance started (s). */
  scalingTime: number;
  /** Total expense (USD); with a Step Functions dispatch, its price included. */
  cost: number;
  /** The Step Functions part of `cost` (USD), when dispatched through a Distributed Map. */
  dispatchCost?: number;
  /** Instances started. */
  instances: number;
  /** Execution time of one instance packing p tasks (s). */
  executionTime: number;
  /** True when this packing degree was measured at a concurrency within the measured ones, false otherwise. */
  tested?: boolean;
  /** Fitted model: whether p lies outside the measured degrees, and C above the widest measured concurrency. */
  extrapolated?: { degree: boolean; concurrency: boolean };
  /** Service time order statistics (s), fitted model only. */
  percentiles?: { p50: number; p90: number; p95: number; max: number };
}

export interface Weights {
  cost: number;
  time: number;
}

export interface Constraints {
  maxServiceTimeS?: number;
  maxCostUsd?: number;
}

export interface OptimizeRequest {
  concurrency: number;
  objective: Objective;
  metric: Metric;
  model?: ModelKind;
  weights?: Weights;
  maxDegree?: number;
  tailPercentile?: TailPercentile;
  constraints?: Constraints;
  /** `stepfunctions`: the cost includes a Distributed Map's dispatch (core/step-functions.ts). */
  dispatch?: Dispatch;
}

/** How a packed run is dispatched: from the client, or through a Step Functions Distributed Map. */
export type Dispatch = 'direct' | 'stepfunctions';

/** A choice at the edge of the measured degrees, and which degrees to profile to know more. */
export interface DegreeEdge {
  /** largest/smallest: the choice is the largest/smallest measured degree; beyond/below: it is outside them. */
  side: 'largest' | 'smallest' | 'beyond' | 'below';
  /** The chosen packing degree. */
  degree: number;
  /** Distinct measured packing degrees, ascending. */
  measured: number[];
  /** Degrees a new profile should measure: the measured ones plus the next ones on the open side. */
  suggestedDegrees: number[];
  /** One line for people: what is at the edge and what to do. */
  message: string;
}

export interface OptimizeResult {
  packingDegree: number;
  predicted: Prediction;
  /** Prediction at p = 1 (no packing), for "x% faster, y% cheaper". */
  baseline: Prediction;
  /** Every candidate p, ascending. */
  candidates: Prediction[];
  /** Cost/time Pareto-optimal candidates, ascending by service time. */
  pareto: Prediction[];
  model: ModelKind;
  objective: Objective;
  metric: Metric;
  concurrency: number;
  weights: Weights;
  /** True when no candidate met the constraints and the one closest to them (least relative overrun) was returned. */
  constraintsRelaxed: boolean;
  /** Set when p is at (or past) the largest or smallest measured packing degree: the best p may lie outside what was profiled. */
  edge?: DegreeEdge;
  /**
   * Set when the strict argmin (`argmin`) was within the model's measurement noise (`tolerance`, relative)
   * of the choice on the objective, and the choice is better on the other axis (time for cost, cost for time).
   */
  nearTie?: NearTie;
}

/** A choice made among candidates the measurements cannot tell apart on the objective. */
export interface NearTie {
  /** The degree with the strictly best objective value. */
  argmin: number;
  /** Relative noise within which objective values count as equal (0.01 = 1%). */
  tolerance: number;
}
