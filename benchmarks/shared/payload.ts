/** Reading a task payload defensively: a malformed payload is a task error with a clear reason. */

/** Thrown for payloads or inputs the workload cannot process. */
export class BadInputError extends Error {
  override name = 'BadInputError';
}

/** The payload as an object, or a BadInputError. */
export function payloadObject(event: unknown, workload: string): Record<string, unknown> {
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    throw new BadInputError(`${workload}: payload must be an object`);
  return event as Record<string, unknown>;
}

/** A required non-empty string field. */
export function stringField(o: Record<string, unknown>, name: string): string {
  const v = o[name];
  if (typeof v !== 'string' || v === '') throw new BadInputError(`payload.${name} must be a non-empty string`);
  return v;
}

/** A required integer field ≥ `min`, or its default when absent. */
export function intField(o: Record<string, unknown>, name: string, min: number, fallback?: number): number {
  const v = o[name] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new BadInputError(`payload.${name} must be an integer ≥ ${min}`);
  return v;
}
