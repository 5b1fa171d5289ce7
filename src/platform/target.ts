import type { Timeline } from '../core/timeline';

/** Where the product's Lambda, S3 and Step Functions clients point: the embedded local platform or a real AWS account. */
export type PlatformTarget = LocalTarget | AwsTarget;

/** The embedded local platform (`propack local start` or `startLocalPlatform`), endpoints on 127.0.0.1. */
export interface LocalTarget {
  kind: 'local';
  lambdaEndpoint: string;
  s3Endpoint: string;
  /** The platform's Step Functions API; absent for a platform that does not serve one (`createSfnClient` refuses). */
  stepFunctionsEndpoint?: string;
  region: string;
  /**
   * The platform's key of this start (it verifies SigV4 on every request): the clients sign with these
   * static credentials, never with the user's AWS profile or environment.
   */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The embedded platform's emulated timeline, when it runs in this process (core/timeline.ts). */
  timeline?: Timeline;
}

/** A real AWS account; credentials come from the SDK's provider chain for `profile` (or the default chain). */
export interface AwsTarget {
  kind: 'aws';
  profile?: string;
  region: string;
}

/** Client tuning shared by the client factories. */
export interface ClientOptions {
  /** Sockets per agent; the SDK default of 50 turns client-side queueing into fake "scaling time". */
  maxSockets?: number;
  /** Total attempts per request including the first (the SDK retries 429s itself). */
  maxAttempts?: number;
  /** A request whose socket stays silent this long fails (ms); each factory has a default that fits its service. */
  idleTimeoutMs?: number;
}

/** Default sockets per client: enough for 5,000 invocations in flight. */
export const DEFAULT_MAX_SOCKETS = 5000;

/** The target of a started embedded platform (`startLocalPlatform`'s result has these fields). */
export function localTarget(p: {
  lambdaEndpoint: string;
  s3Endpoint: string;
  stepFunctionsEndpoint?: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  timeline?: Timeline;
}): LocalTarget {
  return {
    kind: 'local',
    lambdaEndpoint: p.lambdaEndpoint,
    s3Endpoint: p.s3Endpoint,
    ...(p.stepFunctionsEndpoint ? { stepFunctionsEndpoint: p.stepFunctionsEndpoint } : {}),
    region: p.region,
    credentials: { accessKeyId: p.credentials.accessKeyId, secretAccessKey: p.credentials.secretAccessKey },
    ...(p.timeline ? { timeline: p.timeline } : {}),
  };
}
