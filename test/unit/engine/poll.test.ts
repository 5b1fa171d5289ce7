import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pollUntil, PollTimeoutError } from '../../../src/engine/poll';

/** A clock that only moves when the poll sleeps: no real waiting, no timed assertion. */
function fakeTime(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let t = 1_000_000;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
    slept,
  };
}

test('polls until the probe says settled, backing off 50, 100, 200 … ms', async () => {
  const clock = fakeTime();
  let probes = 0;
  await pollUntil(async () => ++probes === 4, { timeoutMs: 60_000, what: 'f: still updating', ...clock });
  assert.equal(probes, 4);
  assert.deepEqual(clock.slept, [50, 100, 200]);
});

test('the backoff is capped at maxDelayMs', async () => {
  const clock = fakeTime();
  let probes = 0;
  await pollUntil(async () => ++probes === 8, { timeoutMs: 60_000, what: 'x', maxDelayMs: 300, ...clock });
  assert.deepEqual(clock.slept, [50, 100, 200, 300, 300, 300, 300]);
});

test('gives up with a PollTimeoutError naming what it waited for once the timeout passed', async () => {
  const clock = fakeTime();
  let probes = 0;
  await assert.rejects(
    pollUntil(
      async () => {
        probes++;
        return false;
      },
      { timeoutMs: 5_000, what: 'propack-video: still updating', ...clock },
    ),
    (e: unknown) => e instanceof PollTimeoutError && e.message === 'propack-video: still updating after 5 s',
  );
  assert.ok(probes > 1, 'it probed more than once before giving up');
  assert.ok(clock.slept.reduce((a, b) => a + b, 0) >= 5_000, 'it waited the whole timeout (on the fake clock)');
});

test('a probe that throws ends the poll with its own error', async () => {
  const clock = fakeTime();
  await assert.rejects(
    pollUntil(
      async () => {
        throw new Error('Lambda could not apply the change');
      },
      { timeoutMs: 5_000, what: 'x', ...clock },
    ),
    /could not apply/,
  );
  assert.deepEqual(clock.slept, []);
});
