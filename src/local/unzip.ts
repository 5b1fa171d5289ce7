import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';
import { invalidParameter, LambdaApiError } from './lambda-error';

/** Lambda's limit on a deployment package's unzipped size (250 MB), and its error text. */
export const UNZIPPED_LIMIT = 262_144_000;
export const UNZIPPED_TOO_LARGE = `Unzipped size must be smaller than ${UNZIPPED_LIMIT} bytes`;
const CORRUPT = 'Could not unzip uploaded file. Please check your file, then try to upload again.';

/** One file of a zip's central directory, with the sizes it declares. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** True when a Unix zip marks the file executable (a `bootstrap`, a binary): it is written 0755. */
  executable: boolean;
}

const corrupt = (): LambdaApiError => invalidParameter(CORRUPT);

/**
 * Reads a zip's central directory (ZIP64 included) without inflating anything: the entries and the
 * uncompressed sizes they declare. Throws Lambda's "Could not unzip" for anything that is not a plain zip.
 */
export function readCentralDirectory(zip: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt();
  let count = zip.readUInt16LE(eocd + 10);
  let cdOffset = zip.readUInt32LE(eocd + 16);
  if ((count === 0xffff || cdOffset === 0xffffffff) && eocd >= 20 && zip.readUInt32LE(eocd - 20) === 0x07064b50) {
    const z64 = Number(zip.readBigUInt64LE(eocd - 20 + 8));
    if (z64 + 56 > zip.length || zip.readUInt32LE(z64) !== 0x06064b50) throw corrupt();
    count = Number(zip.readBigUInt64LE(z64 + 32));
    cdOffset = Number(zip.readBigUInt64LE(z64 + 48));
  }
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== 0x02014b50) throw corrupt();
    const flags = zip.readUInt16LE(p + 8),
      method = zip.readUInt16LE(p + 10);
    let compressedSize = zip.readUInt32LE(p + 20),
      size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28),
      extraLen = zip.readUInt16LE(p + 30),
      commentLen = zip.readUInt16LE(p + 32);
    let localOffset = zip.readUInt32LE(p + 42);
    // Unix "version made by" (host 3): the file's mode is the high half of the external attributes.
    const executable = zip.readUInt8(p + 5) === 3 && ((zip.readUInt32LE(p + 38) >>> 16) & 0o111) !== 0;
    if (p + 46 + nameLen + extraLen > zip.length) throw corrupt();
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString(flags & 0x800 ? 'utf8' : 'latin1');
    // ZIP64: the fields that are 0xFFFFFFFF come, in this order, from the 0x0001 extra field.
    for (let x = p + 46 + nameLen; x + 4 <= p + 46 + nameLen + extraLen;) {
      const id = zip.readUInt16LE(x),
        len = zip.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        const next = (): number => {
          if (q + 8 > x + 4 + len) throw corrupt();
          const v = Number(zip.readBigUInt64LE(q));
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localOffset === 0xffffffff) localOffset = next();
      }
      x += 4 + len;
    }
    if (flags & 0x1 || (method !== 0 && method !== 8)) throw corrupt(); // encrypted, or not stored/deflated
    entries.push({ name, method, compressedSize, size, localOffset, executable });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/**
 * Unzips a deployment package into `dir`, asynchronously (inflating runs off the event loop). The sizes the
 * central directory declares are checked against Lambda's 250 MB before anything is written; the bytes
 * actually inflated are counted as they stream, so a lying header cannot write more than `limit` either.
 * Entries escaping `dir` (zip slip) reject the whole package. The caller removes `dir` on failure.
 */
export async function unzipTo(zip: Buffer, dir: string, limit = UNZIPPED_LIMIT): Promise<void> {
  const entries = readCentralDirectory(zip);
  const declared = entries.reduce((s, e) => s + e.size, 0);
  if (declared > limit) throw invalidParameter(UNZIPPED_TOO_LARGE);
  const root = resolve(dir);
  const targets = entries.map((e) => {
    const target = resolve(root, e.name);
    if (target !== root && !target.startsWith(root + sep)) throw invalidParameter(`Zip entry escapes the package: ${e.name}`);
    return target;
  });
  await mkdir(root, { recursive: true });
  let written = 0;
  for (const [i, e] of entries.entries()) {
    const target = targets[i];
    if (e.name.endsWith('/')) {
      await mkdir(target, { recursive: true });
      continue;
    }
    const h = e.localOffset;
    if (h + 30 > zip.length || zip.readUInt32LE(h) !== 0x04034b50) throw corrupt();
    const start = h + 30 + zip.readUInt16LE(h + 26) + zip.readUInt16LE(h + 28);
    if (start + e.compressedSize > zip.length) throw corrupt();
    const data = zip.subarray(start, start + e.compressedSize);
    let entryBytes = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        entryBytes += chunk.length;
        written += chunk.length;
        if (written > limit) return done(invalidParameter(UNZIPPED_TOO_LARGE));
        done(null, chunk);
      },
    });
    await mkdir(dirname(target), { recursive: true });
    const chunks = Array.from({ length: Math.ceil(data.length / 65_536) }, (_, k) => data.subarray(k * 65_536, (k + 1) * 65_536));
    const source = Readable.from(chunks, { objectMode: false });
    // Lambda keeps a zip's execute bits (a custom runtime's bootstrap needs them); never setuid or group/other write.
    const out = () => createWriteStream(target, { mode: e.executable ? 0o755 : 0o644 });
    try {
      if (e.method === 8) await pipeline(source, createInflateRaw(), count, out());
      else await pipeline(source, count, out());
    } catch (err) {
      if (err instanceof LambdaApiError) throw err;
      throw corrupt();
    }
    if (entryBytes !== e.size) throw corrupt(); // the header lied about this entry
  }
}
