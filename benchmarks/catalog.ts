import type { BenchmarkInfo, BenchmarkName } from './types';

/** The built-in benchmarks, as the extension tree and the engine list them (no workload code loaded). */
export const BENCHMARKS: readonly BenchmarkInfo[] = [
  {
    name: 'video',
    title: 'Thousand Island Scanner (video)',
    defaultTasks: 16,
    taskDescription:
      'decodes one MJPEG chunk (8 JPEG frames, 320×240), extracts colour, shape and edge features, classifies each frame, writes the labels to S3',
    defaultMode: 'threads',
    bound: 'cpu',
    phases: ['scan'],
  },
  {
    name: 'sort',
    title: 'MapReduce sort (TeraSort records)',
    defaultTasks: 16,
    taskDescription:
      "map: reads a 4 MB split of 100-byte records, partitions by key range and sorts, writes one run per partition; reduce: merges a partition's runs",
    defaultMode: 'async',
    bound: 'storage',
    phases: ['map', 'reduce'],
  },
  {
    name: 'stateless-cost',
    title: 'Stateless cost (ServerlessBench image pipeline)',
    defaultTasks: 16,
    taskDescription: 'decodes an 800×600 JPEG, crops a square, resizes it to 300×300 (bilinear), encodes it and writes it to S3',
    defaultMode: 'threads',
    bound: 'cpu',
    phases: ['resize'],
  },
];

/** Catalog entry by name; throws for unknown names. */
export function benchmarkInfo(name: string): BenchmarkInfo {
  const info = BENCHMARKS.find((b) => b.name === name);
  if (!info) throw new RangeError(`unknown benchmark "${name}"; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  return info;
}

/** True when `name` is a built-in benchmark. */
export function isBenchmarkName(name: string): name is BenchmarkName {
  return BENCHMARKS.some((b) => b.name === name);
}
