// Helpers of the installed-package suites: the ProPack under test must be the one installed from the .vsix
// into the session's extensions folder (not the repository), and its output channel is read from disk.
import * as assert from 'assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { join, relative, isAbsolute } from 'path';
import * as vscode from 'vscode';
import type { ProPackApi } from '../../src/extension/test-api';
import { EXTENSION_ID, waitFor } from '../integration/extension-api';

export { echo, readText } from '../integration/extension-api';

/** A variable the harness (scripts/run-installed.mjs) sets for the extension host. */
export function harnessEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run these suites with scripts/run-installed.mjs`);
  return v;
}

const inside = (path: string, dir: string): boolean => {
  const r = relative(dir, path);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r);
};

/** The installed ProPack, checked to come from the session's extensions folder, activated. */
export async function installedPropack(): Promise<{ ext: vscode.Extension<ProPackApi>; api: ProPackApi }> {
  const matches = vscode.extensions.all.filter((e) => e.id.toLowerCase() === EXTENSION_ID);
  assert.strictEqual(matches.length, 1, `one ${EXTENSION_ID} loaded, found ${matches.map((e) => e.extensionPath).join(', ') || 'none'}`);
  const ext = vscode.extensions.getExtension<ProPackApi>(EXTENSION_ID);
  assert.ok(ext);
  const extensionsDir = harnessEnv('PROPACK_INSTALLED_EXTENSIONS_DIR');
  assert.ok(inside(ext.extensionPath, extensionsDir), `ProPack runs from ${ext.extensionPath}, not from the installed ${extensionsDir}`);
  assert.ok(!inside(ext.extensionPath, harnessEnv('PROPACK_REPO')), `ProPack runs from the repository (${ext.extensionPath})`);
  const api = await ext.activate();
  assert.ok(ext.isActive);
  return { ext, api };
}

function logFiles(dir: string, found: string[] = []): string[] {
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) logFiles(p, found);
    else if (/ProPack\.log$/.test(name)) found.push(p);
  }
  return found;
}

/** Everything the ProPack output channel holds so far (as the extension host wrote it to disk). */
export function propackLog(): string {
  return logFiles(harnessEnv('PROPACK_INSTALLED_USER_DATA'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
}

/** Waits for the output channel's line matching `pattern` (which must capture the text after the prefix). */
export function logLine(what: string, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  return waitFor(what, () => propackLog().match(pattern) ?? undefined, timeoutMs);
}
