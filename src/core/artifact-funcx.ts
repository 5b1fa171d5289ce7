/**
 * ProPack's funcX (Globus Compute) runs, `funcX/data/results.txt`, as a profile of a funcX endpoint. Pure:
 * the engine reads the file. Each block is `[date]`, `Max Workers at Endpoint: W`, then `C: seconds` lines;
 * the seconds are funcX's scaling time of a no-op function: the last task's in-function timestamp minus
 * the client's batch submit. Only scaling was measured on funcX: the packing comes from an AWS profile.
 */
import { ArtifactError, type TextFile } from './artifact';
import { PROFILE_SCHEMA, type Profile, type ScalingRun } from './types';

/** One scaling time of a funcX run (s) at concurrency C. */
export interface FuncxLevel {
  concurrency: number;
  scaleTimeS: number;
}

/** One block of results.txt: a run over every concurrency level at one worker count. */
export interface FuncxRun {
  /** The block's date line as written, without brackets ("Wed, 31 Mar 2021 18:16:04"). */
  date: string;
  /** ISO date of the block (YYYY-MM-DD), read from the date line without any time zone. */
  day: string;
  workers: number;
  /** 1-based line of the block's date in the file. */
  line: number;
  levels: FuncxLevel[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The tag `app` of every funcX scaling run: a no-op function, not the profiled one. */
export const FUNCX_NOOP_APP = 'funcx-noop';

function isoDay(date: string): string | undefined {
  const m = /\b(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})\b/.exec(date);
  const month = m ? MONTHS.indexOf(m[2]) : -1;
  if (!m || month < 0) return undefined;
  return `${m[3]}-${String(month + 1).padStart(2, '0')}-${m[1].padStart(2, '0')}`;
}

/** Parses results.txt into its runs; any line it cannot read is an ArtifactError naming file and line. */
export function parseFuncxResults(f: TextFile): FuncxRun[] {
  const runs: FuncxRun[] = [];
  let current: FuncxRun | undefined;
  let awaitingWorkers = false;
  const fail = (line: number, reason: string): never => {
    throw new ArtifactError(f.path, `line ${line} ${reason}`);
  };
  const close = (): void => {
    if (current && current.levels.length === 0) {
      throw new ArtifactError(f.path, `line ${current.line}: the run dated "${current.date}" has no "C: seconds" lines`);
    }
  };
  f.text.split(/\r?\n/).forEach((raw, i) => {
    const n = i + 1;
    const l = raw.trim();
    if (l === '') return;
    const shown = `"${l.slice(0, 60)}"`;
    const date = /^\[(.+)\]$/.exec(l);
    if (date) {
      if (awaitingWorkers) fail(n, `is a new date but the run before it has no "Max Workers at Endpoint: W" line: ${shown}`);
      close();
      const day = isoDay(date[1]);
      if (!day) fail(n, `is not a date like "[Wed, 31 Mar 2021 18:16:04]": ${shown}`);
      current = { date: date[1].trim(), day: day as string, workers: 0, line: n, levels: [] };
      runs.push(current);
      awaitingWorkers = true;
      return;
    }
    const workers = /^Max Workers at Endpoint:\s*(\S+)$/i.exec(l);
    if (workers) {
      if (!awaitingWorkers) fail(n, `must follow a run's date line: ${shown}`);
      const w = Number(workers[1]);
      if (!Number.isInteger(w) || w < 1) fail(n, `must give a positive whole number of workers: ${shown}`);
      (current as FuncxRun).workers = w;
      awaitingWorkers = false;
      return;
    }
    const level = /^(\S+)\s*:\s*(\S+)$/.exec(l);
    if (!level) fail(n, `is not "[date]", "Max Workers at Endpoint: W" or "C: seconds": ${shown}`);
    const [, cText, sText] = level as RegExpExecArray;
    if (!current) fail(n, `comes before any "[date]" line: ${shown}`);
    if (awaitingWorkers) fail(n, `comes before the run's "Max Workers at Endpoint: W" line: ${shown}`);
    const c = Number(cText);
    const s = Number(sText);
    if (!/^\d+$/.test(cText) || c < 1) fail(n, `must start with a positive whole concurrency: ${shown}`);
    if (!Number.isFinite(s) || s < 0) fail(n, `must give a non-negative number of seconds: ${shown}`);
    const run = current as FuncxRun;
    const prev = run.levels[run.levels.length - 1];
    if (prev && c <= prev.concurrency) fail(n, `has concurrency ${c}, not above the previous ${prev.concurrency}: ${shown}`);
    run.levels.push({ concurrency: c, scaleTimeS: s });
  });
  if (awaitingWorkers) fail((current as FuncxRun).line, `starts a run without a "Max Workers at Endpoint: W" line after it`);
  close();
  if (runs.length === 0) throw new ArtifactError(f.path, 'has no runs (expected "[date]" blocks)');
  return runs;
}

export interface FuncxInput {
  results: TextFile;
  /** Workers at the endpoint: which of the file's runs to use. */
  workers: number;
  /** The AWS profile of the same app whose packing samples stand in for funcX's (as ProPack's paper did). */
  packingFrom: Profile;
  createdAt: string;
  tool: string;
}

/** Smallest concurrency kept: one task has no start span (its time is funcX's dispatch latency). */
const MIN_SCALING_CONCURRENCY = 2;

/** Profile of a funcX endpoint with W workers: its measured scaling runs, the AWS profile's packing. */
export function profileFromFuncx(input: FuncxInput): Profile {
  const all = parseFuncxResults(input.results);
  const chosen = all.filter((r) => r.workers === input.workers);
  if (chosen.length === 0) {
    const found = [...new Set(all.map((r) => r.workers))].join(', ');
    throw new ArtifactError(input.results.path, `has no runs with ${input.workers} workers (found: ${found})`);
  }
  // Span-only runs: the model's start curve spreads each span uniformly over the instances (no per-task times).
  const runs: ScalingRun[] = chosen.flatMap((r) =>
    r.levels
      .filter((l) => l.concurrency >= MIN_SCALING_CONCURRENCY)
      .map((l) => ({ concurrency: l.concurrency, app: FUNCX_NOOP_APP, scaleTimeS: l.scaleTimeS })),
  );
  if (runs.length === 0) throw new ArtifactError(input.results.path, `its ${input.workers}-worker runs have no level with C ≥ 2`);
  const days = [...new Set(chosen.map((r) => r.day))].sort();
  const measuredAt = days.length === 1 ? days[0] : `${days[0]}..${days[days.length - 1]}`;
  const aws = input.packingFrom;
  const app = aws.function.name;
  const fn = aws.function;
  return {
    schema: PROFILE_SCHEMA,
    function: { ...fn, name: app },
    source: {
      kind: 'artifact',
      createdAt: input.createdAt,
      tool: input.tool,
      detail: `funcX endpoint with ${input.workers} workers, measured ${measuredAt} (ProPack's funcX runs, ${chosen.length} repetitions of a no-op function); packing from ProPack's AWS ${app} measurements`,
      platform: { name: 'funcx', workers: input.workers, measuredAt },
      modelled:
        `scaling measured on funcX, packing from ProPack's AWS ${app} measurements (modelled, as the paper did); ` +
        `cost is the AWS Lambda price of the same compute (${fn.memoryMb} MB ${fn.architecture}, ${fn.region}), not a funcX price: funcX bills no GB-s; ` +
        `the endpoint runs at most ${input.workers} packed instance${input.workers === 1 ? '' : 's'} at once (its workers)`,
    },
    scaling: { runs },
    packing: { samples: aws.packing.samples.map((s) => ({ ...s, timesS: [...s.timesS] })), clientOverheadS: aws.packing.clientOverheadS },
    // A worker runs one task (here: one packed instance) at a time, so the workers are the endpoint's concurrency limit.
    concurrencyLimit: input.workers,
  };
}
