import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strToU8, zipSync } from 'fflate';
import { MemoryLimit } from '../../../src/local/memory-watch';
import { readCentralDirectory } from '../../../src/local/unzip';

test('MemoryLimit: the peak is kept, passing MemorySize × share latches, no limit never trips', () => {
  const m = new MemoryLimit();
  assert.equal(m.record(5000), false, 'no limit yet (a spare)');
  m.limitMb = 128;
  m.peakMb = 0;
  assert.equal(m.record(100), false);
  assert.equal(m.record(60), false);
  assert.equal(m.peakMb, 100, 'the peak, not the last sample');
  assert.equal(m.record(200, 2), false, '2 instances may use 256 MB');
  assert.equal(m.record(129), true, 'the peak 200 MB passes 128 MB for one instance');
  assert.equal(m.record(10), true, 'latched');
  assert.equal(m.exceeded, true);
});

test('readCentralDirectory: a Unix zip entry with execute bits is executable; others are not', () => {
  const zip = Buffer.from(
    zipSync({
      bootstrap: [strToU8('#!/bin/sh\n'), { os: 3, attrs: 0o755 << 16 }],
      'data.txt': [strToU8('x'), { os: 3, attrs: 0o644 << 16 }],
      'dos.txt': [strToU8('y'), { os: 0, attrs: 0o755 << 16 }],
      'plain.txt': strToU8('z'),
    }),
  );
  const modes = Object.fromEntries(readCentralDirectory(zip).map((e) => [e.name, e.executable]));
  assert.deepEqual(modes, { bootstrap: true, 'data.txt': false, 'dos.txt': false, 'plain.txt': false });
});
