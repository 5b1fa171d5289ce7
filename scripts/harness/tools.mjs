// Where scripts/install-test-tools.sh put the test tools; overridable for machines that have them elsewhere.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is scripts/harness/tools.mjs). */
export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOOLS = join(REPO, '.tools');

/** code-server's launcher (CODE_SERVER overrides). */
export const CODE_SERVER = process.env.CODE_SERVER ?? join(TOOLS, 'code-server', 'node_modules', '.bin', 'code-server');
/** The Chromium binary Playwright drives (CHROMIUM overrides). */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** playwright-core from .tools/playwright, kept out of the extension's own node_modules. */
export function loadPlaywright() {
  for (const [what, path] of [
    ['code-server', CODE_SERVER],
    ['chromium', CHROMIUM],
  ]) {
    if (!existsSync(path)) throw new Error(`${what} not found at ${path}: run scripts/install-test-tools.sh`);
  }
  const require = createRequire(join(TOOLS, 'playwright', 'package.json'));
  try {
    return require('playwright-core');
  } catch (e) {
    throw new Error(`playwright-core not found in ${join(TOOLS, 'playwright')}: run scripts/install-test-tools.sh (${e.message})`);
  }
}
