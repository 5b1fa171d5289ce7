// Entry the extension host loads (extensionTestsPath): runs every *.test.js next to it with mocha.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

/** Runs the suites; rejects when any test fails so the host exits non-zero. */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, forbidOnly: true, forbidPending: true });
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // A bare summary line that the runner and CI logs can grep.
      console.log(`${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} integration tests failed`));
      else resolve();
    });
  });
}
