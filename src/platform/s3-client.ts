import { S3Client } from '@aws-sdk/client-s3';
import { sharedClientConfig } from './client-config';
import type { ClientOptions, PlatformTarget } from './target';

/** S3 answers within seconds; a socket silent this long is a hung server, not a slow object (ms). */
export const S3_IDLE_TIMEOUT_MS = 120_000;

/** A real SDK v3 S3 client for the target; path-style and checksums only when required (s3rver needs both). */
export function createS3Client(target: PlatformTarget, opts: ClientOptions = {}): S3Client {
  const local = target.kind === 'local';
  return new S3Client({
    ...sharedClientConfig(target, local ? target.s3Endpoint : undefined, { idleTimeoutMs: S3_IDLE_TIMEOUT_MS, ...opts }),
    forcePathStyle: local,
    // Default checksum mode makes streamed PutObject send aws-chunked framing, which s3rver stores verbatim.
    ...(local ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
  });
}
