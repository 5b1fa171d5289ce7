import type { ClientOptions, PlatformTarget } from './target';
import { DEFAULT_MAX_SOCKETS } from './target';

/** The config fields both SDK clients share, derived from a target: endpoint, credentials, sockets, retries. */
export interface SharedClientConfig {
  region: string;
  endpoint?: string;
  profile?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
  requestHandler: {
    httpAgent: { keepAlive: boolean; maxSockets: number };
    httpsAgent: { keepAlive: boolean; maxSockets: number };
    socketTimeout?: number;
  };
}

/** Builds the shared client config; `endpoint` is the local service URL (ignored for AWS). */
export function sharedClientConfig(target: PlatformTarget, endpoint: string | undefined, opts: ClientOptions): SharedClientConfig {
  const agent = { keepAlive: true, maxSockets: opts.maxSockets ?? DEFAULT_MAX_SOCKETS };
  const requestHandler = { httpAgent: agent, httpsAgent: agent, ...(opts.idleTimeoutMs ? { socketTimeout: opts.idleTimeoutMs } : {}) };
  const base = { region: target.region, requestHandler, ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}) };
  // Local: the platform's own key as static credentials, so the user's profile is never consulted or sent.
  if (target.kind === 'local')
    return {
      ...base,
      endpoint,
      credentials: { accessKeyId: target.credentials.accessKeyId, secretAccessKey: target.credentials.secretAccessKey },
    };
  // AWS: the SDK's default provider chain resolves credentials for the named profile (env, ini, SSO, IMDS...).
  return target.profile ? { ...base, profile: target.profile } : base;
}
