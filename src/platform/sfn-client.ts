import { SFNClient } from '@aws-sdk/client-sfn';
import { sharedClientConfig } from './client-config';
import type { ClientOptions, PlatformTarget } from './target';

/** A real SDK v3 Step Functions client for the target (PROVISIONAL: replaced by helper B's). */
export function createSfnClient(target: PlatformTarget, opts: ClientOptions = {}): SFNClient {
  return new SFNClient(sharedClientConfig(target, target.kind === 'local' ? target.stepFunctionsEndpoint : undefined, { idleTimeoutMs: 120_000, ...opts }));
}
