// Finds and reads the workspace's ProPack files (.propack/profiles/*.json, .propack/runs/*).
import * as vscode from 'vscode';
import type { Profile } from '../core/types';
import { parseProfile } from '../core/profile';
import { PROFILES_FOLDER, PROPACK_FOLDER, RUNS_FOLDER } from '../core/workspace-layout';

/** Glob the file watcher and the activation event use. */
export const PROPACK_GLOB = `${PROPACK_FOLDER}/{profiles,runs}/*`;

/** A profile file that parsed, or one that did not with the one-line reason. */
export type ProfileEntry =
  { ok: true; uri: vscode.Uri; key: string; profile: Profile } | { ok: false; uri: vscode.Uri; key: string; reason: string };

/** A file under `.propack/runs/`. */
export interface RunEntry {
  uri: vscode.Uri;
  key: string;
}

/** Whether `uri` is an existing folder. */
export async function isDirectory(uri: vscode.Uri): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) !== 0;
  } catch {
    return false; // does not exist
  }
}

/** Files of one type in `<folder>/<dir>`, sorted by name; none when the folder does not exist. */
async function listDir(dir: string, accept: (name: string) => boolean): Promise<{ uri: vscode.Uri; key: string }[]> {
  const found: { uri: vscode.Uri; key: string }[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const base = vscode.Uri.joinPath(folder.uri, dir);
    // Asking first keeps a missing folder (the usual case) out of the extension host's error log.
    if (!(await isDirectory(base))) continue;
    const entries = await vscode.workspace.fs.readDirectory(base);
    for (const [name, type] of entries.sort((a, b) => a[0].localeCompare(b[0]))) {
      if (type === vscode.FileType.File && accept(name)) {
        const uri = vscode.Uri.joinPath(base, name);
        found.push({ uri, key: vscode.workspace.asRelativePath(uri, false) });
      }
    }
  }
  return found;
}

/** Reads and parses one profile file, never throwing: errors become entries with a reason. */
export async function readProfileEntry(uri: vscode.Uri, key = vscode.workspace.asRelativePath(uri, false)): Promise<ProfileEntry> {
  try {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    return { ok: true, uri, key, profile: parseProfile(text, key) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, uri, key, reason: message.split('\n')[0] };
  }
}

/** Every `.propack/profiles/*.json` of the workspace, parsed. */
export async function listProfiles(): Promise<ProfileEntry[]> {
  const files = await listDir(PROFILES_FOLDER, (n) => n.endsWith('.json'));
  return Promise.all(files.map((f) => readProfileEntry(f.uri, f.key)));
}

/** Every file under `.propack/runs/`. */
export function listRuns(): Promise<RunEntry[]> {
  return listDir(RUNS_FOLDER, () => true);
}

/** The profile stored at a workspace-relative key (as kept in the report's state). */
export function profileUriForKey(key: string): vscode.Uri | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) return undefined;
  // Multi-root keys start with the folder name; single-root keys are relative to the one folder.
  const [head, ...rest] = key.split('/');
  const named = folders.length > 1 ? folders.find((f) => f.name === head) : undefined;
  return named ? vscode.Uri.joinPath(named.uri, ...rest) : vscode.Uri.joinPath(folders[0].uri, key);
}

/** The usable profile of the function named `functionName`, if the listing has one. */
export function profileForFunction(
  entries: readonly ProfileEntry[],
  functionName: string,
): Extract<ProfileEntry, { ok: true }> | undefined {
  return entries.find((e): e is Extract<ProfileEntry, { ok: true }> => e.ok && e.profile.function.name === functionName);
}
