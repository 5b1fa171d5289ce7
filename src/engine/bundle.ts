import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import type { PackedMode } from '../runtime/protocol';
import { SHIM_CONFIG_FILE, type ShimConfig } from '../runtime/shim-config';

/** Names of the built-in benchmark functions (`dist/functions/<name>/index.js`). */
export const BENCHMARK_FUNCTIONS = ['video', 'sort', 'stateless-cost'] as const;
export type BenchmarkFunction = (typeof BENCHMARK_FUNCTIONS)[number];

/** What to bundle: a built-in benchmark, or a user's CommonJS handler file. */
export type BundleSource =
  | { kind: 'benchmark'; name: BenchmarkFunction }
  | {
      kind: 'file';
      /** Path of the user's handler module (.js or .cjs, CommonJS). */
      file: string;
      /** Export holding the handler (default `handler`). */
      exportName?: string;
      /** Mode for packed requests that name none: `threads` for CPU-bound handlers (default `async`). */
      mode?: PackedMode;
    };

export interface BundleOptions {
  /** Directory holding the webpack output (`runtime.js`, `functions/`); found from this module when omitted. */
  distDir?: string;
}

/** A Lambda deployment package. */
export interface FunctionBundle {
  zip: Uint8Array;
  /** Handler setting for CreateFunction. */
  handler: 'index.handler';
  /** Base64 SHA-256 of the zip: the same form as Lambda's CodeSha256, so a deploy can skip unchanged code. */
  sha256: string;
  /** Paths inside the zip. */
  files: string[];
}

// Fixed timestamp and Unix mode: the same inputs always give the same zip (and the same sha256),
// and Lambda extracts the files readable (0644) rather than with the zip tool's default of none.
const ZIP_FILE_ATTRS = { mtime: new Date('2020-01-01T00:00:00Z'), os: 3, attrs: (0o100644 << 16) >>> 0 } as const;

/** Finds the webpack output directory: this module's own directory when bundled, else `<repo>/dist`. */
export function findDistDir(from: string = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'runtime.js')) && existsSync(join(dir, 'functions'))) return dir;
    if (existsSync(join(dir, 'dist', 'runtime.js'))) return join(dir, 'dist');
    if (dirname(dir) === dir) throw new Error(`no built runtime (dist/runtime.js) above ${from}: run "npm run build"`);
  }
}

/** A handler file the packed runtime cannot load; `reason` says why without naming the file. */
export class HandlerFileError extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'HandlerFileError';
  }
}

/** Why a handler file cannot be packed (`reason`, and `short` for a list row), or undefined when it can: the packed runtime loads one CommonJS module. */
export function unpackable(file: string): { reason: string; short: string } | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.js' || ext === '.cjs') return undefined;
  if (ext === '.py') return { reason: 'Python handlers cannot be packed yet (the packed runtime is Node.js)', short: 'Python, not packable yet' };
  if (['.ts', '.mts', '.cts', '.tsx'].includes(ext)) return { reason: 'TypeScript handlers cannot be packed directly: compile it to a CommonJS .js or .cjs file and profile that', short: 'TypeScript: compile to .js' };
  if (ext === '.mjs') return { reason: 'ES module handlers cannot be packed yet: the packed runtime loads a CommonJS .js or .cjs file', short: 'not CommonJS, not packable' };
  return { reason: 'the handler must be a CommonJS .js or .cjs file', short: 'not CommonJS, not packable' };
}

/** Why a handler file cannot be packed, or undefined when it can. */
export function unpackableReason(file: string): string | undefined {
  return unpackable(file)?.reason;
}

function userModuleName(file: string): string {
  const reason = unpackableReason(file);
  if (reason) throw new HandlerFileError(file, reason);
  const name = basename(file);
  // index.js is the runtime shim's name in the zip; keep the user's module beside it under another name.
  return name === 'index.js' || name === SHIM_CONFIG_FILE ? `user-${name}` : name;
}

async function zipEntries(entries: Record<string, Uint8Array>): Promise<FunctionBundle> {
  const files: Zippable = {};
  for (const [path, data] of Object.entries(entries)) files[path] = [data, { ...ZIP_FILE_ATTRS, level: 6 }];
  const zip = zipSync(files);
  return { zip, handler: 'index.handler', sha256: createHash('sha256').update(zip).digest('base64'), files: Object.keys(entries) };
}

/**
 * Builds a Lambda deployment zip with handler `index.handler`: a benchmark's self-contained bundle, or a
 * user's handler file beside the prebuilt runtime shim that wraps its export.
 */
export async function buildBundle(source: BundleSource, options: BundleOptions = {}): Promise<FunctionBundle> {
  const dist = options.distDir ?? findDistDir();
  if (source.kind === 'benchmark') {
    if (!BENCHMARK_FUNCTIONS.includes(source.name)) throw new Error(`unknown benchmark "${String(source.name)}"`);
    return zipEntries({ 'index.js': await readFile(join(dist, 'functions', source.name, 'index.js')) });
  }
  const moduleName = userModuleName(source.file);
  const config: ShimConfig = { module: `./${moduleName}`, exportName: source.exportName ?? 'handler', ...(source.mode ? { mode: source.mode } : {}) };
  return zipEntries({
    'index.js': await readFile(join(dist, 'runtime.js')),
    [moduleName]: await readFile(source.file),
    [SHIM_CONFIG_FILE]: Buffer.from(`${JSON.stringify(config, null, 2)}\n`),
  });
}
