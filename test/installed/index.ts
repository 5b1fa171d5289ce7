// Entry the extension host loads for the installed-package tests (scripts/run-installed.mjs runs two
// code-server sessions; PROPACK_INSTALLED_SUITE names the session and so the suites it runs, in order).
import * as path from 'path';
import Mocha from 'mocha';

const SUITES: Record<string, string[]> = {
  'with-credentials': ['local.test.js', 'aws.test.js'],
  'no-credentials': ['no-credentials.test.js'],
};

/** Runs the session's suites; rejects when any test fails so the host exits non-zero. */
export function run(): Promise<void> {
  const name = process.env.PROPACK_INSTALLED_SUITE ?? '';
  const files = SUITES[name];
  if (!files) return Promise.reject(new Error(`PROPACK_INSTALLED_SUITE must be one of ${Object.keys(SUITES).join(', ')}, got "${name}"`));
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, forbidOnly: true, forbidPending: true });
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // A bare summary line that the runner and CI logs can grep.
      console.log(`${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} installed-package tests failed`));
      else resolve();
    });
  });
}
