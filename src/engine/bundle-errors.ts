/** A handler file the packed runtime cannot load or esbuild cannot bundle; `reason` says why (and what to do) without naming the file. */
export class HandlerFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'HandlerFileError';
  }
}
