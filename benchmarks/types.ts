import type { S3Client } from '@aws-sdk/client-s3';
import type { PackedMode } from '../src/runtime/protocol';

export type BenchmarkName = 'video' | 'sort' | 'stateless-cost';

/** What the extension tree and the engine list about a benchmark (no code is loaded for it). */
export interface BenchmarkInfo {
  name: BenchmarkName;
  title: string;
  /** Tasks (invocations) of one job by default. */
  defaultTasks: number;
  /** What one task does, for people. */
  taskDescription: string;
  /** Packing mode that suits the work: `threads` for CPU-bound, `async` for storage-bound. */
  defaultMode: PackedMode;
  bound: 'cpu' | 'storage';
  /** Phases in run order (sort has map then reduce). */
  phases: string[];
}

/** Where and how big to generate a job's input. */
export interface PrepareOptions {
  bucket: string;
  /** Key prefix under which inputs, outputs and the manifest go, e.g. `runs/abc/video`. */
  prefix: string;
  /** Tasks of the (first) phase. */
  tasks: number;
  seed?: number;
  /** Workload-specific size knobs (see each workload's `...Sizes`). */
  sizes?: Record<string, number>;
}

/** One phase's task payloads; run phases in order, each after the previous one finished. */
export interface PhaseTasks {
  name: string;
  payloads: unknown[];
}

/** A generated job: inputs are in S3, payloads are ready to dispatch. */
export interface PreparedJob {
  benchmark: BenchmarkName;
  bucket: string;
  prefix: string;
  phases: PhaseTasks[];
  /** Sizes actually used (defaults filled in). */
  sizes: Record<string, number>;
}

/** Outcome of verifying a job's outputs. */
export interface CheckReport {
  ok: boolean;
  /** Units verified (frames, records, images). */
  checked: number;
  /** Human-readable reasons, at most a few dozen. */
  failures: string[];
}

/** A benchmark's code: generate input, and verify output once every phase ran. */
export interface Workload extends BenchmarkInfo {
  prepare(s3: S3Client, options: PrepareOptions): Promise<PreparedJob>;
  check(s3: S3Client, job: PreparedJob): Promise<CheckReport>;
}

/** Collects failure reasons up to a cap so a broken run does not produce megabytes of text. */
export class FailureList {
  readonly items: string[] = [];
  count = 0;

  constructor(private readonly cap = 30) {}

  add(reason: string): void {
    this.count++;
    if (this.items.length < this.cap) this.items.push(reason);
  }

  /** The report for `checked` units. */
  report(checked: number): CheckReport {
    // Sorted: checks run concurrently, and a report should not change with completion order.
    const sorted = [...this.items].sort();
    const failures = this.count > sorted.length ? [...sorted, `… and ${this.count - sorted.length} more`] : sorted;
    return { ok: this.count === 0, checked, failures };
  }
}
