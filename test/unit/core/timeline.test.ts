import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PiecewiseTimeline, REAL_TIME } from '../../../src/core/timeline';

test('a timeline is real time until its rate changes, then advances at that rate', () => {
  const t = new PiecewiseTimeline(1000);
  assert.equal(t.emulatedMs(1500), 1500);
  t.setRate(2000, 0.5);
  assert.equal(t.emulatedMs(2000), 2000);
  assert.equal(t.emulatedMs(3000), 2500);
  t.setRate(3000, 0.1);
  assert.equal(t.emulatedMs(4000), 2600);
  assert.equal(t.emulatedMs(500), 500, 'before the start: real time');
  assert.equal(REAL_TIME.emulatedMs(123), 123);
});

test('realMs inverts emulatedMs, and the map never decreases', () => {
  const t = new PiecewiseTimeline(0);
  t.setRate(100, 0.25);
  t.setRate(300, 1);
  t.setRate(350, 0.02);
  let last = -Infinity;
  for (let r = 0; r <= 1000; r += 7) {
    const e = t.emulatedMs(r);
    assert.ok(e >= last, `monotone at ${r}`);
    last = e;
    assert.ok(Math.abs(t.realMs(e) - r) < 1e-6, `inverse at ${r}`);
  }
});

test('a rate outside (0, 1] is refused; an unchanged rate adds no breakpoint', () => {
  const t = new PiecewiseTimeline(0);
  assert.throws(() => t.setRate(10, 0), /rate must be in/);
  assert.throws(() => t.setRate(10, 1.5), /rate must be in/);
  t.setRate(10, 1);
  assert.equal(t.size, 1);
  t.setRate(10, 0.5);
  t.setRate(10, 0.25); // same instant: the segment's rate is replaced
  assert.equal(t.size, 2);
  assert.equal(t.emulatedMs(14), 11);
});
