import { unzipSync } from 'fflate';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { invalidParameter } from './lambda-error';

/** Unzips a deployment package into `dir`; entries escaping `dir` (zip slip) reject the whole package. */
export function unzipTo(zip: Uint8Array, dir: string): void {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch {
    throw invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');
  }
  const root = resolve(dir);
  for (const [name, data] of Object.entries(files)) {
    const target = resolve(root, name);
    if (target !== root && !target.startsWith(root + sep)) throw invalidParameter(`Zip entry escapes the package: ${name}`);
    if (name.endsWith('/')) { mkdirSync(target, { recursive: true }); continue; }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  }
  mkdirSync(join(root), { recursive: true });
}
