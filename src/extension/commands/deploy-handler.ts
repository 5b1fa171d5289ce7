// Deploys a workspace handler file (wrapped in ProPack's packed runtime) to the selected platform.
import type { FunctionConfig } from '../../core/types';
import { buildBundle } from '../../engine/bundle';
import { deployFunction, LOCAL_ROLE, type DeployResult } from '../../engine/deploy';
import type { Session } from '../../engine/session';
import type { HandlerRef } from '../handlers/workspace-handlers';

/** Memory of functions deployed from the editor: one full vCPU (Lambda gives one per 1,769 MB). */
export const DEFAULT_MEMORY_MB = 1769;

/** The Lambda function name for a workspace function (Lambda allows [A-Za-z0-9-_], 64 characters). */
export function lambdaNameFor(functionName: string): string {
  return functionName.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64) || 'propack-function';
}

/** The configuration a handler is deployed and profiled with. */
export function functionConfigFor(handler: HandlerRef, region: string): FunctionConfig {
  return { name: lambdaNameFor(handler.functionName), memoryMb: DEFAULT_MEMORY_MB, architecture: 'x86_64', region, runtime: 'nodejs20.x', vcpus: 1 };
}

/** Bundles and deploys `handler`; throws with a one-line reason (e.g. a Python or TypeScript file). */
export async function deployHandler(session: Session, handler: HandlerRef, awsRole?: string): Promise<{ fn: FunctionConfig; result: DeployResult }> {
  const bundle = await buildBundle({ kind: 'file', file: handler.uri.fsPath, exportName: handler.exportName });
  const fn = functionConfigFor(handler, session.target.region);
  const local = session.target.kind === 'local';
  const result = await deployFunction(session.lambda, bundle, {
    name: fn.name,
    memoryMb: fn.memoryMb,
    architecture: fn.architecture,
    timeoutS: 300,
    ...(local ? { role: LOCAL_ROLE } : awsRole ? { role: awsRole } : {}),
    ...(session.target.kind === 'local' ? { environment: { AWS_ENDPOINT_URL_S3: session.target.s3Endpoint } } : {}),
  });
  return { fn, result };
}
