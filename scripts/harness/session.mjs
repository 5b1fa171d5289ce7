// One test session: a temp workspace, code-server, headless Chromium on the workbench with ProPack loaded
// as the development extension. Everything it starts is stopped by the cleanup, whatever happens.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, workbenchUrl } from './browser.mjs';
import { exitAfterCleanup, onCleanup } from './cleanup.mjs';
import { startCodeServer } from './code-server.mjs';
import { printExtensionLog } from './extension-log.mjs';
import { REPO } from './tools.mjs';
import { makeTestWorkspace } from './workspace.mjs';

/**
 * Starts code-server and a browser page on the workbench for a fresh test workspace.
 * `beforeOpen(page)` runs before navigation (to expose functions the workbench calls).
 */
export async function openSession({ name, extensionTestsPath, settings = {}, viewport = { width: 1400, height: 900 }, beforeOpen }) {
  const tmp = mkdtempSync(join(tmpdir(), `propack-${name}-`));
  onCleanup(() => rmSync(tmp, { recursive: true, force: true }));
  const workspace = makeTestWorkspace(tmp);
  const server = await startCodeServer(tmp, { settings, verbose: Boolean(process.env.VERBOSE) });
  onCleanup(() => printExtensionLog(server.userData));
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (e) => console.error('[workbench:pageerror]', e.message));
  if (beforeOpen) await beforeOpen(page);
  await page.goto(workbenchUrl(server.authority, workspace, { extensionDevelopmentPath: REPO, extensionTestsPath }));
  return { page, workspace };
}

/** Runs `main` (which resolves to an exit code), then always cleans up and exits with that code. */
export function runHarness(main) {
  main()
    .then((code) => exitAfterCleanup(code))
    .catch((e) => {
      console.error('[harness] error:', e?.stack ?? e);
      return exitAfterCleanup(1);
    });
}
