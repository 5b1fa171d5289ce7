/** Test fixtures: small synthetic profiles and the paths of shared data. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROFILE_SCHEMA, type Profile } from '../../src/core/types';

/** Repository root (tests run from out/test/unit/...). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** ProPack's AWS measurements: ../shared beside the project (CI provides it), or PROPACK_ARTIFACT_DIR. */
export function artifactDir(): string {
  const dir = process.env.PROPACK_ARTIFACT_DIR ?? join(REPO_ROOT, '..', 'shared', 'data', 'propack-aws-2021');
  if (!existsSync(dir)) throw new Error(`ProPack's measurements are not at ${dir}; set PROPACK_ARTIFACT_DIR`);
  return dir;
}

/** A shipped profile made from ProPack's AWS data. */
export const shippedProfile = (app: 'video' | 'sort' | 'statelesscost'): string =>
  join(REPO_ROOT, 'benchmarks', 'profiles', `aws-2021-${app}.json`);

/**
 * A deterministic profile: instances start `spacingS` apart, a task takes `taskS` alone and `slopeS` more
 * per extra packed task, durations have no spread, no client overhead.
 */
export function syntheticProfile(
  opts: { spacingS?: number; taskS?: number; slopeS?: number; maxDegree?: number; memoryMb?: number } = {},
): Profile {
  const spacing = opts.spacingS ?? 0.05;
  const task = opts.taskS ?? 1;
  const slope = opts.slopeS ?? 0.5;
  const maxDegree = opts.maxDegree ?? 10;
  const runs = [100, 200, 400].map((c) => ({
    concurrency: c,
    scaleTimeS: (c - 1) * spacing,
    serviceTimeS: (c - 1) * spacing + task,
    startOffsetsS: Array.from({ length: c }, (_, i) => i * spacing),
    completionOffsetsS: Array.from({ length: c }, (_, i) => i * spacing + task),
    durationsS: Array.from({ length: c }, () => task),
    meanDurationS: task,
  }));
  return {
    schema: PROFILE_SCHEMA,
    function: { name: 'synthetic', memoryMb: opts.memoryMb ?? 2048, architecture: 'x86_64', region: 'us-east-1' },
    source: { kind: 'local', createdAt: '2026-01-01T00:00:00Z', tool: 'test' },
    scaling: { runs },
    packing: {
      clientOverheadS: 0,
      samples: Array.from({ length: maxDegree }, (_, i) => ({ degree: i + 1, timesS: [task + slope * i] })),
    },
  };
}
