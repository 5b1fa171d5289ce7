import { S3Client } from '@aws-sdk/client-s3';
import { sharedClientConfig } from './client-config';
import type { ClientOptions, PlatformTarget } from './target';

/** S3 answers within seconds; a socket silent this long is a hung server, not a slow object (ms). */
export const S3_IDLE_TIMEOUT_MS = 120_000;

/**
 * Whether the SDK will send an AWS target's S3 requests to an endpoint the environment names
 * (AWS_ENDPOINT_URL_S3, or AWS_ENDPOINT_URL for every service) rather than to AWS: the SDK honours these
 * itself (ProPack passes no endpoint for AWS), and such a server (the embedded platform, MinIO, LocalStack)
 * wants path-style addressing and checksums only when required, as the local target does.
 */
export function s3EndpointFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  if (/^true$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '')) return false;
  return Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
}

/** A real SDK v3 S3 client for the target; path-style and checksums only when required (s3rver needs both). */
export function createS3Client(target: PlatformTarget, opts: ClientOptions = {}): S3Client {
  const local = target.kind === 'local';
  const compatible = local || s3EndpointFromEnv();
  return new S3Client({
    ...sharedClientConfig(target, local ? target.s3Endpoint : undefined, { idleTimeoutMs: S3_IDLE_TIMEOUT_MS, ...opts }),
    forcePathStyle: compatible,
    // Default checksum mode makes streamed PutObject send aws-chunked framing, which s3rver stores verbatim.
    ...(compatible ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
  });
}
