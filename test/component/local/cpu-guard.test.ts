import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A process's state letter from /proc (R, S, T = stopped, Z), or undefined once it is gone. */
function stateOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

/** Resolves once `check` holds, polling /proc (the state of another process has no event to wait on). */
async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a worker stopped for its share is continued when the platform process is killed with SIGKILL', async () => {
  const governor = join(__dirname, '../../../src/local/cpu-governor.js');
  const clock = join(__dirname, '../../../src/local/emulated-clock.js');
  // A stand-in platform: a governor holding one busy child, which it stops (as past its share), then waits.
  const platform = spawn(
    process.execPath,
    [
      '-e',
      `const { CpuGovernor } = require(${JSON.stringify(governor)});
       const { EmulatedClock } = require(${JSON.stringify(clock)});
       const { spawn } = require('node:child_process');
       const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
       const gov = new CpuGovernor(new EmulatedClock(), { tickMs: 1e9 });
       gov.add({ pid: child.pid, busy: 1 }, 1);
       process.kill(child.pid, 'SIGSTOP');
       process.stdout.write(child.pid + '\\n');
       setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(platform.stdout, 'data')) as [Buffer];
  const child = Number(line.toString().trim());
  try {
    await until(() => stateOf(child) === 'T', 'the child to stop');
    platform.kill('SIGKILL');
    await once(platform, 'exit');
    // Nobody else would ever continue it: the guard does.
    await until(() => stateOf(child) !== 'T', 'the guard to continue the child');
    assert.notEqual(stateOf(child), 'T');
  } finally {
    try {
      process.kill(child, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
