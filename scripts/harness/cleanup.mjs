// Runs registered cleanups exactly once: on normal finish, on an exception, on a timeout, on SIGINT/SIGTERM.
const tasks = [];
let running;

/** Adds a cleanup; they run in reverse order of registration (browser before server). */
export function onCleanup(task) {
  tasks.push(task);
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
