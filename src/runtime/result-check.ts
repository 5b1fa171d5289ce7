import type { PackedTaskResult, TaskError } from './protocol';

/** Error type of a task (or an unpacked invocation) whose result JSON cannot carry. */
export const RESULT_NOT_SERIALIZABLE = 'Propack.ResultNotSerializable';

/** Why JSON.stringify cannot carry `value`, in words ("a BigInt", "a circular structure"). The worker source repeats this. */
export function whatJsonCannotCarry(value: unknown, err?: unknown): string {
  if (err === undefined) return typeof value === 'function' ? 'a function' : typeof value === 'symbol' ? 'a symbol' : `a ${typeof value}`;
  const msg = err instanceof Error ? err.message : String(err);
  if (/BigInt/i.test(msg)) return 'a BigInt';
  if (/circular/i.test(msg)) return 'a circular structure';
  return `a value JSON.stringify rejects (${msg.split('\n')[0]})`;
}

/**
 * Serializes one result as JSON, as Lambda will: returns the text, or the reason it cannot be carried.
 * `undefined` is fine (no result); a function or symbol (which JSON would silently drop), a BigInt
 * anywhere, a circular structure or a throwing `toJSON` are not.
 */
export function serializeResult(value: unknown, subject: string): { json: string | undefined } | { error: TaskError } {
  if (value === undefined) return { json: undefined };
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (e) {
    return { error: notSerializable(subject, whatJsonCannotCarry(value, e)) };
  }
  if (json === undefined) return { error: notSerializable(subject, whatJsonCannotCarry(value)) };
  return { json };
}

/** The task error for a result JSON cannot carry; final: running the task again returns the same kind of value. */
export function notSerializable(subject: string, what: string): TaskError {
  return { type: RESULT_NOT_SERIALIZABLE, message: `${subject} returned ${what}, which JSON cannot carry`, retryable: false };
}

/** How a task is named in error messages. */
export function taskSubject(id: string): string {
  return `task ${JSON.stringify(id)}`;
}

/** Lambda's synchronous response payload limit (bytes): a bigger response fails the whole invocation. */
export const SYNC_RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024;
/** Error type of a task whose result does not fit the packed response. */
export const RESULT_TOO_LARGE = 'Propack.ResultTooLarge';

/**
 * Keeps a packed response within `limit` bytes of JSON: while it is over, the largest successful result
 * is replaced by an error saying so. A result too large on its own is final (`retryable: false`); one that
 * only did not fit beside the others may run again in a smaller batch. Mutates and returns `tasks`.
 */
export function fitResponse(tasks: PackedTaskResult[], envelopeBytes: number, limit: number): PackedTaskResult[] {
  const sizes = tasks.map((t) => Buffer.byteLength(JSON.stringify(t)));
  const total = (): number => envelopeBytes + sizes.reduce((a, b) => a + b, 0) + Math.max(0, tasks.length - 1);
  const initial = total();
  while (total() > limit) {
    let largest = -1;
    tasks.forEach((t, i) => {
      if (t.status === 'ok' && (largest < 0 || sizes[i] > sizes[largest])) largest = i;
    });
    if (largest < 0) break; // only errors left: nothing more to shed
    const t = tasks[largest];
    const alone = envelopeBytes + sizes[largest] > limit;
    const resultBytes = t.result === undefined ? 0 : Buffer.byteLength(JSON.stringify(t.result));
    const error: TaskError = alone
      ? {
          type: RESULT_TOO_LARGE,
          message: `${taskSubject(t.id)} returned ${resultBytes} bytes of JSON, over Lambda's ${limit}-byte response limit on its own; return large results through S3`,
          retryable: false,
        }
      : {
          type: RESULT_TOO_LARGE,
          message: `${taskSubject(t.id)} returned ${resultBytes} bytes of JSON; with the batch's other results the response would be ${initial} bytes, over Lambda's ${limit}-byte limit`,
        };
    tasks[largest] = { id: t.id, status: 'error', error, startedAt: t.startedAt, endedAt: t.endedAt };
    sizes[largest] = Buffer.byteLength(JSON.stringify(tasks[largest]));
  }
  return tasks;
}
