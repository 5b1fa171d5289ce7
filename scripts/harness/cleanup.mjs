// Runs registered cleanups exactly once: on normal finish, on an exception, on a timeout, on SIGINT/SIGTERM.
const tasks = [];
let running;

/** Adds a cleanup; they run in reverse order of registration (browser before server). */
export function onCleanup(task) {
  tasks.push(task);
}

/**
 * A group of cleanups that can run before the process ends (one code-server session of several): `close()`
 * runs them in reverse order, once; if it never gets called they run with the global cleanup.
 */
export function cleanupScope() {
  const mine = [];
  let closing;
  const close = () =>
    (closing ??= (async () => {
      for (const task of mine.reverse()) {
        try {
          await task();
        } catch (e) {
          console.error('[harness] cleanup step failed:', e?.message ?? e);
        }
      }
    })());
  onCleanup(close);
  return { onCleanup: (task) => mine.push(task), close };
}

/** Runs every cleanup once; later calls wait for the same run. */
export function cleanup() {
  running ??= (async () => {
    for (const task of tasks.reverse()) {
      try {
        await task();
      } catch (e) {
        console.error('[harness] cleanup step failed:', e?.message ?? e);
      }
    }
  })();
  return running;
}

let exitCode;
/** Cleans up and exits with `code`, or with the code of an earlier call (a signal wins over the error it causes). */
export async function exitAfterCleanup(code) {
  exitCode ??= code;
  await cleanup();
  process.exit(exitCode);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`[harness] ${signal}: stopping code-server and the browser`);
    void exitAfterCleanup(130);
  });
}
process.on('uncaughtException', (e) => {
  console.error('[harness] uncaught exception:', e);
  void exitAfterCleanup(1);
});
process.on('unhandledRejection', (e) => {
  console.error('[harness] unhandled rejection:', e);
  void exitAfterCleanup(1);
});
