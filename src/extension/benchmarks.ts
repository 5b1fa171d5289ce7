// The built-in benchmarks the sidebar lists. A static list until `benchmarks/catalog.ts` exists.

/** A benchmark workload shipped with ProPack. */
export interface BenchmarkInfo {
  id: string;
  label: string;
  description: string;
}

/** The benchmarks of the ProPack paper, in its order. */
export const BENCHMARKS: readonly BenchmarkInfo[] = [
  { id: 'video', label: 'video', description: 'frames: synthetic image → JPEG → crop → invert (CPU-bound)' },
  { id: 'sort', label: 'sort', description: 'S3 list → sort → S3 (storage-bound)' },
  { id: 'statelesscost', label: 'stateless-cost', description: 'image crop + resize (CPU-bound)' },
];
