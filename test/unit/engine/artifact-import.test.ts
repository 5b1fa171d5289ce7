import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactError, parseResponses } from '../../../src/core/artifact';
import { importArtifact } from '../../../src/engine/artifact-import';
import { artifactDir } from '../../support/fixtures';

test('import keeps every run and calibrates the CLI round trip to about 0.7 s', () => {
  const p = importArtifact(artifactDir(), { app: 'video' });
  assert.equal(p.scaling.runs.length, 11);
  const c5000 = p.scaling.runs.find((r) => r.concurrency === 5000);
  assert.equal(c5000?.sampledFrom, 5000);
  assert.equal(c5000?.startOffsetsS?.length, 101);
  assert.equal(p.packing.samples.length, 40);
  assert.ok(p.packing.clientOverheadS > 0.5 && p.packing.clientOverheadS < 0.9, `${p.packing.clientOverheadS}`);
});

test('response lines: blank lines skipped, malformed lines named by file and line', () => {
  assert.deepEqual(parseResponses({ path: 'r.txt', text: '[1, 2]\n\n[3.5, 4]\n' }), [
    { start: 1, end: 2 },
    { start: 3.5, end: 4 },
  ]);
  assert.throws(
    () => parseResponses({ path: 'r.txt', text: '[1, 2]\n[oops]\n' }),
    (e: unknown) => e instanceof ArtifactError && /r\.txt: line 2/.test(e.message),
  );
  assert.throws(() => parseResponses({ path: 'r.txt', text: '[5, 2]\n' }), /t_end ≥ t_start/);
});

test('a truncated scale_time.txt is reported with its path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'propack-art-'));
  cpSync(join(artifactDir(), 'scaling_performance', 'sort'), join(dir, 'scaling_performance', 'sort'), { recursive: true });
  cpSync(join(artifactDir(), 'packed_performance', 'sort'), join(dir, 'packed_performance', 'sort'), { recursive: true });
  writeFileSync(join(dir, 'scaling_performance', 'sort', 'scale_time.txt'), '1.0\n2.0\n');
  assert.throws(() => importArtifact(dir, { app: 'sort' }), /scale_time\.txt: has 2 values, expected 11/);
});
