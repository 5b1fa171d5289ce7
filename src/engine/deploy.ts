/** Creates or updates a function from a bundle, through the real Lambda client (AWS or local). */
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type FunctionConfiguration,
  type LambdaClient,
  type Runtime,
} from '@aws-sdk/client-lambda';
import type { Architecture } from '../core/types';
import type { FunctionBundle } from './bundle';
import { pollUntil } from './poll';

export interface DeployOptions {
  name: string;
  memoryMb: number;
  architecture: Architecture;
  /** Function timeout (s), at most 900. */
  timeoutS: number;
  /** Execution role ARN; required to create a function on AWS, any string locally. */
  role?: string;
  /** The function's variables, all of them (an update replaces the map); absent keeps an existing function's. */
  environment?: Record<string, string>;
  /** The Lambda runtime the template declares (checked by the caller); else the package's, else nodejs20.x. */
  runtime?: string;
}

export interface DeployResult {
  action: 'created' | 'updated' | 'unchanged';
  sha256: string;
}

/** The role the local platform is given: it runs code without IAM. */
export const LOCAL_ROLE = 'arn:aws:iam::000000000000:role/propack-local';

/** The runtime a Node.js package gets when nothing names one. */
export const DEFAULT_NODE_RUNTIME = 'nodejs20.x';

/** The package's Lambda runtime; the bundler names only runtimes Lambda has (the SDK's union is wider than its checks). */
function runtimeOf(bundle: FunctionBundle, declared?: string): Runtime {
  return (declared ?? bundle.runtime ?? DEFAULT_NODE_RUNTIME) as Runtime;
}

async function current(client: LambdaClient, name: string): Promise<FunctionConfiguration | undefined> {
  try {
    return (await client.send(new GetFunctionCommand({ FunctionName: name }))).Configuration;
  } catch (e) {
    if ((e as Error).name === 'ResourceNotFoundException') return undefined;
    throw e;
  }
}

/** Waits until Lambda finished applying a change (State not Pending, LastUpdateStatus not InProgress). */
export async function waitUntilSettled(client: LambdaClient, name: string, timeoutMs = 120_000): Promise<void> {
  await pollUntil(
    async () => {
      const c = await current(client, name);
      if (c?.LastUpdateStatus === 'Failed' || c?.State === 'Failed')
        throw new Error(`${name}: Lambda could not apply the change: ${c.LastUpdateStatusReason ?? c.StateReason ?? 'no reason given'}`);
      return c !== undefined && c.State !== 'Pending' && c.LastUpdateStatus !== 'InProgress';
    },
    { timeoutMs, what: `${name}: still updating` },
  );
}

/** Whether two variable maps hold the same names and values (in any order). */
function sameVariables(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}

/**
 * The function's variables with the package's own (bundle.environment, e.g. NODE_OPTIONS=--enable-source-maps)
 * added: the user's value of a name wins, except that a user's NODE_OPTIONS keeps the package's flags too.
 */
export function withBundleEnvironment(
  user: Record<string, string> | undefined,
  bundle: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!bundle) return user;
  const merged = { ...bundle, ...user };
  const flags = bundle.NODE_OPTIONS?.split(/\s+/).filter((f) => f && !(user?.NODE_OPTIONS ?? '').split(/\s+/).includes(f)) ?? [];
  if (user?.NODE_OPTIONS !== undefined && flags.length > 0) merged.NODE_OPTIONS = [user.NODE_OPTIONS, ...flags].join(' ').trim();
  return merged;
}

/** Deploys the bundle: creates the function, or updates code and configuration only where they changed. */
export async function deployFunction(client: LambdaClient, bundle: FunctionBundle, opts: DeployOptions): Promise<DeployResult> {
  const existing = await current(client, opts.name);
  // Without variables of the user's, an existing function keeps its own, with the package's added.
  const environment = withBundleEnvironment(
    opts.environment ?? (bundle.environment ? existing?.Environment?.Variables : undefined),
    bundle.environment,
  );
  const config = {
    MemorySize: opts.memoryMb,
    Timeout: opts.timeoutS,
    ...(environment ? { Environment: { Variables: environment } } : {}),
  };
  if (!existing) {
    if (!opts.role) throw new Error(`creating ${opts.name} on AWS needs an execution role: pass --role arn:aws:iam::<account>:role/<name>`);
    await client.send(
      new CreateFunctionCommand({
        FunctionName: opts.name,
        Runtime: runtimeOf(bundle, opts.runtime),
        Handler: bundle.handler,
        Role: opts.role,
        Architectures: [opts.architecture],
        Code: { ZipFile: bundle.zip },
        ...config,
      }),
    );
    await waitUntilSettled(client, opts.name);
    return { action: 'created', sha256: bundle.sha256 };
  }
  let changed = false;
  if (existing.CodeSha256 !== bundle.sha256 || (existing.Architectures?.[0] ?? 'x86_64') !== opts.architecture) {
    await client.send(new UpdateFunctionCodeCommand({ FunctionName: opts.name, ZipFile: bundle.zip, Architectures: [opts.architecture] }));
    await waitUntilSettled(client, opts.name);
    changed = true;
  }
  const envSame = environment === undefined || sameVariables(existing.Environment?.Variables ?? {}, environment);
  // A Node.js package names no runtime: without a declared one an existing function keeps its nodejs version.
  const wanted = opts.runtime ?? bundle.runtime;
  const runtime = wanted !== undefined && existing.Runtime !== wanted ? { Runtime: runtimeOf(bundle, opts.runtime) } : {};
  if (
    existing.MemorySize !== opts.memoryMb ||
    existing.Timeout !== opts.timeoutS ||
    !envSame ||
    existing.Handler !== bundle.handler ||
    'Runtime' in runtime
  ) {
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: opts.name, Handler: bundle.handler, ...runtime, ...config }));
    await waitUntilSettled(client, opts.name);
    changed = true;
  }
  return { action: changed ? 'updated' : 'unchanged', sha256: bundle.sha256 };
}

/** Changes only the memory size (MB) of a deployed function, as Lambda Power Tuning does, and waits until it applies. */
export async function setMemorySize(client: LambdaClient, name: string, memoryMb: number): Promise<void> {
  await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: memoryMb }));
  await waitUntilSettled(client, name);
}
