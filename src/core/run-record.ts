/**
 * The domain types of a measured run and of the record a workspace keeps of it (`.propack/runs/<id>.json`),
 * with the one check of a record read from a file. The job measures runs, the run store saves records,
 * the objective compares them and the reports show them; none of them depends on another to name a run.
 */

import type { RetryCause } from './run-metrics';

/** One measured packed execution at one packing degree. */
export interface MeasuredRun {
  packingDegree: number;
  /** Net service time (s): first dispatch until the last task ended. */
  serviceTime: number;
  p50: number;
  p90: number;
  p95: number;
  scalingTime: number;
  /** USD: every invocation billed (retries too), request fees included. */
  cost: number;
  tasks: { total: number; succeeded: number; failed: number };
  throttles: number;
  retries: number;
  /** Why retried attempts failed, most frequent first (absent in records saved before it was kept). */
  retryCauses?: RetryCause[];
  /** Sorted task completion times (s since the first dispatch), for CDF charts. */
  completionTimes: number[];
  /** Present when the run's output was verified. */
  check?: { ok: boolean; checked: number; failures: string[] };
}

/** One saved run: a measured run with where, when and how it ran. */
export interface RunRecord {
  id: string;
  functionName: string;
  createdAt: string;
  platform: string;
  concurrency: number;
  /** `stepfunctions`: through a Distributed Map, its cost included. */
  dispatch: 'sync' | 'async' | 'stepfunctions';
  label: string;
  measured: MeasuredRun;
  /** What the model predicted for this run, when it was a recommendation. */
  predicted?: { serviceTime: number; cost: number };
}

/** Fields a record read from a file must have, checked in this order (the first missing one is reported). */
const RECORD_FIELDS: readonly [keyof RunRecord, 'string' | 'number' | 'object'][] = [
  ['id', 'string'],
  ['functionName', 'string'],
  ['createdAt', 'string'],
  ['platform', 'string'],
  ['concurrency', 'number'],
  ['label', 'string'],
  ['measured', 'object'],
];
const MEASURED_FIELDS: readonly (keyof MeasuredRun)[] = ['packingDegree', 'serviceTime', 'p50', 'p90', 'p95', 'scalingTime', 'cost'];

/**
 * Why `value` (a parsed run file) is not a run record, in a few words ("measured.cost is not a number"),
 * or undefined when it is one. Numbers may be NaN (JSON null): a run that measured nothing says so in its
 * numbers, and the reports show "—" for them.
 */
export function runRecordProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const v = value as Record<string, unknown>;
  for (const [field, type] of RECORD_FIELDS) {
    if (typeof v[field] !== type || v[field] === null) return `${field} is not ${type === 'object' ? 'an object' : `a ${type}`}`;
  }
  if (v.dispatch !== 'sync' && v.dispatch !== 'async' && v.dispatch !== 'stepfunctions')
    return 'dispatch is not "sync", "async" or "stepfunctions"';
  const m = v.measured as Record<string, unknown>;
  for (const field of MEASURED_FIELDS) if (typeof m[field] !== 'number' && m[field] !== null) return `measured.${field} is not a number`;
  const tasks = m.tasks as Record<string, unknown> | undefined;
  if (typeof tasks !== 'object' || tasks === null || !['total', 'succeeded', 'failed'].every((k) => typeof tasks[k] === 'number'))
    return 'measured.tasks is not { total, succeeded, failed }';
  if (!Array.isArray(m.completionTimes) || !m.completionTimes.every((t) => typeof t === 'number' || t === null))
    return 'measured.completionTimes is not an array of numbers';
  const causes = m.retryCauses;
  if (
    causes !== undefined &&
    !(
      Array.isArray(causes) &&
      causes.every((c: unknown) => typeof (c as RetryCause)?.reason === 'string' && typeof (c as RetryCause)?.count === 'number')
    )
  )
    return 'measured.retryCauses is not an array of { reason, count }';
  return undefined;
}
