import { randomBytes } from 'node:crypto';
import { availableParallelism, totalmem } from 'node:os';
// The one leaf of core the runtime may import: Lambda's limits, a file with no imports of its own.
import { MAX_VCPUS, MB_PER_VCPU } from '../core/lambda-limits';
import type { InstanceInfo } from './protocol';

// Made once per module load: the module load is the execution environment's lifetime.
const generatedId = `i-${randomBytes(6).toString('hex')}`;
let invocations = 0;

function positiveInt(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : undefined;
}

/** vCPUs of this instance: PROPACK_VCPUS, else derived from Lambda's memory size, else the host's cores. */
export function instanceVcpus(env: NodeJS.ProcessEnv = process.env): number {
  const forced = positiveInt(env.PROPACK_VCPUS);
  if (forced !== undefined) return forced;
  const memory = positiveInt(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  if (memory !== undefined) return Math.min(MAX_VCPUS, Math.max(1, Math.ceil(memory / MB_PER_VCPU)));
  return availableParallelism();
}

/** Memory of this instance in MB: Lambda's configured size, else the host's total memory. */
export function instanceMemoryMb(env: NodeJS.ProcessEnv = process.env): number {
  return positiveInt(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE) ?? Math.round(totalmem() / 2 ** 20);
}

/** Instance id: PROPACK_INSTANCE_ID, else a random id made once per module load. */
export function instanceId(env: NodeJS.ProcessEnv = process.env): string {
  return env.PROPACK_INSTANCE_ID || generatedId;
}

/** Records one invocation and tells whether it was the module's first (cold) one. */
export function recordInvocation(): boolean {
  invocations += 1;
  return invocations === 1;
}

/** Identity of this instance for a response; `cold` comes from `recordInvocation`. */
export function describeInstance(cold: boolean, env: NodeJS.ProcessEnv = process.env): InstanceInfo {
  return { id: instanceId(env), cold, vcpus: instanceVcpus(env), memoryMb: instanceMemoryMb(env) };
}
