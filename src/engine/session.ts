/** The SDK clients and invoker of one platform target, created once and closed together. */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { createLambdaClient, createS3Client, type PlatformTarget } from '../platform';
import { LambdaInvoker } from '../platform/lambda-invoker';
import type { PackedInvoker } from '../platform/packed-invoker';
import { createSfnClient } from '../platform/sfn-client';

export interface Session {
  target: PlatformTarget;
  /** For control calls (deploy, list): the SDK's own retries on. */
  lambda: LambdaClient;
  s3: S3Client;
  /** Step Functions, for runs dispatched through a Distributed Map (no connection until first used). */
  sfn: SFNClient;
  /** For packed invocations: one attempt per request, so the engine sees and counts every 429. */
  invoker: PackedInvoker;
  close(): void;
}

/** Opens clients for a target. */
export function openSession(target: PlatformTarget): Session {
  const lambda = createLambdaClient(target);
  const invokeClient = createLambdaClient(target, { maxAttempts: 1 });
  const s3 = createS3Client(target);
  // Made on first use: a platform without a Step Functions API (an older endpoint file) still serves the rest.
  let sfn: SFNClient | undefined;
  return {
    target,
    lambda,
    s3,
    get sfn() {
      return (sfn ??= createSfnClient(target));
    },
    invoker: new LambdaInvoker(invokeClient, target.kind === 'local' ? target.timeline : undefined),
    close: () => {
      lambda.destroy();
      invokeClient.destroy();
      s3.destroy();
      sfn?.destroy();
    },
  };
}
