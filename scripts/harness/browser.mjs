// Headless Chromium through playwright-core, closed by the cleanup; and the workbench URL with a payload.
import { CHROMIUM, loadPlaywright } from './tools.mjs';
import { onCleanup } from './cleanup.mjs';

/** Launches headless Chromium; its closing is registered with `cleanup` (default: the global cleanup). */
export async function launchBrowser({ cleanup = onCleanup } = {}) {
  const { chromium } = loadPlaywright();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Our cleanup owns signals, so the browser and code-server stop together and in order.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
  cleanup(() => Promise.race([browser.close(), new Promise((r) => setTimeout(r, 5000))]));
  return browser;
}

/**
 * The workbench URL opening `folder`, loading the extension at `extensionDevelopmentPath` (and running
 * `extensionTestsPath` when given) inside code-server's extension host.
 */
export function workbenchUrl(authority, folder, { extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (p) => `vscode-remote://${authority}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
    ['skipWelcome', 'true'],
  ];
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  return `http://${authority}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
