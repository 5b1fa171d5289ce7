/** The engine's view of a function platform: invoke one packed batch and say what happened. */
import type { Timeline } from '../core/timeline';
import type { PackedEvent, PackedResponseBody } from '../runtime/protocol';

/** What one packed invocation came back with. Times are client epoch seconds. */
export type InvokeOutcome =
  | {
      kind: 'ok';
      body: PackedResponseBody;
      sentAt: number;
      receivedAt: number;
      /** INIT duration (s) the platform reported for a cold start (the REPORT line's Init Duration). */
      initS?: number;
    }
  /** The handler crashed, timed out or was killed: no per-task results, but the invocation ran (billed). */
  | { kind: 'function-error'; errorType: string; message: string; sentAt: number; receivedAt: number }
  /** 429: the function did not run; retry later. */
  | { kind: 'throttled'; reason: string }
  /** The request failed before or without running the function (network, 5xx, bad request). */
  | { kind: 'error'; message: string; retryable: boolean };

/** Lambda's request payload limits (bytes): 6 MB synchronous (RequestResponse), 1 MB asynchronous (Event). */
export const SYNC_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;
export const ASYNC_PAYLOAD_LIMIT_BYTES = 1024 * 1024;

/** How large a packed event an invoker may send. */
export interface PayloadLimit {
  /** Largest request payload (bytes of JSON). */
  maxBytes: number;
  /** Bytes the invoker adds to each event it sends (at most), e.g. the async result sink. */
  extraBytes: number;
  /** Names the limit in failure reasons, e.g. "a synchronous invocation". */
  label: string;
}

export interface PackedInvoker {
  /** Default: Lambda's synchronous limit, nothing added. */
  readonly payloadLimit?: PayloadLimit;
  /** The platform's emulated timeline, onto which the engine maps every time it takes (default real time). */
  readonly timeline?: Timeline;
  /** Invokes `functionName` synchronously with one packed event. Never throws: failures are outcomes. */
  invoke(functionName: string, event: PackedEvent, signal?: AbortSignal): Promise<InvokeOutcome>;
}
