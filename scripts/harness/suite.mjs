// Runs a mocha suite inside code-server's real extension host (the workbench loads it as `extensionTestsPath`)
// and waits for its end: the workbench reports the host's console and the suite's exit through two page
// functions. Resolves to mocha's exit code (0 pass, 1 fail), or 2 when it did not finish in `timeoutMs`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { openSession } from './session.mjs';
import { REPO } from './tools.mjs';

/** Mocha's closing line (test/*\/index.ts), printed bare so CI logs can grep it. */
const SUMMARY = /^\d+ passed, \d+ failed$/;

/**
 * `session` holds openSession's options (name, extensionTestsPath, ...); `afterSuite(session)` runs once the
 * suite ended and before the session closes (e.g. to look at the workbench) and may turn a pass into a failure
 * by returning a non-zero code. The session is closed before this resolves.
 */
export async function runSuiteSession({ timeoutMs, afterSuite, ...session }) {
  const t0 = Date.now();
  let finished;
  // A promise the extension rejected and nobody handled: a bug even when every assertion passed.
  const unhandled = [];
  const exited = new Promise((resolve) => (finished = resolve));
  const opened = await openSession({
    ...session,
    beforeOpen: async (p) => {
      await p.exposeFunction('codeAutomationLog', (type, args) => {
        const text = format(...(Array.isArray(args) ? args : [args]));
        const out = type === 'error' ? console.error : console.log;
        if (/rejected promise not handled/.test(text)) unhandled.push(text.split('\n')[0]);
        out(SUMMARY.test(text.trim()) ? text.trim() : `[ext-host] ${text}`);
      });
      await p.exposeFunction('codeAutomationExit', (code) => finished(Number(code)));
    },
  });
  try {
    let timer;
    const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    let code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (code === 'timeout') {
      console.error(`[harness] TIMEOUT: the ${session.name} suites did not finish in ${timeoutMs} ms`);
      mkdirSync(join(REPO, 'test-results'), { recursive: true });
      await opened.page.screenshot({ path: join(REPO, 'test-results', `${session.name}-timeout.png`) }).catch(() => undefined);
      return 2;
    }
    if (afterSuite) code = (await afterSuite(opened)) || code;
    if (unhandled.length > 0) {
      console.error(`[harness] FAIL: ${unhandled.length} unhandled promise rejection(s) in the extension host: ${unhandled.join(' | ')}`);
      code = code || 1;
    }
    console.log(`[harness] ${session.name} tests exit code ${code} after ${Date.now() - t0} ms`);
    return code;
  } finally {
    await opened.close();
  }
}
