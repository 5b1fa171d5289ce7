import type { ClientOptions, PlatformTarget } from './target';
import { DEFAULT_MAX_SOCKETS } from './target';

/** Fixed credentials for the local platform: it accepts any, so nothing real is ever sent to it. */
const LOCAL_CREDENTIALS = { accessKeyId: 'propack-local', secretAccessKey: 'propack-local' };

/** The config fields both SDK clients share, derived from a target: endpoint, credentials, sockets, retries. */
export interface SharedClientConfig {
  region: string;
  endpoint?: string;
  profile?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
  requestHandler: { httpAgent: { keepAlive: boolean; maxSockets: number }; httpsAgent: { keepAlive: boolean; maxSockets: number }; socketTimeout?: number };
}

/** Builds the shared client config; `endpoint` is the local service URL (ignored for AWS). */
export function sharedClientConfig(target: PlatformTarget, endpoint: string | undefined, opts: ClientOptions): SharedClientConfig {
  const agent = { keepAlive: true, maxSockets: opts.maxSockets ?? DEFAULT_MAX_SOCKETS };
  const requestHandler = { httpAgent: agent, httpsAgent: agent, ...(opts.idleTimeoutMs ? { socketTimeout: opts.idleTimeoutMs } : {}) };
  const base = { region: target.region, requestHandler, ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}) };
  if (target.kind === 'local') return { ...base, endpoint, credentials: LOCAL_CREDENTIALS };
  // AWS: the SDK's default provider chain resolves credentials for the named profile (env, ini, SSO, IMDS...).
  return target.profile ? { ...base, profile: target.profile } : base;
}
