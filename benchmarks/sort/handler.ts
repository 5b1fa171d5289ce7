import { getObjectBytes, putObjectBytes, sharedS3Client } from '../../src/runtime/s3';
import { mapLimit } from '../shared/concurrency';
import { BadInputError, intField, payloadObject, stringField } from '../shared/payload';
import { sortKeys } from './keys';
import { keyHi, keyLo, partitionOf, RECORD_BYTES, recordCount } from './records';

/** Map task: read a split, partition by key range, sort each partition, write one run per partition. */
export interface SortMapPayload {
  phase: 'map';
  bucket: string;
  prefix: string;
  /** Map index (which split, and the run name). */
  map: number;
  /** Split to read; tasks beyond the distinct splits reuse them. */
  inputKey: string;
  partitions: number;
}

/** Reduce task: merge the sorted runs of one partition from every map into one output object. */
export interface SortReducePayload {
  phase: 'reduce';
  bucket: string;
  prefix: string;
  partition: number;
  maps: number;
}

export type SortPayload = SortMapPayload | SortReducePayload;

/** Sorts record indices by key (ties by position, so the sort is stable). */
function sortIndices(data: Uint8Array, idx: Uint32Array): Uint32Array {
  const n = idx.length;
  const hi = new Float64Array(n);
  const lo = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    hi[j] = keyHi(data, idx[j]);
    lo[j] = keyLo(data, idx[j]);
  }
  const order = Array.from({ length: n }, (_, j) => j);
  order.sort((a, b) => hi[a] - hi[b] || lo[a] - lo[b] || a - b);
  return Uint32Array.from(order, (j) => idx[j]);
}

function gather(data: Uint8Array, idx: Uint32Array): Uint8Array {
  const out = new Uint8Array(idx.length * RECORD_BYTES);
  idx.forEach((r, j) => out.set(data.subarray(r * RECORD_BYTES, (r + 1) * RECORD_BYTES), j * RECORD_BYTES));
  return out;
}

async function runMap(p: SortMapPayload): Promise<{ phase: 'map'; records: number; runs: number }> {
  const s3 = sharedS3Client();
  const data = await getObjectBytes(s3, p.bucket, p.inputKey);
  const n = recordCount(data, p.inputKey);
  const part = new Uint32Array(n);
  const sizes = new Uint32Array(p.partitions);
  for (let i = 0; i < n; i++) sizes[(part[i] = partitionOf(data, i, p.partitions))]++;
  const members = Array.from(sizes, (s) => new Uint32Array(s));
  const fill = new Uint32Array(p.partitions);
  for (let i = 0; i < n; i++) members[part[i]][fill[part[i]]++] = i;
  await mapLimit(members, 8, (idx, r) =>
    putObjectBytes(s3, p.bucket, sortKeys.run(p.prefix, r, p.map), gather(data, sortIndices(data, idx))),
  );
  return { phase: 'map', records: n, runs: p.partitions };
}

/** A binary min-heap of run cursors ordered by their current key: the k-way merge's frontier. */
class RunHeap {
  private readonly heap: number[] = [];

  constructor(
    private readonly runs: Uint8Array[],
    private readonly pos: Uint32Array,
  ) {}

  private less(a: number, b: number): boolean {
    const ra = this.runs[a];
    const rb = this.runs[b];
    const ia = this.pos[a];
    const ib = this.pos[b];
    const d = keyHi(ra, ia) - keyHi(rb, ib) || keyLo(ra, ia) - keyLo(rb, ib);
    return d < 0 || (d === 0 && a < b);
  }

  push(run: number): void {
    const h = this.heap;
    h.push(run);
    for (let i = h.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  /** Removes and returns the run with the smallest current key. */
  pop(): number | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

async function runReduce(p: SortReducePayload): Promise<{ phase: 'reduce'; records: number }> {
  const s3 = sharedS3Client();
  const keys = Array.from({ length: p.maps }, (_, m) => sortKeys.run(p.prefix, p.partition, m));
  const runs = await mapLimit(keys, 16, (k) => getObjectBytes(s3, p.bucket, k));
  const counts = runs.map((r, m) => recordCount(r, keys[m]));
  const total = counts.reduce((a, b) => a + b, 0);
  const out = new Uint8Array(total * RECORD_BYTES);
  const pos = new Uint32Array(runs.length);
  const heap = new RunHeap(runs, pos);
  runs.forEach((_, m) => counts[m] > 0 && heap.push(m));
  for (let written = 0; written < total; written++) {
    const m = heap.pop() as number;
    const i = pos[m]++;
    out.set(runs[m].subarray(i * RECORD_BYTES, (i + 1) * RECORD_BYTES), written * RECORD_BYTES);
    if (pos[m] < counts[m]) heap.push(m);
  }
  await putObjectBytes(s3, p.bucket, sortKeys.output(p.prefix, p.partition), out);
  return { phase: 'reduce', records: total };
}

/** One sort task: the payload's `phase` says map or reduce. */
export async function handler(event: unknown): Promise<{ phase: 'map' | 'reduce'; records: number }> {
  const o = payloadObject(event, 'sort');
  const base = { bucket: stringField(o, 'bucket'), prefix: stringField(o, 'prefix') };
  if (o.phase === 'map') {
    return runMap({
      phase: 'map',
      ...base,
      map: intField(o, 'map', 0),
      inputKey: stringField(o, 'inputKey'),
      partitions: intField(o, 'partitions', 1),
    });
  }
  if (o.phase === 'reduce')
    return runReduce({ phase: 'reduce', ...base, partition: intField(o, 'partition', 0), maps: intField(o, 'maps', 1) });
  throw new BadInputError('sort: payload.phase must be "map" or "reduce"');
}
