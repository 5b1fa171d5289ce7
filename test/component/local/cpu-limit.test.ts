import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { cpuShareFor, DutyCycle } from '../../../src/local/cpu-limit';

test('the share of a memory size: ceil(vCPUs) threads, the fraction as a duty cycle, capped by host cores', () => {
  const half = cpuShareFor(884.5, 2);
  assert.deepEqual([half.threads, half.duty, half.enforcedVcpus, half.hostLimited], [1, 0.5, 0.5, false]);
  const oneAndHalf = cpuShareFor(2653.5, 2);
  assert.deepEqual([oneAndHalf.threads, oneAndHalf.duty, oneAndHalf.enforcedVcpus], [2, 0.75, 1.5]);
  const two = cpuShareFor(3538, 2);
  assert.deepEqual([two.threads, two.duty, two.enforcedVcpus, two.hostLimited], [2, 1, 2, false]);
  const three = cpuShareFor(5307, 2);
  assert.deepEqual([three.threads, three.duty, three.enforcedVcpus, three.hostLimited], [3, 1, 2, true]);
  assert.equal(cpuShareFor(10240, 8).threads, 6);
});

test('the duty cycle stops and continues on schedule and leaves the process running when stopped', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const signals: string[] = [];
    const cycle = new DutyCycle(42, 0.3, 100, (pid, s) => signals.push(`${pid}:${s}`));
    cycle.start();
    mock.timers.tick(29);
    assert.deepEqual(signals.slice(), []);
    mock.timers.tick(1);
    assert.deepEqual(signals.slice(), ['42:SIGSTOP']);
    mock.timers.tick(70);
    assert.deepEqual(signals.slice(), ['42:SIGSTOP', '42:SIGCONT']);
    mock.timers.tick(30);
    cycle.stop();
    assert.deepEqual(signals.slice(), ['42:SIGSTOP', '42:SIGCONT', '42:SIGSTOP', '42:SIGCONT']);
    mock.timers.tick(1000);
    assert.equal(signals.length, 4, 'nothing after stop');
    const full = new DutyCycle(7, 1, 100, (pid, s) => signals.push(`${pid}:${s}`));
    full.start();
    mock.timers.tick(1000);
    assert.equal(signals.length, 4, 'a duty of 1 never stops the process');
  } finally {
    mock.timers.reset();
  }
});

/** CPU seconds a Linux process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

test('measured: a busy process held to a quarter of a CPU uses at most about a quarter', async () => {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  const pid = child.pid as number;
  try {
    const cycle = new DutyCycle(pid, 0.25);
    const t0 = Date.now();
    const c0 = cpuSeconds(pid);
    cycle.start();
    // A measurement window, not a synchronization: the duty cycle needs wall time to act.
    await new Promise((r) => setTimeout(r, 1000));
    const cpu = cpuSeconds(pid) - c0;
    const wall = (Date.now() - t0) / 1000;
    cycle.stop();
    assert.ok(cpu <= 0.25 * wall + 0.12, `used ${cpu.toFixed(2)} CPU s in ${wall.toFixed(2)} s`);
    assert.ok(cpu > 0.05, `it still ran: ${cpu.toFixed(2)} CPU s`);
  } finally {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
});
