/** Path-traversal guard for the local S3 store: object keys are names, never paths out of their bucket. */
import { isAbsolute, relative, resolve } from 'node:path';

/** True when a key has a `.` or `..` segment (which a file store would resolve as a path step). */
export function isTraversalKey(key: string): boolean {
  return key.split(/[\\/]/).some((s) => s === '..' || s === '.');
}

/** The store's path for `key`, or `refuse(message)` thrown when the key would step out of (or alias in) the bucket. */
export function guardedResourcePath(
  bucket: string,
  key: string,
  resolvePath: (bucket: string, key: string) => string,
  refuse: (message: string) => Error,
): string {
  if (isTraversalKey(key) || isTraversalKey(bucket))
    throw refuse(`The local platform refuses object keys with "." or ".." segments: ${JSON.stringify(key.slice(0, 200))}`);
  return resolvePath(bucket, key);
}

/** True when `path` is `root` or lies below it (after resolving `..`, absolute parts and separators). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(root, path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** A multipart upload id as the store issues it (16 random bytes, hex): 32 hex characters. */
export function isUploadId(v: unknown): v is string {
  return typeof v === 'string' && /^[0-9a-f]{32}$/.test(v);
}

/** S3's InvalidArgument text for a part number that is not an integer 1..10,000, else undefined. */
export function partNumberProblem(v: unknown): string | undefined {
  const s = typeof v === 'number' ? String(v) : v;
  if (typeof s === 'string' && /^[0-9]{1,5}$/.test(s) && Number(s) >= 1 && Number(s) <= 10_000) return undefined;
  return 'Part number must be an integer between 1 and 10000, inclusive';
}

/** S3's answer for an upload id it does not know. */
export const NO_SUCH_UPLOAD =
  'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.';
