import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIN_RATE, nextRate, rateCap, refill, type ProcessTick } from '../../../src/local/cpu-emulation';
import { CpuGovernor } from '../../../src/local/cpu-governor';
import { EmulatedClock } from '../../../src/local/emulated-clock';

const tick = (over: Partial<ProcessTick> = {}): ProcessTick => ({
  demand: 1,
  busy: 1,
  share: 1,
  usedMs: 25,
  delayMs: 0,
  allowedMs: 25,
  throttled: false,
  ...over,
});

test('the cap: k busy environments in one interpreter take turns; all of them share the host cores', () => {
  assert.equal(rateCap([tick()], 2), 1);
  assert.equal(rateCap([tick({ busy: 4, demand: 4 })], 2), 0.25);
  // 8 single-environment processes of 1 vCPU on 2 cores: each gets a quarter of a core.
  assert.equal(
    rateCap(
      Array.from({ length: 8 }, () => tick()),
      2,
    ),
    0.25,
  );
  // Fractional shares need only their fraction of a thread.
  assert.equal(
    rateCap(
      Array.from({ length: 8 }, () => tick({ share: 0.25, demand: 0.25 })),
      2,
    ),
    1,
  );
});

test('a process that waited for a CPU and got less than its share slows the clock to what it got', () => {
  // Runnable 25 ms, ran 15 of them: the clock must run at 0.6 of its rate for it to get a whole vCPU.
  const starved = tick({ usedMs: 15, delayMs: 10, allowedMs: 25 });
  assert.ok(Math.abs(nextRate(1, [starved], 2) - 0.6) < 1e-9);
  // Less CPU without waiting is I/O, not contention: the clock keeps its pace (and climbs toward 1, 20% a tick).
  assert.equal(nextRate(0.5, [tick({ usedMs: 5, delayMs: 0 })], 2), 0.6);
  // What a process got while stopped for its share says nothing about contention.
  assert.equal(nextRate(1, [{ ...starved, throttled: true }], 2), 1);
  assert.equal(nextRate(0.3, [], 2), 1, 'nothing busy: real time');
  // A process waiting on I/O whose threads woke for a moment says nothing of contention.
  assert.equal(nextRate(1, [tick({ usedMs: 0, delayMs: 0.3, allowedMs: 25 })], 2), 1);
  // A process that got almost nothing: the clock falls by half per tick, down to its floor.
  let rate = 1;
  for (let i = 0; i < 3; i++) rate = nextRate(rate, [tick({ usedMs: 0.001, delayMs: 25, allowedMs: 25 * rate })], 2);
  assert.equal(rate, 1 / 8);
  for (let i = 0; i < 10; i++) rate = nextRate(rate, [tick({ usedMs: 0.001, delayMs: 25, allowedMs: 25 * rate })], 2);
  assert.equal(rate, MIN_RATE);
});

test('the token bucket refills by the allowance and holds at most its burst', () => {
  assert.equal(refill(0, 25, 10, 100), 15);
  assert.equal(refill(90, 25, 0, 100), 100);
  assert.equal(refill(0, 25, 60, 100), -35);
});

test('the governor stops a process past its share, continues it when refilled, and slows the clock for shared interpreters', () => {
  let nowMs = 0;
  const cpu = new Map<number, number>();
  const signals: string[] = [];
  const clock = new EmulatedClock(() => 1_000_000 + nowMs);
  const gov = new CpuGovernor(clock, {
    hostCpus: 2,
    tickMs: 1e9, // driven by hand below
    now: () => nowMs,
    readCpu: (pid) => {
      const ms = cpu.get(pid) ?? (pid === process.pid ? 0 : undefined);
      // One thread, always runnable while it runs.
      return ms === undefined ? undefined : { cpuMs: ms, delayMs: 0, runnableMs: new Map([['1', ms]]) };
    },
    signal: (pid, s) => signals.push(`${pid}:${s}`),
  });
  try {
    assert.equal(gov.active, true);
    const half = { pid: 11, busy: 1 };
    cpu.set(11, 0);
    gov.add(half, 0.5);
    gov.started(half);
    // A 0.5 vCPU environment burns a whole core for 100 ms: past its bucket it is stopped.
    for (let i = 0; i < 4; i++) {
      nowMs += 25;
      cpu.set(11, (cpu.get(11) as number) + 25);
      gov.tick();
    }
    assert.ok(signals.includes('11:SIGSTOP'), signals.join(' '));
    // Stopped, it uses nothing; its bucket refills and it runs again.
    for (let i = 0; i < 6; i++) {
      nowMs += 25;
      gov.tick();
    }
    assert.equal(signals.at(-1), '11:SIGCONT');
    // Idle: never left stopped.
    half.busy = 0;
    gov.tick();
    assert.notEqual(signals.at(-1), '11:SIGSTOP');
    // Four environments busy in one interpreter: emulated time runs at a quarter of real time.
    const shared = { pid: 12, busy: 4 };
    cpu.set(12, 0);
    gov.add(shared, 1);
    nowMs += 25;
    gov.tick();
    assert.equal(clock.rate, 0.25);
    gov.remove(shared);
    assert.ok(gov.stats.stops >= 1);
  } finally {
    gov.close();
    clock.close();
  }
});

test('the emulated clock runs at its rate and its waits follow rate changes', async () => {
  let real = 5000;
  const clock = new EmulatedClock(() => real);
  assert.equal(clock.nowMs(), 5000);
  clock.setRate(0.5);
  real += 100;
  assert.equal(clock.nowMs(), 5050);
  clock.setRate(1);
  const done = clock.sleep(0);
  await done; // zero waits resolve at once
  const t = clock.after(1e6);
  t.cancel();
  clock.close();
});
