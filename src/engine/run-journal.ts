/**
 * The journal of one run under `.propack/runs/<id>/`: `spec.json` (what to run, written atomically before
 * the first dispatch) and `journal.ndjson` (one line per task that became final, appended and fsync'd), so
 * a client killed mid-run can resume without running finished tasks again.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskOutcome } from '../core/run-metrics';
import { FileError, readText, writeFileAtomic } from './files';
import type { TaskInput } from './packed-run';
import { RUNS_DIR } from './run-store';

export const RUN_SPEC_SCHEMA = 'propack.run-spec/v1';

/** Everything needed to run (or resume) a run: the function, its tasks and how they are packed. */
export interface RunSpec {
  schema: typeof RUN_SPEC_SCHEMA;
  id: string;
  createdAt: string;
  functionName: string;
  packingDegree: number;
  /** Tasks in flight at once (the job's concurrency C). */
  concurrency: number;
  dispatch: 'sync' | 'async';
  memoryMb: number;
  /** x86_64 when absent (runs journaled before the field existed). */
  architecture?: 'x86_64' | 'arm64';
  /** Where the run goes; the embedded (or env-named) local platform when absent. A resume goes to the same place. */
  platform?: { kind: 'aws'; region: string; profile?: string; resultBucket?: string };
  tasks: TaskInput[];
}

/** The folder of a run. */
export function runDir(workspace: string, id: string): string {
  return join(workspace, RUNS_DIR, id);
}

/** Reads the final outcomes journaled so far; a torn last line (a crash mid-append) is ignored. */
export function readJournal(path: string): TaskOutcome[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new FileError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const out: TaskOutcome[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as TaskOutcome);
    } catch {
      // Only the last line can be torn (appends are sequential); its task simply runs again.
    }
  }
  return out;
}

/** An open run journal: appends final outcomes durably. */
export class RunJournal {
  private fd: number | undefined;

  private constructor(readonly dir: string, readonly spec: RunSpec, readonly finished: Map<string, TaskOutcome>) {
    mkdirSync(dir, { recursive: true });
    this.fd = openSync(join(dir, 'journal.ndjson'), 'a');
  }

  /** Starts a new run: writes its spec atomically, then opens an empty journal. */
  static create(workspace: string, spec: RunSpec): RunJournal {
    const dir = runDir(workspace, spec.id);
    writeFileAtomic(join(dir, 'spec.json'), JSON.stringify(spec) + '\n');
    return new RunJournal(dir, spec, new Map());
  }

  /** Reopens a run to resume it: its spec and the tasks already final. */
  static resume(workspace: string, id: string): RunJournal {
    if (!/^[A-Za-z0-9._-]+$/.test(id) || id.startsWith('.')) throw new FileError(`run id "${id}" is not a run id`);
    const dir = runDir(workspace, id);
    let spec: RunSpec;
    try {
      spec = JSON.parse(readText(join(dir, 'spec.json'))) as RunSpec;
    } catch (e) {
      throw new FileError(e instanceof FileError ? `no run "${id}" to resume (${e.message})` : `run "${id}" has a damaged spec.json`);
    }
    if (spec.schema !== RUN_SPEC_SCHEMA || !Array.isArray(spec.tasks)) throw new FileError(`run "${id}": spec.json is not a ${RUN_SPEC_SCHEMA} file`);
    const finished = new Map(readJournal(join(dir, 'journal.ndjson')).map((o) => [o.id, o]));
    return new RunJournal(dir, spec, finished);
  }

  /** Tasks not final yet, in spec order. */
  remaining(): TaskInput[] {
    return this.spec.tasks.filter((t) => !this.finished.has(t.id));
  }

  /** Appends one final outcome and forces it to disk before returning. */
  append(o: TaskOutcome): void {
    if (this.fd === undefined) throw new Error('the run journal is closed');
    this.finished.set(o.id, o);
    // One write per line: a kill can tear at most the last line, which readJournal skips.
    writeSync(this.fd, JSON.stringify(o) + '\n');
    fsyncSync(this.fd);
  }

  /** Every task's outcome in spec order (undefined for tasks not final). */
  outcomes(): (TaskOutcome | undefined)[] {
    return this.spec.tasks.map((t) => this.finished.get(t.id));
  }

  /** Writes a summary file next to the journal, atomically. */
  writeSummary(summary: unknown): string {
    const path = join(this.dir, 'summary.json');
    writeFileAtomic(path, JSON.stringify(summary, null, 2) + '\n');
    return path;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
