/** File helpers of the engine: atomic writes and readable one-line errors. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A file the user named could not be read or written; the message is one line that says which and why. */
export class FileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileError';
  }
}

/** Reads a UTF-8 text file or throws a FileError naming it. */
export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : (e as Error).message;
    throw new FileError(`cannot read ${path}: ${why}`);
  }
}

/** Writes a file atomically (temp file + rename), creating its folder, so a crash never leaves half a file. */
export function writeFileAtomic(path: string, content: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    throw new FileError(`cannot write ${path}: ${(e as Error).message}`);
  }
}
