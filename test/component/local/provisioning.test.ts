import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { Provisioner } from '../../../src/local/provisioner';
import { PRESETS } from '../../../src/local/presets';
import { deploy, withPlatform } from './helpers';

test('aws-2021 books one new environment every 45.93 ms (times timeScale)', () => {
  const p = new Provisioner(PRESETS['aws-2021'], 0.5, () => 0);
  const waits = Array.from({ length: 5 }, () => p.reserve());
  // Booked back to back: slot k waits about k spacings (burst 1 covers the first).
  assert.ok(waits[0] < 1);
  for (let k = 1; k < 5; k++) assert.ok(Math.abs(waits[k] - k * 45.93 * 0.5) < 1e-9, `slot ${k}: ${waits[k]}`);
  assert.equal(p.coldStartMs(), 125);
});

test('aws-2023 gives a 1,000 burst, then 100 per second', () => {
  let clock = 0;
  const p = new Provisioner(PRESETS['aws-2023'], 1, () => clock);
  const waits = Array.from({ length: 1002 }, () => p.reserve());
  assert.ok(waits.slice(0, 1000).every((w) => w === 0));
  assert.deepEqual(
    waits.slice(1000).map((w) => Math.round(w * 1e6) / 1e6),
    [10, 20],
  );
  clock = 10_000; // 10 s later the bucket is full again
  assert.equal(p.reserve(), 0);
});

test('instant never waits', () => {
  const p = new Provisioner(PRESETS.instant, 1);
  assert.ok(Array.from({ length: 100 }, () => p.reserve()).every((w) => w === 0));
});

test('cold starts under aws-2021 are spaced on the platform as the preset says', async () => {
  // Slowed ten times (459 ms a slot), so the bound below is far wider than a busy host's fork jitter: the
  // emulated wait comes before the real start, so no start can come before its slot; only the first can be
  // late relative to the others, which shortens the span by at most that delay. (How close to the preset the
  // spacing is on a quiet host is a benchmark's figure, npm run bench:platform, not a test's.)
  const timeScale = 10;
  const env = await withPlatform({ preset: 'aws-2021', timeScale });
  try {
    await deploy(
      env.lambda,
      'spaced',
      `const fs = require('node:fs');
      exports.handler = async (e) => { const t = Date.now(); while (!fs.existsSync(e.gate)) await new Promise((r) => setTimeout(r, 5)); return t; };`,
    );
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const gate = `${mkdtempSync('/tmp/propack-gate-')}/open`;
    const n = 4;
    const calls = Array.from({ length: n }, () =>
      env.lambda.send(new InvokeCommand({ FunctionName: 'spaced', Payload: JSON.stringify({ gate }), LogType: 'Tail' })),
    );
    // All n must be held open at once (n distinct instances) before the gate opens.
    while (env.platform.counts().instances < n) await new Promise((r) => setImmediate(r));
    writeFileSync(gate, '');
    const responses = await Promise.all(calls);
    const starts = responses.map((r) => JSON.parse(Buffer.from(r.Payload!).toString()) as number).sort((a, b) => a - b);
    const slot = (1000 / PRESETS['aws-2021'].startsPerSecond) * timeScale;
    const span = starts[n - 1] - starts[0];
    assert.ok(span >= 0.75 * (n - 1) * slot, `${n} cold starts spanned ${span} ms; the preset books one every ${slot.toFixed(0)} ms`);
    // Each bills the preset's cold start as its INIT, not the wait for its slot: the last one waited three
    // slots longer than the first, and its Init Duration is no longer for it.
    const inits = responses.map((r) => {
      const m = /Init Duration: ([\d.]+) ms/.exec(Buffer.from(r.LogResult ?? '', 'base64').toString());
      assert.ok(m, 'every one is a cold start');
      return Number(m[1]);
    });
    const coldStart = PRESETS['aws-2021'].coldStartMs * timeScale;
    assert.ok(Math.min(...inits) >= coldStart, `inits ${inits.join(', ')} ms: each at least the ${coldStart} ms cold start`);
    assert.ok(Math.max(...inits) - Math.min(...inits) < 0.75 * (n - 1) * slot, `inits ${inits.join(', ')} ms grow with the slot wait`);
  } finally {
    await env.close();
  }
});
