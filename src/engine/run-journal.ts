/**
 * The journal of one run under `.propack/runs/<id>/`: `spec.json` (what to run, written atomically before
 * the first dispatch) and `journal.ndjson` (one line per task that became final, appended and fsync'd), so
 * a client killed mid-run can resume without running finished tasks again.
 */
import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskOutcome } from '../core/run-metrics';
import { FileError, readText, writeFileAtomic } from './files';
import type { MapExecutionRef } from './map-dispatch';
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
  /** `stepfunctions`: through a Distributed Map (map-dispatch.ts), whose executions the journal also keeps. */
  dispatch: 'sync' | 'async' | 'stepfunctions';
  memoryMb: number;
  /** x86_64 when absent (runs journaled before the field existed). */
  architecture?: 'x86_64' | 'arm64';
  /** Where the run goes; the embedded (or env-named) local platform when absent. A resume goes to the same place. */
  platform?: { kind: 'aws'; region: string; profile?: string; resultBucket?: string; stateMachineRole?: string };
  tasks: TaskInput[];
}

/** The Step Functions executions a run started, one JSON line each. */
const EXECUTIONS_FILE = 'executions.ndjson';

/** The folder of a run. */
export function runDir(workspace: string, id: string): string {
  return join(workspace, RUNS_DIR, id);
}

/** What a journal file holds: its valid records, why any line was skipped, and where a torn tail begins. */
export interface JournalScan {
  outcomes: TaskOutcome[];
  /** One per skipped line, naming the line number (1-based). */
  warnings: string[];
  /** Byte length of the file's complete lines; the rest is a torn tail (a crash mid-append). */
  completeBytes: number;
  /** Byte length of the file. */
  totalBytes: number;
  /** The file's last line is a whole record that only lacks its newline. */
  tailIsRecord: boolean;
  /** Number (1-based) of the file's last line, the one a torn tail is on. */
  lastLine: number;
}

function isOutcome(v: unknown): v is TaskOutcome {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.id === 'string' && o.id !== '' && (o.status === 'succeeded' || o.status === 'failed');
}

/**
 * Reads a journal. Lines that are not JSON objects with a task id and a final status are skipped with a
 * warning naming the line (their tasks run again); a torn last line (a crash mid-append) is reported as
 * such: `RunJournal.resume` cuts it off before appending, so the next record is never glued onto it.
 */
export function scanJournal(path: string): JournalScan {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      return { outcomes: [], warnings: [], completeBytes: 0, totalBytes: 0, tailIsRecord: false, lastLine: 1 };
    throw new FileError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const lastNewline = buf.lastIndexOf(0x0a);
  const completeBytes = lastNewline + 1;
  const lines = buf.toString('utf8').split('\n');
  const outcomes: TaskOutcome[] = [];
  const warnings: string[] = [];
  let tailIsRecord = false;
  lines.forEach((line, i) => {
    const torn = i === lines.length - 1; // after the last newline: empty, or a tail without its newline
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (!torn) warnings.push(`${path}:${i + 1}: skipped: not a JSON record`);
      return; // a torn tail: its task simply runs again
    }
    if (!isOutcome(value)) {
      warnings.push(`${path}:${i + 1}: skipped: not a task outcome (an object with an "id" and a "status" of succeeded or failed)`);
      return;
    }
    if (torn) tailIsRecord = true;
    outcomes.push(value);
  });
  return { outcomes, warnings, completeBytes, totalBytes: buf.length, tailIsRecord, lastLine: lines.length };
}

/** Reads the final outcomes journaled so far (see `scanJournal`; warnings are dropped). */
export function readJournal(path: string): TaskOutcome[] {
  return scanJournal(path).outcomes;
}

/** An open run journal: appends final outcomes durably. */
export class RunJournal {
  private fd: number | undefined;

  private constructor(
    readonly dir: string,
    readonly spec: RunSpec,
    readonly finished: Map<string, TaskOutcome>,
    /** Lines of the journal skipped on resume, each naming its line number. */
    readonly warnings: string[] = [],
    scan?: JournalScan,
  ) {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'journal.ndjson');
    this.fd = openSync(path, 'a');
    if (scan && scan.completeBytes < scan.totalBytes) {
      if (scan.tailIsRecord) {
        // A whole record that lost only its newline: end its line so the next record starts a new one.
        writeSync(this.fd, '\n');
      } else {
        // A torn tail: cut the file back to its last complete record before anything is appended after it.
        ftruncateSync(this.fd, scan.completeBytes);
        this.warnings.push(
          `${path}:${scan.lastLine}: cut a torn last line (${scan.totalBytes - scan.completeBytes} bytes); its task runs again`,
        );
      }
      fsyncSync(this.fd);
    }
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
    if (spec.schema !== RUN_SPEC_SCHEMA || !Array.isArray(spec.tasks))
      throw new FileError(`run "${id}": spec.json is not a ${RUN_SPEC_SCHEMA} file`);
    const scan = scanJournal(join(dir, 'journal.ndjson'));
    const known = new Set(spec.tasks.map((t) => t.id));
    const finished = new Map(scan.outcomes.filter((o) => known.has(o.id)).map((o) => [o.id, o]));
    return new RunJournal(dir, spec, finished, [...scan.warnings], scan);
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

  /** Records a Step Functions execution the run started (fsync'd before dispatch goes on), for a resume to collect. */
  appendExecution(e: MapExecutionRef): void {
    const fd = openSync(join(this.dir, EXECUTIONS_FILE), 'a');
    try {
      writeSync(fd, JSON.stringify(e) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** The executions recorded so far (a torn or foreign line is skipped: its tasks run again). */
  executions(): MapExecutionRef[] {
    let text: string;
    try {
      text = readFileSync(join(this.dir, EXECUTIONS_FILE), 'utf8');
    } catch {
      return [];
    }
    return text.split('\n').flatMap((line) => {
      try {
        const v = JSON.parse(line) as Partial<MapExecutionRef>;
        return typeof v.executionArn === 'string' && Array.isArray(v.taskIds) ? [v as MapExecutionRef] : [];
      } catch {
        return [];
      }
    });
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
