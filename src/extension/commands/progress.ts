// A cancellable progress notification whose steps are named, logged, and bound to an AbortSignal.
import * as vscode from 'vscode';

/** What a long task gets: a step reporter (fraction 0–1 of the whole) and the cancel signal. */
export interface TaskProgress {
  /** Shows a named step; `quiet` keeps frequent counters (tasks done) out of the log. */
  step(name: string, fraction?: number, quiet?: boolean): void;
  signal: AbortSignal;
}

/** Runs `task` under a notification titled `title`; Cancel aborts the signal. */
export function withSteps<T>(title: string, log: vscode.LogOutputChannel, task: (p: TaskProgress) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => {
      log.info(`${title}: cancelled by the user`);
      abort.abort();
    });
    let done = 0;
    return task({
      signal: abort.signal,
      step(name, fraction, quiet = false) {
        if (!quiet) log.info(`${title}: ${name}`);
        // withProgress takes increments; convert the absolute fraction.
        const increment = fraction === undefined ? undefined : Math.max(0, fraction * 100 - done);
        if (increment !== undefined) done += increment;
        progress.report({ message: name, ...(increment !== undefined ? { increment } : {}) });
      },
    });
  });
}
