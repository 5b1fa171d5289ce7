/** A strict flag parser: unknown flags, missing values and bad numbers become one-line UsageErrors. */

/** Bad command-line input; the CLI prints the message on one line and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface FlagSpec {
  /** Flags that take a value (`--name value` or `--name=value`). */
  values: readonly string[];
  /** Flags that take no value. */
  booleans?: readonly string[];
  /** How many positional arguments are allowed. */
  positionals?: number;
}

export interface ParsedArgs {
  flags: Map<string, string>;
  booleans: Set<string>;
  positionals: string[];
}

/** Parses argv against a spec; throws UsageError naming the offending argument. */
export function parseArgs(command: string, argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const flags = new Map<string, string>();
  const booleans = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (spec.booleans?.includes(name)) {
        if (eq >= 0) throw new UsageError(`${command}: --${name} takes no value`);
        booleans.add(name);
        continue;
      }
      if (!spec.values.includes(name)) {
        throw new UsageError(`${command}: unknown option --${name} (see propack ${command} --help)`);
      }
      const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${command}: --${name} needs a value`);
      if (flags.has(name)) throw new UsageError(`${command}: --${name} given twice`);
      flags.set(name, value);
    } else {
      positionals.push(a);
    }
  }
  if (positionals.length > (spec.positionals ?? 0)) {
    throw new UsageError(`${command}: unexpected argument "${positionals[spec.positionals ?? 0]}" (see propack ${command} --help)`);
  }
  return { flags, booleans, positionals };
}

/** A required flag's value. */
export function required(args: ParsedArgs, command: string, name: string): string {
  const v = args.flags.get(name);
  if (v === undefined || v === '') throw new UsageError(`${command}: --${name} is required`);
  return v;
}

/** A positive integer flag (or the default when absent). */
export function positiveInt(args: ParsedArgs, command: string, name: string, max: number, fallback?: number): number {
  const raw = args.flags.get(name);
  if (raw === undefined) {
    if (fallback === undefined) throw new UsageError(`${command}: --${name} is required`);
    return fallback;
  }
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > max) {
    throw new UsageError(`${command}: --${name} must be a whole number from 1 to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

/** A positive number flag, or undefined when absent. */
export function optionalPositive(args: ParsedArgs, command: string, name: string): number | undefined {
  const raw = args.flags.get(name);
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v <= 0)
    throw new UsageError(`${command}: --${name} must be a positive number, got "${raw}"`);
  return v;
}

/** An optional number ≥ 0 (e.g. a cold start of 0 s: an already warm function). */
export function optionalNonNegative(args: ParsedArgs, command: string, name: string): number | undefined {
  const raw = args.flags.get(name);
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v < 0)
    throw new UsageError(`${command}: --${name} must be a number of at least 0, got "${raw}"`);
  return v;
}

/** One of a fixed set of words. */
export function choice<T extends string>(args: ParsedArgs, command: string, name: string, allowed: readonly T[], fallback?: T): T {
  const raw = args.flags.get(name);
  if (raw === undefined) {
    if (fallback === undefined) throw new UsageError(`${command}: --${name} is required (${allowed.join('|')})`);
    return fallback;
  }
  if (!(allowed as readonly string[]).includes(raw))
    throw new UsageError(`${command}: --${name} must be ${allowed.join('|')}, got "${raw}"`);
  return raw as T;
}
