import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PiecewiseTimeline, timelineRecord } from '../../../src/core/timeline';
import { startLocalPlatform } from '../../../src/local';
import { FileTimeline } from '../../../src/platform/timeline-file';

test('a client in another process replays the platform timeline file and maps times as the platform does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'propack-timeline-'));
  try {
    const file = join(dir, 'timeline.bin');
    const truth = new PiecewiseTimeline(1000);
    writeFileSync(file, timelineRecord(1000, 1));
    const read = new FileTimeline(file);
    assert.equal(read.emulatedMs(1500), 1500, 'no rate change yet: real time');
    // The platform slows its clock twice, then returns to real time; the reader picks up each record as it lands.
    for (const [at, rate] of [
      [2000, 0.25],
      [4000, 0.5],
      [4600, 1],
    ]) {
      truth.setRate(at, rate);
      appendFileSync(file, timelineRecord(at, rate));
      assert.equal(read.emulatedMs(at + 100), truth.emulatedMs(at + 100), `after the change at ${at}`);
    }
    for (const t of [900, 1999, 2500, 4100, 5000]) assert.equal(read.emulatedMs(t), truth.emulatedMs(t), `at ${t}`);
    // A half-written record is left for the next read, and a missing file is real time.
    appendFileSync(file, timelineRecord(6000, 0.1).subarray(0, 7));
    assert.equal(read.emulatedMs(6500), truth.emulatedMs(6500));
    assert.equal(new FileTimeline(join(dir, 'none.bin')).emulatedMs(42), 42);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the platform names its timeline file in endpoint.json and removes it on stop', async () => {
  const platform = await startLocalPlatform({ preset: 'instant' });
  const endpoint = JSON.parse(readFileSync(platform.endpointFile, 'utf8')) as { timeline: string };
  assert.equal(endpoint.timeline, join(platform.dataDir, 'timeline.bin'));
  const read = new FileTimeline(endpoint.timeline);
  const now = Date.now();
  assert.ok(Math.abs(read.emulatedMs(now) - platform.timeline.emulatedMs(now)) < 1e-6);
  await platform.stop();
  assert.equal(existsSync(endpoint.timeline), false);
});
