/** Runs kept in the workspace (`.propack/runs/<id>.json`), written atomically. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RUNS_FOLDER } from '../core/workspace-layout';
import { writeFileAtomic } from './files';
import type { RunRecord } from '../core/run-record';

export const RUNS_DIR = join(RUNS_FOLDER);

/** A run id that sorts by time and does not collide within a process. */
export function newRunId(label: string): string {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${label.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Saves a run record under the workspace. */
export function saveRun(workspace: string, record: RunRecord): string {
  const path = join(workspace, RUNS_DIR, `${record.id}.json`);
  writeFileAtomic(path, JSON.stringify(record, null, 2) + '\n');
  return path;
}

/** Run files of a workspace, newest first. */
export function listRuns(workspace: string): string[] {
  try {
    return readdirSync(join(workspace, RUNS_DIR))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}
