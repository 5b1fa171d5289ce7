/** A tiny pure-Python wheel (py3-none-any) written by the test itself, so pip installs it with no download. */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';

function recordHash(text: string): string {
  return `sha256=${createHash('sha256').update(text).digest('base64url')}`;
}

/** Writes `<dir>/<name>-<version>-py3-none-any.whl` holding `<name>/__init__.py` = `init`; returns its path. */
export function writeWheel(dir: string, name: string, version: string, init: string): string {
  const info = `${name}-${version}.dist-info`;
  const files: Record<string, string> = {
    [`${name}/__init__.py`]: init,
    [`${info}/METADATA`]: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`,
    [`${info}/WHEEL`]: 'Wheel-Version: 1.0\nGenerator: propack-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
  };
  const record = Object.entries(files)
    .map(([path, text]) => `${path},${recordHash(text)},${Buffer.byteLength(text)}\n`)
    .join('');
  files[`${info}/RECORD`] = `${record}${info}/RECORD,,\n`;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}-${version}-py3-none-any.whl`);
  writeFileSync(path, zipSync(Object.fromEntries(Object.entries(files).map(([p, t]) => [p, strToU8(t)]))));
  return path;
}

/** A requirements.txt that installs only from the folder `findLinks` (relative to the package folder; no index, so no network). */
export function offlineRequirements(findLinks: string, ...pins: string[]): string {
  return `--no-index\n--find-links ${findLinks}\n${pins.join('\n')}\n`;
}
