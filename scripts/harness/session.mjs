// One test session: a temp workspace, code-server, headless Chromium on the workbench with an extension loaded
// as the development extension (ProPack itself by default). Everything it starts is stopped by the cleanup,
// whatever happens; `close()` stops it earlier (a runner with several sessions).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, workbenchUrl } from './browser.mjs';
import { cleanupScope, exitAfterCleanup } from './cleanup.mjs';
import { installExtension, startCodeServer } from './code-server.mjs';
import { printExtensionLog } from './extension-log.mjs';
import { REPO } from './tools.mjs';
import { makeTestWorkspace } from './workspace.mjs';

/**
 * Starts code-server and a browser page on the workbench for a fresh test workspace.
 * `beforeOpen(page)` runs before navigation (to expose functions the workbench calls).
 * `vsix`: installed into the session's fresh extensions folder before the server starts.
 * `env`: code-server's (and so the extension host's) whole environment. `prepare(tmp)` runs first and may
 * return `{ settings, env }`: more settings, and more environment variables (e.g. paths in the session's folder).
 */
export async function openSession({
  name,
  extensionTestsPath,
  extensionDevelopmentPath = REPO,
  settings = {},
  env = process.env,
  vsix,
  prepare,
  viewport = { width: 1400, height: 900 },
  beforeOpen,
}) {
  const scope = cleanupScope();
  const tmp = mkdtempSync(join(tmpdir(), `propack-${name}-`));
  scope.onCleanup(() => rmSync(tmp, { recursive: true, force: true }));
  const workspace = makeTestWorkspace(tmp);
  const more = prepare ? await prepare(tmp) : undefined;
  const serverEnv = { ...env, ...more?.env };
  if (vsix) {
    const t0 = Date.now();
    const out = installExtension(tmp, vsix, { env: serverEnv });
    console.log(`[harness] installed ${vsix} into ${join(tmp, 'extensions')} in ${Date.now() - t0} ms: ${out.split('\n').pop()}`);
  }
  const server = await startCodeServer(tmp, {
    settings: { ...settings, ...more?.settings },
    env: serverEnv,
    verbose: Boolean(process.env.VERBOSE),
    cleanup: scope.onCleanup,
  });
  scope.onCleanup(() => printExtensionLog(server.userData));
  const browser = await launchBrowser({ cleanup: scope.onCleanup });
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (e) => console.error('[workbench:pageerror]', e.message));
  if (beforeOpen) await beforeOpen(page);
  await page.goto(workbenchUrl(server.authority, workspace, { extensionDevelopmentPath, extensionTestsPath }));
  return { page, workspace, tmp, server, close: scope.close };
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
