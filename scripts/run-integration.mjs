// npm run test:integration — runs test/integration's mocha suites inside code-server's real extension
// host, opened by headless Chromium. Exit code: mocha's (0 pass, 1 fail), 2 on timeout, 130 on a signal.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { launchBrowser, workbenchUrl } from './harness/browser.mjs';
import { cleanup, exitAfterCleanup, onCleanup } from './harness/cleanup.mjs';
import { startCodeServer } from './harness/code-server.mjs';
import { printExtensionLog } from './harness/extension-log.mjs';
import { REPO } from './harness/tools.mjs';
import { makeTestWorkspace } from './harness/workspace.mjs';

const TIMEOUT_MS = Number(process.env.PROPACK_TEST_TIMEOUT_MS ?? 150_000);
const SUMMARY = /^\d+ passed, \d+ failed$/;

async function main() {
  const t0 = Date.now();
  const tmp = mkdtempSync(join(tmpdir(), 'propack-it-'));
  onCleanup(() => rmSync(tmp, { recursive: true, force: true }));
  const workspace = makeTestWorkspace(tmp);
  const server = await startCodeServer(tmp, { verbose: Boolean(process.env.VERBOSE) });
  onCleanup(() => printExtensionLog(server.userData));
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let finished;
  const exited = new Promise((resolve) => (finished = resolve));
  // The workbench reports the extension host's console and the suite's end through these two functions.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    const out = type === 'error' ? console.error : console.log;
    out(SUMMARY.test(text.trim()) ? text.trim() : `[ext-host] ${text}`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => finished(Number(code)));
  page.on('pageerror', (e) => console.error('[workbench:pageerror]', e.message));
  await page.goto(workbenchUrl(server.authority, workspace, {
    extensionDevelopmentPath: REPO,
    extensionTestsPath: join(REPO, 'out', 'test', 'integration', 'index.js'),
  }));
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
}

main()
  .then((code) => exitAfterCleanup(code))
  .catch(async (e) => {
    console.error('[harness] error:', e?.stack ?? e);
    await cleanup();
    process.exit(1);
  });
