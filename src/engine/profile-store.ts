/** Loads and saves profile files (`.propack/profiles/<function>.json`). */
import { join } from 'node:path';
import { parseProfile, serializeProfile } from '../core/profile';
import { PROFILES_FOLDER } from '../core/workspace-layout';
import type { Profile } from '../core/types';
import { readText, writeFileAtomic } from './files';

/** Where a workspace keeps its profiles. */
export const PROFILES_DIR = join(PROFILES_FOLDER);

/** Reads and validates a profile file (throws FileError or ProfileError, one line each). */
export function loadProfile(path: string): Profile {
  return parseProfile(readText(path), path);
}

/** Saves a profile atomically. */
export function saveProfile(path: string, profile: Profile): void {
  writeFileAtomic(path, serializeProfile(profile));
}

/** The profile path of a function inside a workspace folder. */
export function profilePathFor(workspace: string, functionName: string): string {
  return join(workspace, PROFILES_DIR, `${functionName.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
}
