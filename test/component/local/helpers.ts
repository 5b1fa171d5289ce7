import { zipSync, strToU8 } from 'fflate';
import { CreateFunctionCommand, type LambdaClient, type Runtime } from '@aws-sdk/client-lambda';
import { startLocalPlatform, type LocalPlatform, type LocalPlatformOptions } from '../../../src/local';
import { createLambdaClient, createS3Client, localTarget, type LocalTarget, type ClientOptions } from '../../../src/platform';

/** A zip (fflate) holding the given files, as the deployment package of a test handler. */
export function zipFiles(files: Record<string, string>): Uint8Array {
  // A fixed timestamp: the same files give the same bytes, even across a 2-second DOS-time boundary.
  return zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])), { mtime: ZIP_MTIME });
}

const ZIP_MTIME = new Date('2020-01-01T00:00:00Z');

/** The local target of a running platform. */
export function targetOf(p: LocalPlatform): LocalTarget {
  return localTarget(p);
}

/** A started platform plus real SDK clients pointed at it. */
export async function withPlatform(opts: LocalPlatformOptions = {}, clientOpts: ClientOptions = {}) {
  const platform = await startLocalPlatform(opts);
  const lambda = createLambdaClient(targetOf(platform), clientOpts);
  const s3 = createS3Client(targetOf(platform), clientOpts);
  return {
    platform,
    lambda,
    s3,
    close: async () => {
      lambda.destroy();
      s3.destroy();
      await platform.stop();
    },
  };
}

type FunctionExtras = { Runtime?: Runtime; Timeout?: number; MemorySize?: number; Environment?: { Variables: Record<string, string> } };

/**
 * Creates a function (nodejs20.x unless `extra.Runtime`) from `files` (zip path → text) with `handler`, by default with 1,769 MB (one
 * vCPU): the platform holds a function to its memory size's CPU share, and Lambda's default 128 MB (0.07
 * vCPU) would make a test's module loads take seconds, as they do on Lambda.
 */
export async function deployFiles(
  lambda: LambdaClient,
  name: string,
  handler: string,
  files: Record<string, string>,
  extra: FunctionExtras = {},
) {
  return lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Handler: handler,
      Role: 'arn:aws:iam::123456789012:role/test',
      Code: { ZipFile: zipFiles(files) },
      MemorySize: 1769,
      ...extra,
    }),
  );
}

/** Creates a nodejs20.x function from handler source `index.js` (CommonJS); see `deployFiles`. */
export async function deploy(lambda: LambdaClient, name: string, source: string, extra: FunctionExtras = {}) {
  return deployFiles(lambda, name, 'index.handler', { 'index.js': source }, extra);
}

/** Decodes an Invoke payload as JSON. */
export function payloadJson(p: Uint8Array | undefined): unknown {
  return JSON.parse(Buffer.from(p ?? new Uint8Array()).toString('utf8'));
}

/** The `{ name, message }` of a rejected promise, for assertions on SDK errors. */
export async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}
