/** The engine's view of a function platform: invoke one packed batch and say what happened. */
import type { PackedEvent, PackedResponseBody } from '../runtime/protocol';

/** What one packed invocation came back with. Times are client epoch seconds. */
export type InvokeOutcome =
  | { kind: 'ok'; body: PackedResponseBody; sentAt: number; receivedAt: number }
  /** The handler crashed, timed out or was killed: no per-task results, but the invocation ran (billed). */
  | { kind: 'function-error'; errorType: string; message: string; sentAt: number; receivedAt: number }
  /** 429: the function did not run; retry later. */
  | { kind: 'throttled'; reason: string }
  /** The request failed before or without running the function (network, 5xx, bad request). */
  | { kind: 'error'; message: string; retryable: boolean };

export interface PackedInvoker {
  /** Invokes `functionName` synchronously with one packed event. Never throws: failures are outcomes. */
  invoke(functionName: string, event: PackedEvent, signal?: AbortSignal): Promise<InvokeOutcome>;
}
