// Helpers shared by the integration suites: the activated extension's API and waiting on conditions.
import * as vscode from 'vscode';
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
