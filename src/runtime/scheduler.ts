import { epochSeconds, type PackedTask, type PackedTaskResult } from './protocol';

/** Runs one task to completion; must not reject (errors become `status: 'error'`). */
export type TaskExecutor = (task: PackedTask) => Promise<PackedTaskResult>;

export interface ScheduleOptions {
  /** Tasks running at once (≥ 1). */
  concurrency: number;
  /** Epoch ms by which the invocation must return; Infinity = none. */
  deadlineMs: number;
  /** A task starts only while more than this many ms remain before the deadline. */
  startMarginMs: number;
  /** With this many ms left, return anyway: running tasks become errors, queued ones not-run. */
  returnMarginMs: number;
  execute: TaskExecutor;
  /** Called when the deadline forced a return while tasks were still running. */
  onAbandon?: () => void;
}

// setTimeout holds a signed 32-bit delay; longer deadlines need no timer at all.
const MAX_TIMER_MS = 2 ** 31 - 1;

function notRun(task: PackedTask, at: number): PackedTaskResult {
  return { id: task.id, status: 'not-run', startedAt: at, endedAt: at };
}

/**
 * Runs `tasks` with bounded concurrency, starting each only while the deadline allows, and always
 * returns one result per task in request order.
 */
export function runScheduled(tasks: PackedTask[], opts: ScheduleOptions): Promise<PackedTaskResult[]> {
  const results: (PackedTaskResult | undefined)[] = new Array(tasks.length).fill(undefined);
  const startedAtMs: number[] = new Array(tasks.length).fill(0);
  const concurrency = Math.max(1, Math.floor(opts.concurrency));
  let next = 0;
  let active = 0;
  let done = false;

  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      resolve(results as PackedTaskResult[]);
    };
    const giveUp = (): void => {
      const now = Date.now();
      let abandoned = false;
      tasks.forEach((task, i) => {
        if (results[i]) return;
        if (i < next) {
          abandoned = true;
          results[i] = {
            id: task.id,
            status: 'error',
            startedAt: epochSeconds(startedAtMs[i]),
            endedAt: epochSeconds(now),
            error: { type: 'DeadlineExceeded', message: 'task still running when the invocation had to return' },
          };
        } else {
          results[i] = notRun(task, epochSeconds(now));
        }
      });
      next = tasks.length;
      if (abandoned) opts.onAbandon?.();
      finish();
    };
    const pump = (): void => {
      while (!done && active < concurrency && next < tasks.length) {
        if (Date.now() >= opts.deadlineMs - opts.startMarginMs) {
          const now = epochSeconds();
          for (; next < tasks.length; next++) results[next] = notRun(tasks[next], now);
          break;
        }
        const i = next++;
        active++;
        startedAtMs[i] = Date.now();
        void opts.execute(tasks[i]).then((r) => {
          active--;
          if (done) return;
          results[i] = r;
          pump();
        });
      }
      if (!done && active === 0 && next >= tasks.length) finish();
    };
    const stopIn = opts.deadlineMs - opts.returnMarginMs - Date.now();
    if (Number.isFinite(stopIn) && stopIn < MAX_TIMER_MS) timer = setTimeout(giveUp, Math.max(0, stopIn));
    pump();
  });
}
