// Runs the compiled tests of one suite with Node's own test runner (Node 20 has no glob):
// `unit` (out/test/unit: pure, no process or server started) or `component` (out/test/component: tests
// that start the embedded platform, the CLI or other processes). An optional second argument filters by path.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const [suite, filter] = process.argv.slice(2);
if (suite !== 'unit' && suite !== 'component') {
  console.error('usage: node scripts/run-node-tests.mjs unit|component [path-filter]');
  process.exit(2);
}
const root = join('out', 'test', suite);
if (!existsSync(root)) {
  console.error(`${root} does not exist: compile the tests first (npm run compile-tests)`);
  process.exit(2);
}
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js')) files.push(p);
  }
};
walk(root);
const selected = filter ? files.filter((f) => f.includes(filter)) : files;
if (selected.length === 0) {
  console.error(`no ${suite} test matches ${JSON.stringify(filter)}`);
  process.exit(2);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...selected], { stdio: 'inherit' });
process.exit(r.status ?? 1);
