// npm run test:desktop — the same integration suites in a desktop VS Code through @vscode/test-electron:
// VSCODE_EXECUTABLE names an installed VS Code; without it test-electron downloads one (needs internet).
// Not part of `npm test`: this machine has neither.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO } from './harness/tools.mjs';
import { makeTestWorkspace } from './harness/workspace.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'propack-desktop-'));
let code = 1;
try {
  code = await runTests({
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
    version: process.env.VSCODE_VERSION || undefined,
    extensionDevelopmentPath: REPO,
    extensionTestsPath: join(REPO, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [
      makeTestWorkspace(tmp),
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--user-data-dir',
      join(tmp, 'user-data'),
    ],
  });
} catch (e) {
  console.error('[desktop] could not run VS Code:', e?.message ?? e);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
