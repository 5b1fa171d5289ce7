/** `--runtime R`: the Lambda runtime a deployed handler gets, one of those ProPack's packed runtimes run on. */
import { PACKABLE_RUNTIMES } from '../core/lambda-config';
import { UsageError, type ParsedArgs } from './args';

const ALL: readonly string[] = [...PACKABLE_RUNTIMES.python, ...PACKABLE_RUNTIMES.node];

/** The runtimes for help texts: `python3.9..python3.13 | nodejs18.x..nodejs22.x`. */
export const RUNTIME_CHOICES = ALL.join('|');

/** The --runtime value, checked against the packable runtimes (whether it fits the handler's language the bundler checks); undefined without the flag. */
export function runtimeFlag(args: ParsedArgs, command: string): string | undefined {
  const raw = args.flags.get('runtime');
  if (raw === undefined) return undefined;
  if (!ALL.includes(raw)) throw new UsageError(`${command}: --runtime must be one of ${ALL.join(', ')}, got "${raw}"`);
  return raw;
}
