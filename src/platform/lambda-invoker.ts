/** PackedInvoker over the real `@aws-sdk/client-lambda` client (AWS or the local endpoint alike). */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { clockNowS, type Timeline } from '../core/timeline';
import { isPackedResponse, PACKED_MARKER, type PackedEvent } from '../runtime/protocol';
import { SYNC_PAYLOAD_LIMIT_BYTES, type InvokeOutcome, type PackedInvoker, type PayloadLimit } from './packed-invoker';

const decoder = new TextDecoder();

/** HTTP status of an SDK error, when it has one. */
function statusOf(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/** Why a thrown SDK error happened, as an outcome: 429 throttled, 5xx/network retryable, 4xx final. */
export function outcomeOfError(e: unknown): InvokeOutcome {
  const err = e as Error & { Reason?: string; name: string };
  const status = statusOf(e);
  if (err.name === 'TooManyRequestsException' || status === 429) return { kind: 'throttled', reason: err.Reason ?? err.message };
  if (err.name === 'AbortError') return { kind: 'error', message: 'cancelled', retryable: false };
  const retryable = status === undefined || status >= 500 || err.name === 'TimeoutError';
  return { kind: 'error', message: `${err.name}: ${err.message}`.split('\n')[0], retryable };
}

/** The Init Duration (s) of a base64 log tail's REPORT line (a cold start), else undefined. */
export function initDurationOf(logTail: string | undefined): number | undefined {
  if (!logTail) return undefined;
  const m = /REPORT RequestId:[^\n]*\tInit Duration: ([\d.]+) ms/.exec(Buffer.from(logTail, 'base64').toString('utf8'));
  return m ? Number(m[1]) / 1000 : undefined;
}

/**
 * What a packed invocation's response payload says: the packed response, or the function's error (its
 * errorType and errorMessage when `functionError` is set), or why the payload is not a packed response.
 * Times are client epoch seconds; `initS` the reported INIT duration of a cold start.
 */
export function outcomeOfPayload(
  text: string,
  functionError: string | undefined,
  sentAt: number,
  receivedAt: number,
  initS?: number,
): InvokeOutcome {
  if (functionError) {
    let message = text.slice(0, 300);
    let errorType = functionError;
    try {
      const parsed = JSON.parse(text) as { errorType?: string; errorMessage?: string };
      errorType = parsed.errorType ?? errorType;
      message = parsed.errorMessage ?? message;
    } catch {
      // Not JSON (a platform message): keep the raw text.
    }
    return { kind: 'function-error', errorType, message, sentAt, receivedAt };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {
      kind: 'function-error',
      errorType: 'InvalidResponse',
      message: `the function did not return JSON: ${text.slice(0, 120)}`,
      sentAt,
      receivedAt,
    };
  }
  if (!isPackedResponse(body)) {
    return {
      kind: 'function-error',
      errorType: 'NotPacked',
      message:
        'the function is not wrapped by the ProPack runtime (deploy it with propack deploy, or profile a packed copy of it: propack profile --function NAME --copy)',
      sentAt,
      receivedAt,
    };
  }
  return { kind: 'ok', body: body[PACKED_MARKER], sentAt, receivedAt, ...(initS !== undefined ? { initS } : {}) };
}

/** Invokes functions synchronously; the client should have maxAttempts 1 so throttles reach the engine. */
export class LambdaInvoker implements PackedInvoker {
  readonly payloadLimit: PayloadLimit = { maxBytes: SYNC_PAYLOAD_LIMIT_BYTES, extraBytes: 0, label: 'a synchronous invocation' };

  constructor(
    private readonly client: LambdaClient,
    readonly timeline?: Timeline,
  ) {}

  /** Sends one packed event; never throws. */
  async invoke(functionName: string, event: PackedEvent, signal?: AbortSignal): Promise<InvokeOutcome> {
    const sentAt = clockNowS(this.timeline);
    try {
      const res = await this.client.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'RequestResponse',
          // The log's last 4 KB end with the REPORT line, whose Init Duration Lambda bills since 2025-08-01.
          LogType: 'Tail',
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
        { abortSignal: signal },
      );
      const receivedAt = clockNowS(this.timeline);
      const text = res.Payload ? decoder.decode(res.Payload) : '';
      return outcomeOfPayload(text, res.FunctionError, sentAt, receivedAt, initDurationOf(res.LogResult));
    } catch (e) {
      return outcomeOfError(e);
    }
  }
}
