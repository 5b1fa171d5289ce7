/**
 * The bounds Lambda puts on a function's configuration (CreateFunction / UpdateFunctionConfiguration),
 * checked in one place: by the template reader before a deploy and by the embedded platform's API.
 * Each check returns a one-line reason, or undefined when the value is one Lambda accepts.
 */
import { MAX_TIMEOUT_S } from './fitted-model';
import { MAX_MEMORY_MB, MIN_MEMORY_MB } from './pricing';
import type { Architecture } from './types';

export { MAX_TIMEOUT_S };
export const MIN_TIMEOUT_S = 1;
export const ARCHITECTURES: readonly Architecture[] = ['x86_64', 'arm64'];

/** Keys the Lambda runtime sets itself; CreateFunction rejects a configuration that sets any of them. */
export const RESERVED_ENV_KEYS: ReadonlySet<string> = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
  'TZ',
]);
/**
 * A variable name: a letter, then letters, digits and underscores. (Lambda's API reference writes
 * `[a-zA-Z]([a-zA-Z0-9_])+`; one-letter names are let through here and left to Lambda to judge.)
 */
export const ENV_KEY_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]*$/;
/** Lambda's limit on all variables together (keys and values, UTF-8). */
export const MAX_ENV_BYTES = 4096;

export function memorySizeProblem(v: unknown): string | undefined {
  return Number.isInteger(v) && (v as number) >= MIN_MEMORY_MB && (v as number) <= MAX_MEMORY_MB
    ? undefined
    : `must be an integer from ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB} MB, got ${show(v)}`;
}

export function timeoutProblem(v: unknown): string | undefined {
  return Number.isInteger(v) && (v as number) >= MIN_TIMEOUT_S && (v as number) <= MAX_TIMEOUT_S
    ? undefined
    : `must be an integer from ${MIN_TIMEOUT_S} to ${MAX_TIMEOUT_S} seconds, got ${show(v)}`;
}

/** Lambda takes a list of exactly one architecture. */
export function architecturesProblem(v: unknown): string | undefined {
  return Array.isArray(v) && v.length === 1 && (ARCHITECTURES as readonly unknown[]).includes(v[0])
    ? undefined
    : `must be [x86_64] or [arm64], got ${show(v)}`;
}

/** Variables as Lambda accepts them: string values, valid and unreserved names, 4 KB in all. */
export function environmentProblem(vars: Record<string, unknown>): string | undefined {
  const reserved = Object.keys(vars).filter((k) => RESERVED_ENV_KEYS.has(k));
  if (reserved.length > 0) return `sets reserved keys the Lambda runtime sets itself: ${reserved.join(', ')}`;
  const badName = Object.keys(vars).find((k) => !ENV_KEY_PATTERN.test(k));
  if (badName !== undefined)
    return `has the name ${JSON.stringify(badName)}, which is not a letter followed by letters, digits and underscores`;
  const notString = Object.entries(vars).find(([, v]) => typeof v !== 'string');
  if (notString) return `${notString[0]} must be a string, got ${show(notString[1])}`;
  const utf8 = new TextEncoder();
  const bytes = Object.entries(vars).reduce((n, [k, v]) => n + utf8.encode(k).length + utf8.encode(v as string).length, 0);
  if (bytes > MAX_ENV_BYTES) return `takes ${bytes} bytes, over Lambda's ${MAX_ENV_BYTES}-byte limit`;
  return undefined;
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Lambda runtimes ProPack's packed runtimes run on, by package kind. */
export const PACKABLE_RUNTIMES = {
  node: ['nodejs18.x', 'nodejs20.x', 'nodejs22.x'],
  python: ['python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13'],
} as const;

/** Why a declared `Runtime` cannot run a package of `kind` (a Node.js bundle or a Python package), or undefined when it can. */
export function runtimeProblem(v: unknown, kind: keyof typeof PACKABLE_RUNTIMES): string | undefined {
  const allowed: readonly string[] = PACKABLE_RUNTIMES[kind];
  if (typeof v === 'string' && allowed.includes(v)) return undefined;
  return `must be one of ${allowed.join(', ')} for a ${kind === 'node' ? 'Node.js' : 'Python'} handler, got ${show(v)}`;
}

/** Whether `arn` is an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>, any partition). */
export function isRoleArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(arn);
}
