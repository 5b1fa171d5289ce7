import { benchmarkInfo } from './catalog';
import { checkImages } from './stateless-cost/check';
import { prepareImages } from './stateless-cost/input';
import { checkSort } from './sort/check';
import { prepareSort } from './sort/input';
import type { BenchmarkName, Workload } from './types';
import { checkVideo } from './video/check';
import { prepareVideo } from './video/input';

/** Input generation and output checks of every built-in benchmark (loads the codecs). */
export const WORKLOADS: Readonly<Record<BenchmarkName, Workload>> = {
  video: { ...benchmarkInfo('video'), prepare: prepareVideo, check: checkVideo },
  sort: { ...benchmarkInfo('sort'), prepare: prepareSort, check: checkSort },
  'stateless-cost': { ...benchmarkInfo('stateless-cost'), prepare: prepareImages, check: checkImages },
};

/** Input sizes of the demo (`propack demo`, the extension's Try the Built-in Benchmarks): small enough for minutes on two cores; tasks still take ~50–150 ms each. */
export const DEMO_SIZES: Readonly<Record<BenchmarkName, Record<string, number>>> = {
  video: { framesPerTask: 4 },
  sort: { recordsPerTask: 10_000 },
  'stateless-cost': { width: 640, height: 480, size: 300 },
};

/** Reduce partitions of the demo's sort above C = 256 (up to it, one per map, as DEMO_SIZES has it). */
export const WIDE_SORT_PARTITIONS = 8;

/** Widest C whose jobs use DEMO_SIZES as they are; wider jobs keep about this C's total work. */
export const FULL_SIZE_MAX_CONCURRENCY = 256;

/**
 * The demo's input sizes at concurrency C: DEMO_SIZES up to C = 256; above it each task does less (fewer
 * frames, records or pixels, by 256 / C) so the whole job stays about the work of C = 256. At ProPack's
 * C = 1,000 on two cores a job of full-size tasks takes a minute of CPU per run, and the demo runs about ten.
 */
export function demoSizes(concurrency: number): Record<BenchmarkName, Record<string, number>> {
  const f = Math.min(1, FULL_SIZE_MAX_CONCURRENCY / concurrency);
  // JPEG works in 16-pixel blocks: image sides stay multiples of 16 (area scales by f).
  const side = (px: number): number => Math.max(16, 16 * Math.round((px * Math.sqrt(f)) / 16));
  return {
    video: { framesPerTask: Math.max(1, Math.round(DEMO_SIZES.video.framesPerTask * f)) },
    // Every map writes one run per partition and every reduce reads one per map: maps × partitions
    // objects, a million at C = 1,000 with a partition per map. Wide jobs shuffle into 8.
    sort: {
      recordsPerTask: Math.max(1000, Math.round(DEMO_SIZES.sort.recordsPerTask * f)),
      ...(concurrency > FULL_SIZE_MAX_CONCURRENCY ? { partitions: WIDE_SORT_PARTITIONS } : {}),
    },
    // The thumbnail shrinks with the photo: encoding a fixed 300×300 output was most of a wide task's CPU.
    'stateless-cost': {
      width: side(DEMO_SIZES['stateless-cost'].width),
      height: side(DEMO_SIZES['stateless-cost'].height),
      size: Math.max(16, Math.round(DEMO_SIZES['stateless-cost'].size * Math.sqrt(f))),
    },
  };
}
