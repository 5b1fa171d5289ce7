/**
 * Profiling a function ProPack did not deploy, without touching it: its code package (GetFunction →
 * Code.Location, a presigned URL) and configuration become a packed copy (`<name>-propack`) whose handler is
 * ProPack's runtime and whose original Handler travels in PROPACK_ORIGINAL_HANDLER, as tracing layers
 * redirect handlers. The original's CodeSha256 and configuration are checked before and after.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { environmentProblem, PACKABLE_RUNTIMES } from '../core/lambda-config';
import { ORIGINAL_HANDLER_ENV } from '../runtime/shim-config';
import { findDistDir } from './bundle';
import { PYTHON_HANDLER, PYTHON_RUNTIME_FILE } from './bundle-python';
import { waitUntilSettled } from './deploy';

/** The copy's name by default: `<name>-propack`, within Lambda's 64 characters. */
export function copyNameFor(name: string): string {
  return `${name.slice(0, 64 - '-propack'.length)}-propack`;
}

/** ProPack's runtime in the copy, under a name no Node package uses for its entry (`.cjs`: CommonJS even under `"type": "module"`). */
export const COPY_RUNTIME_FILE = 'propack-runtime.cjs';
/** The copy's Handler setting (a Node.js copy; a Python copy's is PYTHON_HANDLER, `propack_runtime.handler`). */
export const COPY_HANDLER = 'propack-runtime.handler';

/** How a copy of a runtime's function is made: ProPack's runtime for it, under which name, and the Handler that loads it. */
interface CopyKind {
  runtimeFile: string;
  /** The file in dist/ holding that runtime. */
  distFile: string;
  handler: string;
}

const NODE_COPY: CopyKind = { runtimeFile: COPY_RUNTIME_FILE, distFile: 'runtime.js', handler: COPY_HANDLER };
// The Python runtime imports the module PROPACK_ORIGINAL_HANDLER names (`dir/module.function` too), as Lambda's would.
const PYTHON_COPY: CopyKind = { runtimeFile: PYTHON_RUNTIME_FILE, distFile: PYTHON_RUNTIME_FILE, handler: PYTHON_HANDLER };

function copyKindOf(runtime: string | undefined): CopyKind {
  return (PACKABLE_RUNTIMES.python as readonly string[]).includes(runtime ?? '') ? PYTHON_COPY : NODE_COPY;
}
/** Lambda's limit on a zip uploaded directly in CreateFunction. */
const DIRECT_UPLOAD_LIMIT = 50 * 1024 * 1024;

/** The copy path cannot go on; one line saying what to do. */
export class DeployedCopyError extends Error {
  override name = 'DeployedCopyError';
}

/** A deployed function as GetFunction reads it: its configuration and its code package. */
export interface DeployedFunction {
  configuration: FunctionConfiguration;
  zip: Uint8Array;
}

/** Downloads a Code.Location (HTTPS on AWS, HTTP on the embedded platform); injectable for tests. */
export type Download = (url: string) => Promise<Uint8Array>;

/** Node's fetch of a presigned URL. */
export const fetchDownload: Download = async (url) => {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}: ${(await res.text()).replace(/\s+/g, ' ').slice(0, 200)}`);
  return new Uint8Array(await res.arrayBuffer());
};

/** Base64 SHA-256, Lambda's CodeSha256 form. */
function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

/** Why a deployed function cannot be copied with ProPack's runtime (one line), or undefined when it can: Node.js and Python 3.9+ zip functions. */
export function copyRefusal(c: Pick<FunctionConfiguration, 'FunctionName' | 'PackageType' | 'Runtime'>): string | undefined {
  const name = c.FunctionName ?? 'the function';
  if (c.PackageType === 'Image') return `${name} is a container image function: ProPack can copy zip functions only`;
  const runtime = c.Runtime ?? '';
  if (runtime.startsWith('nodejs') || (PACKABLE_RUNTIMES.python as readonly string[]).includes(runtime)) return undefined;
  return `${name} runs ${runtime || 'an unknown runtime'}: ProPack's packed runtimes are Node.js and Python, so only nodejs* and ${PACKABLE_RUNTIMES.python.join(', ')} functions can be copied and profiled`;
}

/**
 * Reads `name` with GetFunction and downloads its code package. Throws DeployedCopyError when it is not a
 * Node.js or Python zip function or the download fails or differs from its CodeSha256.
 */
export async function readDeployedFunction(
  client: LambdaClient,
  name: string,
  download: Download = fetchDownload,
): Promise<DeployedFunction> {
  let got;
  try {
    got = await client.send(new GetFunctionCommand({ FunctionName: name }));
  } catch (e) {
    throw new DeployedCopyError(`cannot read function ${name}: ${(e as Error).message.split('\n')[0]}`);
  }
  const configuration = got.Configuration;
  if (!configuration) throw new DeployedCopyError(`GetFunction of ${name} returned no configuration`);
  const refusal = copyRefusal(configuration);
  if (refusal) throw new DeployedCopyError(refusal);
  const location = got.Code?.Location;
  if (!location)
    throw new DeployedCopyError(
      `GetFunction of ${name} gave no Code.Location to download its package from (on the embedded platform, a function stored by an older ProPack keeps no package: deploy it again)`,
    );
  let zip: Uint8Array;
  try {
    zip = await download(location);
  } catch (e) {
    throw new DeployedCopyError(`cannot download the code of ${name} from its Code.Location: ${(e as Error).message.split('\n')[0]}`);
  }
  if (configuration.CodeSha256 && sha256(zip) !== configuration.CodeSha256) {
    throw new DeployedCopyError(
      `the package downloaded for ${name} has SHA-256 ${sha256(zip)}, not its CodeSha256 ${configuration.CodeSha256}: try again`,
    );
  }
  return { configuration, zip };
}

// Fixed timestamp and mode, as bundle.ts writes them: the same original gives the same copy package.
const ZIP_FILE_ATTRS = { mtime: new Date('2020-01-01T00:00:00Z'), os: 3, attrs: (0o100644 << 16) >>> 0 } as const;

/** The copy's package: every file of the original, as it is, and ProPack's runtime (`runtimeFile`, Node's by default) beside them. */
export function copyPackage(
  original: Uint8Array,
  runtimeJs: Uint8Array,
  name: string,
  runtimeFile: string = COPY_RUNTIME_FILE,
): { zip: Uint8Array; sha256: string } {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(original);
  } catch (e) {
    throw new DeployedCopyError(`the code package of ${name} is not a readable zip: ${(e as Error).message}`);
  }
  if (runtimeFile in files)
    throw new DeployedCopyError(
      `${name} already holds ${runtimeFile}: it is a ProPack copy; profile it directly with propack profile --function ${name}`,
    );
  const entries: Zippable = {};
  for (const [path, data] of Object.entries(files)) if (!path.endsWith('/')) entries[path] = [data, { ...ZIP_FILE_ATTRS, level: 6 }];
  entries[runtimeFile] = [runtimeJs, { ...ZIP_FILE_ATTRS, level: 6 }];
  const zip = zipSync(entries);
  if (zip.length > DIRECT_UPLOAD_LIMIT)
    throw new DeployedCopyError(
      `the packed copy of ${name} is ${(zip.length / 1048576).toFixed(1)} MB, over Lambda's 50 MB direct upload; ProPack cannot copy it yet`,
    );
  return { zip, sha256: sha256(zip) };
}

/** What must stay the same on the original: its code and every setting the copy was made from. */
function fingerprint(c: FunctionConfiguration): Record<string, string> {
  return {
    CodeSha256: c.CodeSha256 ?? '',
    Handler: c.Handler ?? '',
    Runtime: c.Runtime ?? '',
    Role: c.Role ?? '',
    MemorySize: String(c.MemorySize ?? ''),
    Timeout: String(c.Timeout ?? ''),
    Architectures: (c.Architectures ?? []).join(','),
    Layers: (c.Layers ?? []).map((l) => l.Arn ?? '').join(','),
    Environment: JSON.stringify(Object.entries(c.Environment?.Variables ?? {}).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** Throws DeployedCopyError naming each field of `name` that differs from `before` (the original changed). */
export async function assertUnchanged(client: LambdaClient, name: string, before: FunctionConfiguration): Promise<void> {
  const now = await client.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
  const [a, b] = [fingerprint(before), fingerprint(now)];
  const changed = Object.keys(a).filter((k) => a[k] !== b[k]);
  // Variable values are not printed: they may be secrets.
  const show = (k: string, v: string): string => (k === 'Environment' ? '(variables)' : v || '(none)');
  if (changed.length > 0)
    throw new DeployedCopyError(
      `the original function ${name} CHANGED while its copy was profiled: ${changed.map((k) => `${k} ${show(k, a[k])} → ${show(k, b[k])}`).join('; ')}. ProPack did not change it; something else did: check it before trusting the profile`,
    );
}

/** Options of a copy. */
export interface CopyOptions {
  /** The copy's name (default `<name>-propack`). */
  copyName?: string;
  /** Keep the copy afterwards (for packed runs) instead of deleting it. */
  keep?: boolean;
  download?: Download;
  /** Holds `runtime.js` (found from this module when omitted). */
  distDir?: string;
  onStep?: (step: string) => void;
}

/** The copy being profiled. */
export interface PackedCopy {
  name: string;
  original: FunctionConfiguration;
  configuration: FunctionConfiguration;
}

async function exists(client: LambdaClient, name: string): Promise<FunctionConfiguration | undefined> {
  try {
    return await client.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
  } catch (e) {
    if ((e as Error).name === 'ResourceNotFoundException') return undefined;
    throw e;
  }
}

/** Creates the packed copy of `deployed` as `copyName`, with its role, memory, timeout, variables, layers, architecture and runtime. */
async function createCopy(
  client: LambdaClient,
  deployed: DeployedFunction,
  copyName: string,
  runtime: Uint8Array,
  kind: CopyKind,
): Promise<FunctionConfiguration> {
  const c = deployed.configuration;
  const name = c.FunctionName ?? '?';
  const pkg = copyPackage(deployed.zip, runtime, name, kind.runtimeFile);
  const variables = { ...(c.Environment?.Variables ?? {}), [ORIGINAL_HANDLER_ENV]: c.Handler ?? 'index.handler' };
  const problem = environmentProblem(variables);
  if (problem)
    throw new DeployedCopyError(`the copy of ${name} cannot carry its handler in ${ORIGINAL_HANDLER_ENV}: its variables ${problem}`);
  const prior = await exists(client, copyName);
  if (prior) {
    // Only a copy ProPack made may be replaced; anything else under that name is the user's.
    if (!prior.Environment?.Variables?.[ORIGINAL_HANDLER_ENV])
      throw new DeployedCopyError(`a function named ${copyName} exists and is not a ProPack copy: choose another name with --copy-name`);
    await client.send(new DeleteFunctionCommand({ FunctionName: copyName }));
  }
  await client.send(
    new CreateFunctionCommand({
      FunctionName: copyName,
      Description: `ProPack packed copy of ${name} (its handler ${c.Handler ?? ''} is in ${ORIGINAL_HANDLER_ENV}); safe to delete`,
      Runtime: c.Runtime,
      Role: c.Role,
      Handler: kind.handler,
      MemorySize: c.MemorySize,
      Timeout: c.Timeout,
      Architectures: c.Architectures,
      Environment: { Variables: variables },
      ...(c.Layers?.length ? { Layers: c.Layers.flatMap((l) => (l.Arn ? [l.Arn] : [])) } : {}),
      ...(c.VpcConfig?.SubnetIds?.length
        ? { VpcConfig: { SubnetIds: c.VpcConfig.SubnetIds, SecurityGroupIds: c.VpcConfig.SecurityGroupIds } }
        : {}),
      ...(c.EphemeralStorage ? { EphemeralStorage: c.EphemeralStorage } : {}),
      // What changes how the code behaves (mounted file systems, tracing, the key its variables are encrypted with) goes along too.
      ...(c.FileSystemConfigs?.length ? { FileSystemConfigs: c.FileSystemConfigs } : {}),
      ...(c.TracingConfig?.Mode ? { TracingConfig: { Mode: c.TracingConfig.Mode } } : {}),
      ...(c.KMSKeyArn ? { KMSKeyArn: c.KMSKeyArn } : {}),
      Code: { ZipFile: pkg.zip },
    }),
  );
  await waitUntilSettled(client, copyName);
  return client.send(new GetFunctionConfigurationCommand({ FunctionName: copyName }));
}

/**
 * Makes a packed copy of the deployed function `name`, hands it to `use` (which profiles it), then deletes
 * it unless `keep`, and checks that the original's code and configuration are what they were before.
 * Throws DeployedCopyError when the function cannot be copied, or when the original changed meanwhile.
 */
export async function withPackedCopy<T>(
  client: LambdaClient,
  name: string,
  options: CopyOptions,
  use: (copy: PackedCopy) => Promise<T>,
): Promise<T> {
  const step = options.onStep ?? (() => undefined);
  const copyName = options.copyName ?? copyNameFor(name);
  if (copyName === name) throw new DeployedCopyError(`the copy needs a name other than ${name}`);
  step(`reading ${name} and downloading its code package`);
  const deployed = await readDeployedFunction(client, name, options.download);
  const kind = copyKindOf(deployed.configuration.Runtime);
  const runtime = await readFile(join(options.distDir ?? findDistDir(), kind.distFile));
  step(`creating the packed copy ${copyName} (handler ${kind.handler}, ${ORIGINAL_HANDLER_ENV}=${deployed.configuration.Handler ?? ''})`);
  const configuration = await createCopy(client, deployed, copyName, runtime, kind);
  let result: T;
  try {
    result = await use({ name: copyName, original: deployed.configuration, configuration });
  } catch (e) {
    await cleanUp(client, copyName, options.keep === true, step);
    // A changed original is the louder news: it is reported even when profiling failed too.
    await assertUnchanged(client, name, deployed.configuration);
    throw e;
  }
  await cleanUp(client, copyName, options.keep === true, step);
  await assertUnchanged(client, name, deployed.configuration);
  step(`${name} unchanged (CodeSha256 ${deployed.configuration.CodeSha256 ?? ''})`);
  return result;
}

async function cleanUp(client: LambdaClient, copyName: string, keep: boolean, step: (s: string) => void): Promise<void> {
  if (keep) {
    step(`kept the copy ${copyName} for packed runs (delete it when done)`);
    return;
  }
  await client.send(new DeleteFunctionCommand({ FunctionName: copyName }));
  step(`deleted the copy ${copyName}`);
}
