// Deploys a workspace handler file (wrapped in ProPack's packed runtime) to the selected platform, with
// the settings its template.yaml / serverless.yml declares (else ProPack's defaults).
import * as path from 'node:path';
import { runtimeProblem } from '../../core/lambda-config';
import { vcpusForMemory } from '../../core/pricing';
import type { DeclaredFunction } from '../../core/templates/declared';
import type { FunctionConfig } from '../../core/types';
import { buildBundle, type BundleSource } from '../../engine/bundle';
import { deployFunction, LOCAL_ROLE, type DeployResult } from '../../engine/deploy';
import type { Session } from '../../engine/session';
import { deployEnvironment, functionSettings, SettingsError, type FunctionSettings } from '../handlers/function-settings';
import type { HandlerRef } from '../handlers/workspace-handlers';

/** The Lambda function name for a workspace function (Lambda allows [A-Za-z0-9-_], 64 characters). */
export function lambdaNameFor(functionName: string): string {
  return functionName.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64) || 'propack-function';
}

/**
 * The configuration a handler is deployed and profiled with: its declared settings (validated; throws a
 * one-line SettingsError naming the file, function and field) and where each came from. `own` are the
 * variables ProPack adds (the local S3 endpoint); they take their keys from the file's.
 */
export function functionConfigFor(
  handler: Pick<HandlerRef, 'functionName' | 'declared'>,
  region: string,
  own: Record<string, string> = {},
): { fn: FunctionConfig; settings: FunctionSettings; environment: Record<string, string> } {
  const settings = functionSettings(handler.declared);
  const env = deployEnvironment(settings, own);
  const fn: FunctionConfig = {
    name: lambdaNameFor(handler.functionName),
    memoryMb: settings.memoryMb,
    architecture: settings.architecture,
    region,
    runtime: 'nodejs20.x',
    vcpus: vcpusForMemory(settings.memoryMb),
    timeoutS: settings.timeoutS,
    environmentNames: Object.keys(env.variables).sort(),
    settingsSource: { ...settings.sources, environment: env.source || 'none' },
  };
  return { fn, settings, environment: env.variables };
}

/**
 * The folder a deployment file's `CodeUri` names, as an absolute path, found from the handler file: its
 * path ends with the declared module path, which starts at the deployment file's folder. Undefined when
 * the file declares no code folder or the handler is not where the declaration says.
 */
export function declaredCodeFolder(handlerFile: string, d: Pick<DeclaredFunction, 'modulePath' | 'codeDir'>): string | undefined {
  if (d.codeDir === undefined) return undefined;
  const noExt = handlerFile
    .slice(0, handlerFile.length - path.extname(handlerFile).length)
    .split(path.sep)
    .join('/');
  if (!noExt.endsWith(`/${d.modulePath}`)) return undefined;
  return path.resolve(noExt.slice(0, noExt.length - d.modulePath.length), d.codeDir);
}

/**
 * What to bundle for a workspace handler: its file, with the esbuild settings and code folder its template
 * declares (a Python handler's CodeUri is its package folder, with or without build settings).
 */
export function bundleSourceFor(handler: Pick<HandlerRef, 'exportName' | 'declared'> & { file: string }): BundleSource {
  const d = handler.declared;
  const python = path.extname(handler.file).toLowerCase() === '.py';
  const codeDir = d && (d.build || python) ? declaredCodeFolder(handler.file, d) : undefined;
  return {
    kind: 'file',
    file: handler.file,
    exportName: handler.exportName,
    ...(d?.build ? { build: d.build } : {}),
    ...(codeDir ? { codeDir } : {}),
  };
}

/**
 * The Lambda runtime a deployment file declares for this handler, checked against the package ProPack built
 * (a Node.js bundle or a Python package); undefined when it declares none. Throws a one-line SettingsError.
 */
export function declaredRuntime(declared: DeclaredFunction | undefined, pythonPackage: boolean): string | undefined {
  const r = declared?.settings.runtime;
  if (!r || !declared) return undefined;
  const problem = runtimeProblem(r.value, pythonPackage ? 'python' : 'node');
  if (problem) throw new SettingsError(`${declared.file}: ${declared.key}: Runtime (${r.from}) ${problem}`);
  return r.value as string;
}

/** Bundles and deploys `handler`; throws with a one-line reason (e.g. a Python or TypeScript file, a bad MemorySize). */
export async function deployHandler(
  session: Session,
  handler: HandlerRef,
  awsRole?: string,
): Promise<{ fn: FunctionConfig; result: DeployResult }> {
  const local = session.target.kind === 'local';
  const { fn, settings, environment } = functionConfigFor(
    handler,
    session.target.region,
    session.target.kind === 'local' ? { AWS_ENDPOINT_URL_S3: session.target.s3Endpoint } : {},
  );
  const runtime = declaredRuntime(handler.declared, path.extname(handler.uri.fsPath).toLowerCase() === '.py');
  // The platform and architecture pick the wheels a Python package's requirements.txt is installed with.
  const bundle = await buildBundle(
    bundleSourceFor({ file: handler.uri.fsPath, exportName: handler.exportName, declared: handler.declared }),
    { platform: local ? 'local' : 'aws', architecture: fn.architecture, ...(runtime ? { runtime } : {}) },
  );
  const result = await deployFunction(session.lambda, bundle, {
    ...(runtime ? { runtime } : {}),
    name: fn.name,
    memoryMb: fn.memoryMb,
    architecture: fn.architecture,
    timeoutS: settings.timeoutS,
    ...(local ? { role: LOCAL_ROLE } : awsRole ? { role: awsRole } : {}),
    environment,
  });
  // The template's runtime (also the bundle's), else the package's (python3.12 for a Python handler), else the Node default.
  const deployed = runtime ?? bundle.runtime;
  return { fn: deployed ? { ...fn, runtime: deployed } : fn, result };
}
