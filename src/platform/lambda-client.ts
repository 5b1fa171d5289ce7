import { LambdaClient } from '@aws-sdk/client-lambda';
import { sharedClientConfig } from './client-config';
import type { ClientOptions, PlatformTarget } from './target';

/** A synchronous invocation may stay silent while the function runs: Lambda's 900 s limit plus a margin (ms). */
export const LAMBDA_IDLE_TIMEOUT_MS = 960_000;

/** A real SDK v3 Lambda client for the target (local endpoint or AWS), with raised socket limits. */
export function createLambdaClient(target: PlatformTarget, opts: ClientOptions = {}): LambdaClient {
  return new LambdaClient(
    sharedClientConfig(target, target.kind === 'local' ? target.lambdaEndpoint : undefined, {
      idleTimeoutMs: LAMBDA_IDLE_TIMEOUT_MS,
      ...opts,
    }),
  );
}
