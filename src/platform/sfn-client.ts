import { SFNClient } from '@aws-sdk/client-sfn';
import { sharedClientConfig } from './client-config';
import type { ClientOptions, PlatformTarget } from './target';

/** Step Functions answers every call within seconds (executions run on their own); silence this long is a hung server (ms). */
export const SFN_IDLE_TIMEOUT_MS = 120_000;

/**
 * A real SDK v3 Step Functions client for the target (local endpoint or AWS). On AWS the SDK itself honours
 * AWS_ENDPOINT_URL_SFN; a local target without a Step Functions endpoint is refused with one line.
 */
export function createSfnClient(target: PlatformTarget, opts: ClientOptions = {}): SFNClient {
  if (target.kind === 'local' && !target.stepFunctionsEndpoint)
    throw new Error(
      'this local platform serves no Step Functions API (its endpoint file has no "stepfunctions"; restart it with this ProPack, or set AWS_ENDPOINT_URL_SFN)',
    );
  return new SFNClient(
    sharedClientConfig(target, target.kind === 'local' ? target.stepFunctionsEndpoint : undefined, {
      idleTimeoutMs: SFN_IDLE_TIMEOUT_MS,
      ...opts,
    }),
  );
}
