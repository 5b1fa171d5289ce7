/**
 * A memory campaign: the packing profile measured again at other memory sizes (and architectures, on
 * AWS), producing the profile's `variants`, which the joint optimizer's resource model fits. The function is
 * reconfigured in place (as Lambda Power Tuning does) and restored to its own configuration at the end.
 * The scaling profile is not repeated: instance starts do not depend on memory size in the model.
 */
import { vcpusForMemory } from '../core/pricing';
import type { Architecture, FunctionConfig, ProfileVariant } from '../core/types';
import type { PackedMode } from '../runtime/protocol';
import { runPacked, type TaskInput } from './packed-run';
import { measurePacking, type CampaignOptions } from './profiler';
import type { Session } from './session';

export interface MemoryCampaignOptions {
  session: Session;
  /** The function's own configuration (restored at the end). */
  fn: FunctionConfig;
  /** Reconfigures the deployed function in place and waits until Lambda applied the change. */
  configure: (memoryMb: number, architecture: Architecture) => Promise<unknown>;
  configurations: { memoryMb: number; architecture: Architecture }[];
  degrees: number[];
  makeTasks: (count: number, round: number) => TaskInput[];
  repetitions: CampaignOptions['repetitions'];
  /** Packed mode for a number of vCPUs (one vCPU or less runs best on the event loop); the runtime's default when absent. */
  modeFor?: (vcpus: number) => PackedMode;
  signal?: AbortSignal;
  onStep?: (step: string) => void;
}

/** What measuring packing at one configuration needs: the campaign's options without the reconfiguration. */
export type VariantOptions = Pick<
  MemoryCampaignOptions,
  'session' | 'fn' | 'degrees' | 'makeTasks' | 'repetitions' | 'modeFor' | 'signal' | 'onStep'
>;

/** Measures packing of the function as deployed now at (memory, architecture); `round` numbers its tasks. */
export async function measureVariant(
  o: VariantOptions,
  memoryMb: number,
  architecture: Architecture,
  round: number,
): Promise<ProfileVariant> {
  const degrees = [...new Set([1, ...o.degrees])].sort((a, b) => a - b);
  const vcpus = Math.round(vcpusForMemory(memoryMb) * 1000) / 1000;
  const cfg = { ...o.fn, memoryMb, architecture, vcpus };
  const mode = o.modeFor?.(vcpus);
  const run = (tasks: TaskInput[], p: number) =>
    runPacked({ invoker: o.session.invoker, functionName: o.fn.name, fn: cfg, tasks, packingDegree: p, mode, signal: o.signal });
  // A warm-up so the first sample is not a cold start.
  await run(o.makeTasks(1, round++), 1);
  const samples = await measurePacking(
    run,
    (count) => o.makeTasks(count, round++),
    degrees,
    o.repetitions,
    (p) => o.onStep?.(`  p=${p} at ${memoryMb} MB`),
  );
  return { memoryMb, architecture, vcpus, packing: { samples, clientOverheadS: 0 } };
}

/** Measures packing at each configuration; returns the variants (the function's own is skipped). */
export async function runMemoryCampaign(o: MemoryCampaignOptions): Promise<ProfileVariant[]> {
  const { fn, configure } = o;
  let round = 10_000;
  const variants: ProfileVariant[] = [];
  try {
    for (const c of o.configurations) {
      if (c.memoryMb === fn.memoryMb && c.architecture === fn.architecture) continue;
      o.onStep?.(`memory campaign: ${c.memoryMb} MB ${c.architecture}`);
      await configure(c.memoryMb, c.architecture);
      variants.push(await measureVariant(o, c.memoryMb, c.architecture, round));
      round += 1000;
    }
  } finally {
    await configure(fn.memoryMb, fn.architecture);
  }
  return variants;
}
