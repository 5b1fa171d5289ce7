/**
 * PyWren-style dispatch: each packed batch is sent as an asynchronous Event invocation that writes its
 * response to S3; one lister per run polls the result prefix and completes the matching waits. A 5,000-way
 * job then holds no connection open per invocation.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { clockNowS, type Timeline } from '../core/timeline';
import { isPackedResponse, PACKED_MARKER, type PackedEvent } from '../runtime/protocol';
import { outcomeOfError } from './lambda-invoker';
import { ASYNC_PAYLOAD_LIMIT_BYTES, type InvokeOutcome, type PackedInvoker, type PayloadLimit } from './packed-invoker';

export interface AsyncInvokerOptions {
  bucket: string;
  /** Key prefix for this run's results, e.g. `propack-results/<run id>/`. */
  prefix: string;
  /** Give up on one invocation's result after this long (s): the function timeout plus Lambda's retries. */
  resultTimeoutS: number;
  /** Poll interval (ms). */
  pollMs?: number;
  /**
   * Longest one request of the invoker may take (ms; default REQUEST_TIMEOUT_MS). A server that accepts a
   * request and never answers would otherwise stall the poller, and with it every deadline.
   */
  requestTimeoutMs?: number;
  /** The platform's emulated timeline (the embedded platform's; default real time). */
  timeline?: Timeline;
}

/** Default bound of one Event send, listing or result fetch (ms): far above a healthy S3 or Lambda answer. */
export const REQUEST_TIMEOUT_MS = 15_000;

interface Wait {
  key: string;
  sentAt: number;
  resolve: (o: InvokeOutcome) => void;
  deadline: number;
}

export class AsyncS3Invoker implements PackedInvoker {
  private readonly waits = new Map<string, Wait>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private seq = 0;
  readonly payloadLimit: PayloadLimit;
  readonly timeline?: Timeline;

  constructor(
    private readonly lambda: LambdaClient,
    private readonly s3: S3Client,
    private readonly opts: AsyncInvokerOptions,
  ) {
    if (opts.timeline) this.timeline = opts.timeline;
    // The result sink each event carries, with the longest key `invoke` makes (13-digit ms, 16-digit seq).
    const sink = { resultSink: { bucket: opts.bucket, key: `${opts.prefix}${'9'.repeat(13)}-${'9'.repeat(16)}.json` } };
    this.payloadLimit = {
      maxBytes: ASYNC_PAYLOAD_LIMIT_BYTES,
      extraBytes: Buffer.byteLength(JSON.stringify(sink)),
      label: 'an asynchronous (Event) invocation',
    };
  }

  /** Sends an Event invocation whose response goes to S3, and waits for that object. Never throws. */
  async invoke(functionName: string, event: PackedEvent, signal?: AbortSignal): Promise<InvokeOutcome> {
    const key = `${this.opts.prefix}${Date.now()}-${this.seq++}.json`;
    const withSink: PackedEvent = { [PACKED_MARKER]: { ...event[PACKED_MARKER], resultSink: { bucket: this.opts.bucket, key } } };
    const sentAt = clockNowS(this.timeline);
    try {
      await this.lambda.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(withSink)),
        }),
        { abortSignal: this.bounded(signal) },
      );
    } catch (e) {
      return outcomeOfError(e);
    }
    return new Promise<InvokeOutcome>((resolve) => {
      const wait: Wait = { key, sentAt, resolve, deadline: Date.now() + this.opts.resultTimeoutS * 1000 };
      this.waits.set(key, wait);
      signal?.addEventListener('abort', () => this.settle(key, { kind: 'error', message: 'cancelled', retryable: false }), { once: true });
      this.schedule();
    });
  }

  /** An abort signal that fires on `signal` or after the request timeout, whichever comes first. */
  private bounded(signal?: AbortSignal): AbortSignal {
    const timeout = AbortSignal.timeout(this.opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS);
    return signal ? AbortSignal.any([signal, timeout]) : timeout;
  }

  private settle(key: string, outcome: InvokeOutcome): void {
    const w = this.waits.get(key);
    if (!w) return;
    this.waits.delete(key);
    w.resolve(outcome);
  }

  private schedule(): void {
    if (this.timer || this.polling || this.waits.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, this.opts.pollMs ?? 100);
  }

  private async poll(): Promise<void> {
    this.polling = true;
    try {
      const found = new Set<string>();
      let token: string | undefined;
      do {
        const page = await this.s3.send(
          new ListObjectsV2Command({ Bucket: this.opts.bucket, Prefix: this.opts.prefix, ContinuationToken: token }),
          { abortSignal: this.bounded() },
        );
        for (const o of page.Contents ?? []) if (o.Key && this.waits.has(o.Key)) found.add(o.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      await Promise.all([...found].map((key) => this.fetch(key)));
    } catch {
      // A failed listing is retried on the next poll; deadlines still bound every wait.
    } finally {
      this.polling = false;
    }
    const now = Date.now();
    for (const w of [...this.waits.values()]) {
      if (now > w.deadline)
        this.settle(w.key, { kind: 'error', message: `no result in S3 within ${this.opts.resultTimeoutS} s`, retryable: true });
    }
    this.schedule();
  }

  private async fetch(key: string): Promise<void> {
    const w = this.waits.get(key);
    if (!w) return;
    const abortSignal = this.bounded();
    const res = await this.s3.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: key }), { abortSignal });
    const text = (await res.Body?.transformToString()) ?? '';
    const receivedAt = clockNowS(this.timeline);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    this.settle(
      key,
      isPackedResponse(body)
        ? { kind: 'ok', body: body[PACKED_MARKER], sentAt: w.sentAt, receivedAt }
        : {
            kind: 'function-error',
            errorType: 'InvalidResult',
            message: `result object ${key} is not a packed response`,
            sentAt: w.sentAt,
            receivedAt,
          },
    );
  }

  /** Stops polling; pending waits end as cancelled. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const key of [...this.waits.keys()]) this.settle(key, { kind: 'error', message: 'cancelled', retryable: false });
  }
}
