// npm run test:integration — runs test/integration's mocha suites inside code-server's real extension
// host, opened by headless Chromium. Exit code: mocha's (0 pass, 1 fail), 2 on timeout, 130 on a signal.
import { join } from 'node:path';
import { runHarness } from './harness/session.mjs';
import { runSuiteSession } from './harness/suite.mjs';
import { REPO } from './harness/tools.mjs';

const TIMEOUT_MS = Number(process.env.PROPACK_TEST_TIMEOUT_MS ?? 240_000);

runHarness(() =>
  runSuiteSession({ name: 'integration', extensionTestsPath: join(REPO, 'out', 'test', 'integration', 'index.js'), timeoutMs: TIMEOUT_MS }),
);
