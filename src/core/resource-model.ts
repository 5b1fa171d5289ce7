/**
 * Execution time in packing degree q and vCPUs v, so configurations that were not measured can be
 * predicted: an instance packing q tasks of CPU work W (s on one vCPU) runs them on min(q, v) cores, each
 * task getting min(1, v/q) of a core, plus a fixed time a and a per-task cost b (I/O, memory bandwidth):
 *
 *   t(q, v) = s_arch · (a + b·q + W·max(1, q/v))
 *
 * which is the fitted model's packing curve a' + b·q + c·max(0, q − v) with a' = a + W and c = W/v, so a
 * configuration's model is the fitted model with that curve, that vCPU count and that price.
 * s_arch is 1 on x86_64 and the fitted arm64/x86_64 time ratio when both were measured (else 1, flagged).
 * When one configuration without a knee was measured, nothing separates CPU work from the rest; the model
 * then assumes the instance's whole time scales with its size below the measured vCPUs (CPU, network and
 * memory bandwidth all grow with memory on Lambda) and does not speed up above them: smaller sizes are
 * predicted slower at about the same cost, never faster.
 */
import { fitPackingCurve, type FittedModel } from './fitted-model';
import { vcpusForMemory } from './pricing';
import { leastSquares, median } from './stats';
import type { Architecture, PackingProfile, Profile } from './types';

/** One measured configuration: the primary function config or a variant. */
export interface MeasuredConfiguration {
  memoryMb: number;
  architecture: Architecture;
  vcpus: number;
  /** Isolated packing degrees measured there. */
  degrees: number[];
  packing: PackingProfile;
  initDurationS?: number;
}

export interface ResourceModel {
  /** Fixed time per instance a (s). */
  fixedS: number;
  /** Per-task time b that no extra vCPU shortens (s). */
  perTaskS: number;
  /** CPU work W of one task on one vCPU (s). */
  cpuWorkS: number;
  /** arm64 time / x86_64 time. */
  armSpeedFactor: number;
  /** False when no arm64 and x86_64 pair was measured and the factor is assumed 1. */
  armSpeedMeasured: boolean;
  /**
   * How W was identified: several vCPU counts, the knee of one configuration, or not at all (`assumed-
   * proportional`: time ∝ 1/vCPUs below `proportionalFromVcpus`, fixed above, with W = 0).
   */
  cpuWorkFrom: 'several-vcpu-counts' | 'one-configuration-knee' | 'assumed-proportional';
  /** The measured vCPUs the proportional assumption scales from (assumed-proportional only). */
  proportionalFromVcpus?: number;
  measured: MeasuredConfiguration[];
}

interface Point {
  q: number;
  v: number;
  t: number;
}

/** Every configuration a profile measured, primary first. */
export function measuredConfigurations(profile: Profile): MeasuredConfiguration[] {
  const fn = profile.function;
  const primary: MeasuredConfiguration = {
    memoryMb: fn.memoryMb,
    architecture: fn.architecture,
    vcpus: fn.vcpus ?? vcpusForMemory(fn.memoryMb),
    degrees: isolatedDegrees(profile.packing),
    packing: profile.packing,
    initDurationS: profile.initDurationS,
  };
  const variants = (profile.variants ?? []).map((v) => ({
    memoryMb: v.memoryMb,
    architecture: v.architecture,
    vcpus: v.vcpus ?? vcpusForMemory(v.memoryMb),
    degrees: isolatedDegrees(v.packing),
    packing: v.packing,
    initDurationS: v.initDurationS ?? profile.initDurationS,
  }));
  return [primary, ...variants];
}

function isolatedDegrees(packing: PackingProfile): number[] {
  return packing.samples
    .filter((s) => (s.concurrency ?? 1) === 1)
    .map((s) => s.degree)
    .sort((a, b) => a - b);
}

function pointsOf(c: MeasuredConfiguration): Point[] {
  return c.packing.samples
    .filter((s) => (s.concurrency ?? 1) === 1)
    .map((s) => ({ q: s.degree, v: c.vcpus, t: Math.max(0.001, median(s.timesS) - c.packing.clientOverheadS) }));
}

/** Least squares with the columns whose coefficient comes out negative dropped one by one (a small NNLS). */
function nonNegativeFit(rows: number[][], ts: number[]): number[] {
  const keep = rows[0].map((_, j) => j);
  for (;;) {
    const b = leastSquares(
      rows.map((r) => keep.map((j) => r[j])),
      ts,
    );
    let worst = -1;
    b.forEach((x, i) => {
      if (x < 0 && (worst < 0 || x < b[worst])) worst = i;
    });
    if (worst < 0 || keep.length === 1) {
      const coef = rows[0].map(() => 0);
      keep.forEach((j, i) => (coef[j] = Math.max(0, b[i])));
      return coef;
    }
    keep.splice(worst, 1);
  }
}

/** t(q, v) on x86_64 (s) for coefficients a, b, W. */
function timeAt(a: number, b: number, w: number, q: number, v: number): number {
  return a + b * q + w * Math.max(1, q / v);
}

/** Fits a, b, W and the arm64 factor to every configuration the profile measured. */
export function fitResourceModel(profile: Profile): ResourceModel {
  const measured = measuredConfigurations(profile);
  const x86 = measured.filter((c) => c.architecture === 'x86_64');
  // The base curve is x86's; a profile that measured only arm64 uses arm64 as the base (factor 1, flagged).
  const base = x86.length > 0 ? x86 : measured;
  const pts = base.flatMap(pointsOf);
  let a: number;
  let b: number;
  let w: number;
  let from: ResourceModel['cpuWorkFrom'];
  const cpuColumn = (p: Point): number => Math.max(1, p.q / p.v);
  // W shows only where the CPU column varies: several vCPU counts with a task count above one of them.
  if (new Set(pts.map((p) => p.v)).size >= 2 && new Set(pts.map(cpuColumn)).size >= 2) {
    if (new Set(pts.map((p) => p.q)).size >= 2 && pts.length >= 3) {
      [a, b, w] = nonNegativeFit(
        pts.map((p) => [1, p.q, cpuColumn(p)]),
        pts.map((p) => p.t),
      );
    } else {
      // One packing degree everywhere: the per-task time cannot be told from the fixed time, so it is folded in.
      [a, w] = nonNegativeFit(
        pts.map((p) => [1, cpuColumn(p)]),
        pts.map((p) => p.t),
      );
      b = 0;
    }
    from = 'several-vcpu-counts';
  } else {
    // The primary configuration's own curve; other sizes measured only where they cannot show CPU work add nothing.
    const own = pointsOf(base[0]);
    const v = own[0].v;
    const [a1, b1, c1] = fitPackingCurve(own, v);
    if (c1 > 0) {
      // The knee's slope is W/v: the curve at this configuration stays exactly the fitted model's.
      w = c1 * v;
      a = a1 - w;
      b = b1;
      from = 'one-configuration-knee';
    } else {
      w = 0;
      a = a1;
      b = b1;
      from = 'assumed-proportional';
    }
  }
  const arm = measured.filter((c) => c.architecture === 'arm64');
  let armSpeedFactor = 1;
  let armSpeedMeasured = false;
  if (arm.length > 0 && x86.length > 0) {
    const armPts = arm.flatMap(pointsOf);
    const f = armPts.map((p) => Math.max(0.001, timeAt(a, b, w, p.q, p.v)));
    armSpeedFactor = armPts.reduce((s, p, i) => s + p.t * f[i], 0) / f.reduce((s, x) => s + x * x, 0);
    armSpeedMeasured = true;
  }
  const rm: ResourceModel = { fixedS: a, perTaskS: b, cpuWorkS: w, armSpeedFactor, armSpeedMeasured, cpuWorkFrom: from, measured };
  if (from === 'assumed-proportional') rm.proportionalFromVcpus = pts[0].v;
  return rm;
}

/** The slow-down of a smaller instance under the proportional assumption (1 otherwise). */
function sizeFactor(rm: ResourceModel, vcpus: number): number {
  return rm.proportionalFromVcpus === undefined ? 1 : Math.max(1, rm.proportionalFromVcpus / vcpus);
}

/** Predicted median execution time of one isolated instance packing q tasks at a configuration (s). */
export function resourceExecutionTime(rm: ResourceModel, q: number, memoryMb: number, architecture: Architecture): number {
  const v = vcpusForMemory(memoryMb);
  const s = (architecture === 'arm64' ? rm.armSpeedFactor : 1) * sizeFactor(rm, v);
  return Math.max(0.001, s * timeAt(rm.fixedS, rm.perTaskS, rm.cpuWorkS, q, v));
}

/** The measured configuration at (memory, architecture), if any. */
export function measuredAt(rm: ResourceModel, memoryMb: number, architecture: Architecture): MeasuredConfiguration | undefined {
  return rm.measured.find((c) => c.memoryMb === memoryMb && c.architecture === architecture);
}

/**
 * The fitted model of the profile moved to another configuration: same start curve, load and spread, the
 * configuration's packing curve (its own measurements when it has at least two degrees, else the resource
 * model's), vCPUs, memory, architecture and init time. `measuredDegrees` is empty where nothing was measured.
 */
export function fittedModelAt(base: FittedModel, rm: ResourceModel, memoryMb: number, architecture: Architecture): FittedModel {
  const own = measuredAt(rm, memoryMb, architecture);
  const vcpus = own?.vcpus ?? vcpusForMemory(memoryMb);
  let packing: FittedModel['packing'];
  if (own && own.degrees.length >= 2) {
    packing = fitPackingCurve(pointsOf(own), vcpus);
  } else {
    const s = (architecture === 'arm64' ? rm.armSpeedFactor : 1) * sizeFactor(rm, vcpus);
    packing = [s * (rm.fixedS + rm.cpuWorkS), s * rm.perTaskS, (s * rm.cpuWorkS) / vcpus];
  }
  // One task alone runs as much slower or faster here as the packing curves say at q = 1.
  const one = (c: FittedModel['packing']): number => Math.max(0.001, c[0] + c[1] + c[2] * Math.max(0, 1 - vcpus));
  // A cold start's extra work (JIT, first connections) is CPU like the task's: it scales the same way.
  const speed = one(packing) / Math.max(0.001, base.packing[0] + base.packing[1] + base.packing[2] * Math.max(0, 1 - base.vcpus));
  return {
    ...base,
    taskAloneS: base.taskAloneS * speed,
    coldExtraS: base.coldExtraS * speed,
    packing,
    vcpus,
    memoryMb,
    architecture,
    initDurationS: own?.initDurationS ?? base.initDurationS,
    measuredDegrees: new Set(own?.degrees ?? []),
    maxMeasuredDegree: own ? Math.max(...own.degrees) : base.maxMeasuredDegree,
  };
}
