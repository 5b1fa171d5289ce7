/** The subset of the Lambda context object the runtime uses; every field is optional outside Lambda. */
export interface LambdaContext {
  awsRequestId?: string;
  functionName?: string;
  /** Lambda passes this as a string of megabytes. */
  memoryLimitInMB?: string | number;
  getRemainingTimeInMillis?: () => number;
  [key: string]: unknown;
}

/** A user task handler: the same signature as a Lambda handler. */
export type TaskHandler = (event: unknown, context: LambdaContext) => unknown;

/** Epoch ms by which the invocation must return, or Infinity when the context has no deadline. */
export function deadlineMs(context: LambdaContext | undefined, now: number = Date.now()): number {
  const remaining = context?.getRemainingTimeInMillis?.();
  return typeof remaining === 'number' && Number.isFinite(remaining) ? now + remaining : Infinity;
}

/** The serializable part of a context, handed to worker threads (functions do not cross threads; the worker, runtime/worker-source.ts, rebuilds getRemainingTimeInMillis from deadlineMs). */
export interface PortableContext {
  awsRequestId?: string;
  functionName?: string;
  memoryLimitInMB?: string | number;
  /** Epoch ms; null = no deadline. */
  deadlineMs: number | null;
}

/** Strips a context down to what can be posted to a worker. */
export function toPortableContext(context: LambdaContext | undefined, deadline: number): PortableContext {
  return {
    awsRequestId: context?.awsRequestId,
    functionName: context?.functionName,
    memoryLimitInMB: context?.memoryLimitInMB,
    deadlineMs: Number.isFinite(deadline) ? deadline : null,
  };
}
