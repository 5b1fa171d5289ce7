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
  'stateless-cost': { width: 640, height: 480 },
};
