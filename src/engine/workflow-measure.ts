/**
 * Measure → record: one measured run of a deployed function at a packing degree, saved as a run record
 * in the workspace (`.propack/runs/<id>.json`). The demo and the extension's Run Packed call it.
 */
import type { FunctionConfig } from '../core/types';
import type { PackedMode } from '../runtime/protocol';
import { runJob, type JobDispatch, type JobResult } from './job';
import type { RunProgress } from './packed-run';
import type { RunRecord } from '../core/run-record';
import { newRunId, saveRun } from './run-store';
import type { Session } from './session';

export interface MeasureOptions {
  session: Session;
  /** The deployed function (its Lambda name, memory, architecture). */
  fn: FunctionConfig;
  /** The name the run is recorded under (the profile's function name; may differ from the Lambda name). */
  functionName: string;
  /** "no-packing", "propack", "grid-p4", …: names the run in the id and in the report. */
  label: string;
  /** Task payloads per phase, in run order. */
  phases: unknown[][];
  packingDegree: number;
  mode?: PackedMode;
  dispatch?: JobDispatch;
  /** Bucket for asynchronous results (dispatch async), and the Map's tasks and results (stepfunctions). */
  resultBucket?: string;
  /** The role the Map's state machine runs as (dispatch stepfunctions). */
  stateMachineRole?: string;
  /** Folder whose `.propack/runs/` receives the record. */
  workspace: string;
  platformLabel: string;
  /** The job's concurrency C, as recorded. */
  concurrency: number;
  /** What the model predicted for this run (s, USD), when it runs a recommendation. */
  predicted?: { serviceTime: number; cost: number };
  signal?: AbortSignal;
  onProgress?: (phase: string, p: RunProgress) => void;
}

/** A run stopped by its signal; nothing was saved. */
export class RunCancelledError extends Error {
  override name = 'RunCancelledError';
  constructor() {
    super('cancelled');
  }
}

/**
 * Runs the job at the packing degree and saves its record; returns both. A cancelled run throws a
 * RunCancelledError and is not saved: its unfinished tasks would count as measured failures.
 */
export async function measureAndRecord(o: MeasureOptions): Promise<{ record: RunRecord; result: JobResult }> {
  const id = newRunId(`${o.functionName}-${o.label}`);
  const dispatch = o.dispatch ?? 'sync';
  const result = await runJob({
    session: o.session,
    fn: o.fn,
    phases: o.phases,
    packingDegree: o.packingDegree,
    mode: o.mode,
    dispatch,
    resultBucket: o.resultBucket,
    ...(o.stateMachineRole ? { stateMachineRole: o.stateMachineRole } : {}),
    concurrency: o.concurrency,
    runId: id,
    signal: o.signal,
    onProgress: o.onProgress,
  });
  if (result.cancelled) throw new RunCancelledError();
  const record: RunRecord = {
    id,
    functionName: o.functionName,
    createdAt: new Date().toISOString(),
    platform: o.platformLabel,
    concurrency: o.concurrency,
    dispatch,
    label: o.label,
    measured: result.measured,
    ...(o.predicted ? { predicted: { serviceTime: o.predicted.serviceTime, cost: o.predicted.cost } } : {}),
  };
  saveRun(o.workspace, record);
  return { record, result };
}
