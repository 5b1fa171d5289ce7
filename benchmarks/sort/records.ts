import { BadInputError } from '../shared/payload';
import { Rng } from '../shared/rng';

/** TeraSort (gensort) record layout: 10-byte key, then 90 bytes of row id and filler. */
export const RECORD_BYTES = 100;
export const KEY_BYTES = 10;

const HEX = '0123456789ABCDEF';

/** Writes record number `row` with a random key into `out` at `offset`, as gensort does. */
export function writeRecord(rng: Rng, row: number, out: Uint8Array, offset: number): void {
  rng.bytes(out.subarray(offset, offset + KEY_BYTES));
  out[offset + 10] = 0x00;
  out[offset + 11] = 0x11;
  const id = row.toString(16).toUpperCase().padStart(32, '0');
  for (let i = 0; i < 32; i++) out[offset + 12 + i] = id.charCodeAt(i);
  out.set([0x88, 0x99, 0xaa, 0xbb], offset + 44);
  const fill = HEX.charCodeAt(row % 16);
  out.fill(fill, offset + 48, offset + 96);
  out.set([0xcc, 0xdd, 0xee, 0xff], offset + 96);
}

/** Number of records in a buffer; throws when it is not a whole number of records. */
export function recordCount(data: Uint8Array, what: string): number {
  if (data.length % RECORD_BYTES !== 0)
    throw new BadInputError(`${what}: ${data.length} bytes is not a whole number of ${RECORD_BYTES}-byte records`);
  return data.length / RECORD_BYTES;
}

/** Key of record `i` as two numbers (first 6 bytes, last 4 bytes): compares without allocating. */
export function keyHi(data: Uint8Array, i: number): number {
  const o = i * RECORD_BYTES;
  return data[o] * 2 ** 40 + data[o + 1] * 2 ** 32 + data[o + 2] * 2 ** 24 + ((data[o + 3] << 16) | (data[o + 4] << 8) | data[o + 5]);
}

export function keyLo(data: Uint8Array, i: number): number {
  const o = i * RECORD_BYTES + 6;
  return ((data[o] << 24) | (data[o + 1] << 16) | (data[o + 2] << 8) | data[o + 3]) >>> 0;
}

/** Reduce partition of a record: key ranges of equal width over the first two key bytes. */
export function partitionOf(data: Uint8Array, i: number, partitions: number): number {
  const o = i * RECORD_BYTES;
  return Math.floor((((data[o] << 8) | data[o + 1]) * partitions) / 65536);
}

/** Order-independent checksum of a set of records (sum and xor of FNV-1a hashes), to detect lost or altered records. */
export class RecordChecksum {
  sum = 0;
  xor = 0;
  count = 0;

  add(data: Uint8Array): this {
    const n = recordCount(data, 'checksum');
    for (let r = 0; r < n; r++) {
      let h = 0x811c9dc5;
      for (let j = r * RECORD_BYTES, end = j + RECORD_BYTES; j < end; j++) h = Math.imul(h ^ data[j], 0x01000193);
      this.sum = (this.sum + (h >>> 0)) >>> 0;
      this.xor = (this.xor ^ h) >>> 0;
    }
    this.count += n;
    return this;
  }

  toJSON(): { count: number; sum: number; xor: number } {
    return { count: this.count, sum: this.sum, xor: this.xor };
  }
}
