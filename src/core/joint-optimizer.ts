/**
 * Chooses memory size, architecture and packing degree together. ProPack fixes the instance at 10,240 MB
 * x86_64 and tunes p; memory tuners fix p = 1. Searching all three finds, for example, a 3.5 GB instance
 * packing 6 tasks that costs less than 10 GB packing 20 at nearly the same service time.
 */
import { comparisonText } from './compare-text';
import { buildFittedModel, fittedPredict, type FittedModel } from './fitted-model';
import { chooseDegree, DEFAULT_WEIGHTS, paretoFront, predictionScorer } from './optimizer';
import { MAX_MEMORY_MB, MB_PER_VCPU, MIN_MEMORY_MB } from './pricing';
import { fitResourceModel, fittedModelAt, measuredAt, type ResourceModel } from './resource-model';
import type { Architecture, OptimizeRequest, Prediction, Profile, Weights } from './types';

/** Memory sizes searched by default (MB): powers of two, each whole vCPU (1,769·k) and Lambda's maximum. */
export const JOINT_MEMORY_STEPS_MB: readonly number[] = [
  128,
  256,
  512,
  1024,
  1769,
  2048,
  3008,
  2 * MB_PER_VCPU,
  4096,
  3 * MB_PER_VCPU,
  6144,
  4 * MB_PER_VCPU,
  8192,
  5 * MB_PER_VCPU,
  MAX_MEMORY_MB,
].sort((a, b) => a - b);

/** ProPack's own instance: the largest Lambda size on x86_64; only p is tuned. */
export const PROPACK_FIXED_CONFIG = { memoryMb: MAX_MEMORY_MB, architecture: 'x86_64' as Architecture };

/**
 * The reference ProPack's choice is made at: a measured x86_64 size within 5% of the largest (ProPack's own
 * runs used 10,000 MB) rather than the unmeasured 10,240 MB, else PROPACK_FIXED_CONFIG.
 */
export function propackReferenceConfig(rm: Pick<ResourceModel, 'measured'>): { memoryMb: number; architecture: Architecture } {
  const near = rm.measured
    .filter((c) => c.architecture === 'x86_64' && c.memoryMb >= MAX_MEMORY_MB * 0.95)
    .sort((a, b) => b.memoryMb - a.memoryMb)[0];
  return near ? { memoryMb: near.memoryMb, architecture: 'x86_64' } : PROPACK_FIXED_CONFIG;
}

/**
 * How far below the measured vCPUs a search from one measured size goes: a quarter of its memory at most.
 * One size separates CPU work from the rest only through its packing knee (or assumes it), so 128 MB
 * predicted from a 10 GB profile would be a guess 80 times removed.
 */
export const ONE_SIZE_EXTRAPOLATION = 4;

export interface JointRequest extends OptimizeRequest {
  /** A fixed memory size (MB), or 'auto' (default) to search. */
  memoryMb?: number | 'auto';
  /** A fixed architecture, or 'auto' (default) to search both. */
  architecture?: Architecture | 'auto';
  /** Memory sizes to search instead of JOINT_MEMORY_STEPS_MB (MB). */
  memoryStepsMb?: readonly number[];
  /** Memory one packed task needs (MB): p tasks need p times this. Default Lambda's minimum, 128 MB. */
  taskMemoryMb?: number;
}

/** Memory one task is assumed to need when the request does not say (MB): Lambda's smallest function. */
export const DEFAULT_TASK_MEMORY_MB = MIN_MEMORY_MB;

/** A prediction at one (memory, architecture, p). */
export interface JointCandidate extends Prediction {
  memoryMb: number;
  architecture: Architecture;
  vcpus: number;
  /** True when this exact (memory, architecture, p) was measured; false when the model predicts it. */
  measured: boolean;
}

export interface TradeOff {
  /** Fractional cost change against the reference (−0.31 = 31% cheaper). */
  cost: number;
  /** Fractional service-time change against the reference (0.04 = 4% slower). */
  serviceTime: number;
  /** "3,538 MB x86_64, p=6: 31% cheaper, 4% slower than 10,240 MB x86_64, p=20". */
  text: string;
}

/** The objective over memory (rows) × p (columns) for one architecture; null where p is not a candidate. */
export interface JointGrid {
  architecture: Architecture;
  memoriesMb: number[];
  degrees: number[];
  /** Service time (s), cost (USD) or the weighted relative excess, as the objective says (lower is better). */
  objective: (number | null)[][];
  measured: boolean[][];
}

export interface JointResult {
  choice: JointCandidate;
  /** ProPack's choice: p tuned for the same goal at its fixed size (propackReferenceConfig: measured ~10 GB, else 10,240 MB x86_64). */
  reference: JointCandidate;
  /** Set when one memory size was measured: the search stayed at or above `floorMb` (MB). */
  oneMeasuredSize?: { memoryMb: number; floorMb: number };
  tradeOff: TradeOff;
  /** Memory-only tuning: the best (memory, architecture) at p = 1. */
  memoryOnly: JointCandidate;
  /** One heatmap per searched architecture. */
  grids: JointGrid[];
  candidates: JointCandidate[];
  pareto: JointCandidate[];
  model: Omit<ResourceModel, 'measured'> & { measured: { memoryMb: number; architecture: Architecture; degrees: number[] }[] };
  objective: OptimizeRequest['objective'];
  metric: OptimizeRequest['metric'];
  concurrency: number;
  weights: Weights;
  constraintsRelaxed: boolean;
}

/** Memory sizes (MB) to search: the steps plus every measured size, or the one fixed size. */
export function jointMemories(req: JointRequest, rm: ResourceModel): number[] {
  if (typeof req.memoryMb === 'number') return [req.memoryMb];
  const sizes = new Set([...(req.memoryStepsMb ?? JOINT_MEMORY_STEPS_MB), ...rm.measured.map((c) => c.memoryMb)]);
  const floor = oneSizeFloorMb(rm) ?? MIN_MEMORY_MB;
  return [...sizes].filter((m) => m >= floor && m <= MAX_MEMORY_MB).sort((a, b) => a - b);
}

/** The smallest size a search may predict when only one memory size was measured (MB); undefined with several. */
export function oneSizeFloorMb(rm: Pick<ResourceModel, 'measured'>): number | undefined {
  const sizes = new Set(rm.measured.map((c) => c.memoryMb));
  if (sizes.size !== 1) return undefined;
  return Math.max(MIN_MEMORY_MB, Math.ceil([...sizes][0] / ONE_SIZE_EXTRAPOLATION));
}

function candidatesAt(model: FittedModel, req: JointRequest, maxP: number): JointCandidate[] {
  const out: JointCandidate[] = [];
  // p tasks must fit in the instance's memory (one task alone always gets its chance).
  const fit = Math.max(1, Math.floor(model.memoryMb / (req.taskMemoryMb ?? DEFAULT_TASK_MEMORY_MB)));
  for (let p = 1; p <= Math.min(maxP, fit); p++) {
    const pred = fittedPredict(model, req.concurrency, p, req.metric, req.tailPercentile, false);
    if (pred) {
      out.push({
        ...pred,
        memoryMb: model.memoryMb,
        architecture: model.architecture,
        vcpus: model.vcpus,
        measured: model.measuredDegrees.has(p),
      });
    }
  }
  return out;
}

/** "3,538 MB": a memory size (MB) as the trade-off and the reports write it. */
export const formatMb = (m: number): string => `${m.toLocaleString('en-US')} MB`;

/** Fractional change of `value` against `reference`. */
function change(value: number, reference: number): number {
  return reference === 0 ? 0 : (value - reference) / reference;
}

/** The trade-off of a choice against a reference, in numbers and words. */
export function tradeOff(choice: JointCandidate, reference: JointCandidate): TradeOff {
  const cost = change(choice.cost, reference.cost);
  const serviceTime = change(choice.serviceTime, reference.serviceTime);
  const text =
    `${formatMb(choice.memoryMb)} ${choice.architecture}, p=${choice.packingDegree}: ` +
    comparisonText(
      [
        { quantity: 'cost', change: cost },
        { quantity: 'time', change: serviceTime },
      ],
      `${formatMb(reference.memoryMb)} ${reference.architecture}, p=${reference.packingDegree}`,
    );
  return { cost, serviceTime, text };
}

/** Searches (memory, architecture, p) for the goal; throws a RangeError when nothing can be evaluated. */
export function optimizeJoint(profile: Profile, req: JointRequest): JointResult {
  if ((req.model ?? 'fitted') !== 'fitted')
    throw new RangeError('memory and architecture search needs the fitted model (the classic model is fixed to one configuration)');
  const base = buildFittedModel(profile);
  const rm = fitResourceModel(profile);
  const memories = jointMemories(req, rm);
  // 'auto' tries arm64 only where it was measured: its speed is otherwise a guess (factor 1) that its lower
  // price alone would turn into a recommendation. Asking for arm64 explicitly uses the guess, flagged.
  const bothKnown = rm.armSpeedMeasured || rm.measured.every((c) => c.architecture === 'arm64');
  const archs: Architecture[] =
    req.architecture !== undefined && req.architecture !== 'auto' ? [req.architecture] : bothKnown ? ['x86_64', 'arm64'] : ['x86_64'];
  const maxP = Math.max(1, Math.min(req.concurrency, req.maxDegree ?? Math.max(...rm.measured.map((c) => Math.max(...c.degrees)))));
  const modelAt = (m: number, a: Architecture): FittedModel => fittedModelAt(base, rm, m, a);

  const byConfig = new Map<string, JointCandidate[]>();
  for (const a of archs) for (const m of memories) byConfig.set(`${m}/${a}`, candidatesAt(modelAt(m, a), req, maxP));
  const candidates = [...byConfig.values()].flat();
  if (candidates.length === 0)
    throw new RangeError('no (memory, architecture, packing degree) can be evaluated for this profile and concurrency');
  const { choice, relaxed } = chooseDegree(candidates, req, base.noise);
  const chosen = choice as JointCandidate;

  const ref = propackReferenceConfig(rm);
  const refCandidates =
    byConfig.get(`${ref.memoryMb}/${ref.architecture}`) ?? candidatesAt(modelAt(ref.memoryMb, ref.architecture), req, maxP);
  // Without constraints ProPack's choice is its own argmin; with them, the same feasibility rule applies.
  const reference = (refCandidates.length > 0 ? chooseDegree(refCandidates, req, base.noise).choice : chosen) as JointCandidate;
  const p1 = candidates.filter((c) => c.packingDegree === 1);
  const memoryOnly = (p1.length > 0 ? chooseDegree(p1, req, base.noise).choice : chosen) as JointCandidate;

  // Full order statistics for the three predictions people read.
  const full = (c: JointCandidate): JointCandidate => {
    const pred = fittedPredict(modelAt(c.memoryMb, c.architecture), req.concurrency, c.packingDegree, req.metric, req.tailPercentile);
    return pred ? { ...c, ...pred } : c;
  };
  const result = { choice: full(chosen), reference: full(reference), memoryOnly: full(memoryOnly) };

  const w = req.weights ?? DEFAULT_WEIGHTS;
  const floorMb = oneSizeFloorMb(rm);
  const score = predictionScorer(candidates, req);
  const degrees = Array.from({ length: maxP }, (_, i) => i + 1);
  const grids: JointGrid[] = archs.map((a) => {
    const rows = memories.map((m) => byConfig.get(`${m}/${a}`) ?? []);
    return {
      architecture: a,
      memoriesMb: memories,
      degrees,
      objective: rows.map((row) =>
        degrees.map((p) => {
          const c = row.find((x) => x.packingDegree === p);
          return c ? score(c) : null;
        }),
      ),
      measured: memories.map((m) => degrees.map((p) => measuredAt(rm, m, a)?.degrees.includes(p) ?? false)),
    };
  });
  return {
    ...result,
    tradeOff: tradeOff(result.choice, result.reference),
    grids,
    candidates,
    pareto: paretoFront(candidates) as JointCandidate[],
    model: { ...rm, measured: rm.measured.map((c) => ({ memoryMb: c.memoryMb, architecture: c.architecture, degrees: c.degrees })) },
    objective: req.objective,
    metric: req.metric,
    concurrency: req.concurrency,
    weights: w,
    constraintsRelaxed: relaxed,
    ...(floorMb !== undefined ? { oneMeasuredSize: { memoryMb: rm.measured[0].memoryMb, floorMb } } : {}),
  };
}
