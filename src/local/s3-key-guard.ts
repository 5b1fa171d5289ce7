/** Path-traversal guard for the local S3 store: object keys are names, never paths out of their bucket. */

/** True when a key has a `.` or `..` segment (which a file store would resolve as a path step). */
export function isTraversalKey(key: string): boolean {
  return key.split(/[\\/]/).some((s) => s === '..' || s === '.');
}

/** The store's path for `key`, or `refuse(message)` thrown when the key would step out of (or alias in) the bucket. */
export function guardedResourcePath(bucket: string, key: string, resolvePath: (bucket: string, key: string) => string, refuse: (message: string) => Error): string {
  if (isTraversalKey(key) || isTraversalKey(bucket)) throw refuse(`The local platform refuses object keys with "." or ".." segments: ${JSON.stringify(key.slice(0, 200))}`);
  return resolvePath(bucket, key);
}
