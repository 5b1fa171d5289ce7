/** `propack optimize ... --memory auto|MB --arch auto|x86_64|arm64`: memory, architecture and p together. */
import { optimizeJoint, type JointCandidate, type JointRequest } from '../../core/joint-optimizer';
import { MAX_MEMORY_MB, MIN_MEMORY_MB } from '../../core/pricing';
import type { Architecture, Recommendation } from '../../core/types';
import { saveProfile } from '../../engine/profile-store';
import { choice, positiveInt, UsageError, type ParsedArgs } from '../args';
import { change, describePrediction, predictionJson } from '../format';
import { modelCall, type ModelFlags } from '../model-flags';

/** True when the joint flags were given (without them `optimize` behaves exactly as before). */
export function wantsJoint(args: ParsedArgs): boolean {
  return args.flags.has('memory') || args.flags.has('arch');
}

/** Reads --memory, --arch and --task-memory into the request. */
export function jointRequest(args: ParsedArgs, cmd: string, base: JointRequest): JointRequest {
  const raw = args.flags.get('memory') ?? 'auto';
  let memoryMb: number | 'auto' = 'auto';
  if (raw !== 'auto') {
    const m = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || m < MIN_MEMORY_MB || m > MAX_MEMORY_MB) {
      throw new UsageError(`${cmd}: --memory must be auto or a whole number of MB from ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB}, got "${raw}"`);
    }
    memoryMb = m;
  }
  const architecture = choice(args, cmd, 'arch', ['auto', 'x86_64', 'arm64'] as const, 'auto') as Architecture | 'auto';
  const req: JointRequest = { ...base, memoryMb, architecture };
  if (args.flags.has('task-memory')) req.taskMemoryMb = positiveInt(args, cmd, 'task-memory', MAX_MEMORY_MB);
  return req;
}

const configJson = (c: JointCandidate): Record<string, unknown> => ({
  memoryMb: c.memoryMb,
  architecture: c.architecture,
  vcpus: Math.round(c.vcpus * 1000) / 1000,
  measured: c.measured,
  ...predictionJson(c),
});

/** Runs the joint search and prints it; returns the exit code. */
export function runJointOptimize(args: ParsedArgs, m: ModelFlags, req: JointRequest, cmd: string, out: (s: string) => void): number {
  const r = modelCall(cmd, () => optimizeJoint(m.profile, req));
  const c = r.choice;
  const noPacking = r.candidates.find((x) => x.memoryMb === c.memoryMb && x.architecture === c.architecture && x.packingDegree === 1) ?? c;
  if (args.booleans.has('save')) {
    const rec: Recommendation = {
      concurrency: req.concurrency,
      objective: req.objective,
      metric: req.metric,
      model: 'fitted',
      packingDegree: c.packingDegree,
      memoryMb: c.memoryMb,
      architecture: c.architecture,
      predicted: c,
      baseline: noPacking,
      decidedAt: new Date().toISOString(),
    };
    const others = (m.profile.recommendations ?? []).filter(
      (x) =>
        !(
          x.concurrency === rec.concurrency &&
          x.objective === rec.objective &&
          x.metric === rec.metric &&
          x.model === rec.model &&
          x.memoryMb !== undefined
        ),
    );
    saveProfile(m.profilePath, { ...m.profile, recommendations: [...others, rec] });
  }
  if (args.booleans.has('json')) {
    const json: Record<string, unknown> = {
      packingDegree: c.packingDegree,
      memoryMb: c.memoryMb,
      architecture: c.architecture,
      vcpus: Math.round(c.vcpus * 1000) / 1000,
      measured: c.measured,
      predicted: predictionJson(c),
      baseline: predictionJson(noPacking),
      reference: configJson(r.reference),
      memoryOnly: configJson(r.memoryOnly),
      tradeOff: { cost: round4(r.tradeOff.cost), serviceTime: round4(r.tradeOff.serviceTime), text: r.tradeOff.text },
      model: 'fitted',
      resourceModel: r.model,
      objective: r.objective,
      metric: r.metric,
      concurrency: r.concurrency,
      weights: r.weights,
      constraintsRelaxed: r.constraintsRelaxed,
      ...(r.oneMeasuredSize ? { oneMeasuredSize: r.oneMeasuredSize } : {}),
      grids: r.grids,
      pareto: r.pareto.map((x) => ({ memoryMb: x.memoryMb, architecture: x.architecture, packingDegree: x.packingDegree })),
    };
    if (args.booleans.has('candidates')) json.candidates = r.candidates.map(configJson);
    out(JSON.stringify(json));
  } else {
    out(
      `Recommended for ${m.profile.function.name} at C=${req.concurrency} (${req.objective}, ${req.metric}): ${c.memoryMb} MB ${c.architecture}, p=${c.packingDegree}${c.measured ? '' : ' (predicted, not measured)'}`,
    );
    out(`  chosen:      ${describePrediction(c)}`);
    out(`  ProPack:     ${r.reference.memoryMb} MB ${r.reference.architecture}, ${describePrediction(r.reference)}`);
    out(`  memory only: ${r.memoryOnly.memoryMb} MB ${r.memoryOnly.architecture}, ${describePrediction(r.memoryOnly)}`);
    out(
      `  trade-off:   ${r.tradeOff.text} (cost ${change(c.cost, r.reference.cost)}, time ${change(c.serviceTime, r.reference.serviceTime)})`,
    );
    if (!r.model.armSpeedMeasured && r.grids.some((g) => g.architecture === 'arm64'))
      out('  note: arm64 was not measured; its speed is assumed equal to x86_64');
    if (r.model.cpuWorkFrom === 'assumed-proportional')
      out('  note: one configuration without a vCPU knee was measured; other sizes assume time ∝ 1/vCPUs below it');
    if (r.oneMeasuredSize)
      out(
        `  note: only ${r.oneMeasuredSize.memoryMb} MB was measured: every other size is the resource model's extrapolation, searched no lower than ${r.oneMeasuredSize.floorMb} MB (propack profile --memory-sizes measures more)`,
      );
    if (r.constraintsRelaxed) out('  note: nothing met the constraints; showing the choice closest to them');
  }
  return 0;
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
