// Helpers shared by the integration suites: the activated extension's API and waiting on conditions.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { parseProfile } from '../../src/core/profile';
import type { Profile } from '../../src/core/types';
import type { ProPackApi } from '../../src/extension/test-api';

export const EXTENSION_ID = 'propack-dev.propack';

/** Activates ProPack (if the workspace did not already) and returns its exports. */
export async function propackApi(): Promise<ProPackApi> {
  const ext = vscode.extensions.getExtension<ProPackApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The first workspace folder (the runner always opens one). */
export function workspaceRoot(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('the integration tests need a workspace folder');
  return f.uri;
}

/** The small CommonJS handler of the test workspace (scripts/harness/workspace.mjs), as the commands take it. */
export const echo = (): { uri: vscode.Uri; exportName: string; functionName: string; line: number } => ({
  uri: vscode.Uri.joinPath(workspaceRoot(), 'echo.js'),
  exportName: 'handler',
  functionName: 'echo',
  line: 1,
});

export async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** Reads the profile Profile Function saved for echo.js on the local platform and checks what every such profile holds. */
export async function echoProfile(profileUri: vscode.Uri | undefined): Promise<Profile> {
  assert.ok(profileUri, 'profile written (see the ProPack channel for the reason if not)');
  assert.strictEqual(vscode.workspace.asRelativePath(profileUri, false), '.propack/profiles/echo.json');
  const profile = parseProfile(await readText(profileUri), 'echo.json');
  assert.strictEqual(profile.function.name, 'echo');
  assert.strictEqual(profile.source.kind, 'local');
  assert.deepStrictEqual(
    profile.scaling.runs.map((r) => r.concurrency),
    [2, 4, 8],
  );
  assert.ok(profile.packing.samples.some((s) => s.degree === 8));
  return profile;
}
