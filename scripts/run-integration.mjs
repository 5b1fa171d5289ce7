// npm run test:integration — runs test/integration's mocha suites inside code-server's real extension
// host, opened by headless Chromium. Exit code: mocha's (0 pass, 1 fail), 2 on timeout, 130 on a signal.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { openSession, runHarness } from './harness/session.mjs';
import { REPO } from './harness/tools.mjs';

const TIMEOUT_MS = Number(process.env.PROPACK_TEST_TIMEOUT_MS ?? 240_000);
/** Mocha's closing line (test/integration/index.ts), printed bare so CI logs can grep it. */
const SUMMARY = /^\d+ passed, \d+ failed$/;

runHarness(async () => {
  const t0 = Date.now();
  let finished;
  const exited = new Promise((resolve) => (finished = resolve));
  const { page } = await openSession({
    name: 'it',
    extensionTestsPath: join(REPO, 'out', 'test', 'integration', 'index.js'),
    // The workbench reports the extension host's console and the suite's end through these two functions.
    beforeOpen: async (p) => {
      await p.exposeFunction('codeAutomationLog', (type, args) => {
        const text = format(...(Array.isArray(args) ? args : [args]));
        const out = type === 'error' ? console.error : console.log;
        out(SUMMARY.test(text.trim()) ? text.trim() : `[ext-host] ${text}`);
      });
      await p.exposeFunction('codeAutomationExit', (code) => finished(Number(code)));
    },
  });
  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS)));
  const code = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (code === 'timeout') {
    console.error(`[harness] TIMEOUT: the suites did not finish in ${TIMEOUT_MS} ms`);
    mkdirSync(join(REPO, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(REPO, 'test-results', 'integration-timeout.png') }).catch(() => undefined);
    return 2;
  }
  console.log(`[harness] integration tests exit code ${code} after ${Date.now() - t0} ms`);
  return code;
});
