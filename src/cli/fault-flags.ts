/** The `--faults SPEC` and `--seed N` flags shared by commands that start the local platform. */
import { parseFaults, parseSeed, type FaultRates } from '../local';
import { UsageError, type ParsedArgs } from './args';

/** Fault options for `startLocalPlatform`, or none when the flags are absent; bad values are UsageErrors. */
export function faultFlags(args: ParsedArgs, command: string): { faults?: FaultRates; seed?: number } {
  try {
    const faults = args.flags.get('faults');
    const seed = args.flags.get('seed');
    return { ...(faults !== undefined ? { faults: parseFaults(faults) } : {}), ...(seed !== undefined ? { seed: parseSeed(seed) } : {}) };
  } catch (e) {
    throw new UsageError(`${command}: ${(e as Error).message}`);
  }
}
