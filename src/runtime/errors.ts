import type { TaskError } from './protocol';

/** Converts anything thrown by a task into the protocol's `{ type, message }`. */
export function toTaskError(err: unknown): TaskError {
  if (err instanceof Error) {
    // SDK errors carry the service's error code in `name` (e.g. NoSuchKey); keep it as the type.
    return { type: err.name || err.constructor.name || 'Error', message: err.message };
  }
  if (typeof err === 'object' && err !== null && 'message' in err) {
    const e = err as { name?: unknown; message?: unknown };
    return { type: typeof e.name === 'string' ? e.name : 'Error', message: String(e.message) };
  }
  return { type: 'Error', message: String(err) };
}
