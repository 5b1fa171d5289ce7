import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import type { NodeBuildProperties } from '../core/build-properties';
import { runtimeProblem } from '../core/lambda-config';
import type { Architecture } from '../core/types';
import type { PackedMode } from '../runtime/protocol';
import { ESM_RUNTIME_FILE, SHIM_CONFIG_FILE, type ShimConfig } from '../runtime/shim-config';
import { HandlerFileError } from './bundle-errors';
import { bundleEntry } from './bundle-esbuild';
import { esmIndexSource } from './bundle-esm-index';
import { PYTHON_HANDLER, PYTHON_RUNTIME, pythonPackage, type PythonMode } from './bundle-python';

/** Names of the built-in benchmark functions (`dist/functions/<name>/index.js`). */
export const BENCHMARK_FUNCTIONS = ['video', 'sort', 'stateless-cost'] as const;
export type BenchmarkFunction = (typeof BENCHMARK_FUNCTIONS)[number];

/** What to bundle: a built-in benchmark, or a user's Node handler file (bundled with esbuild). */
export type BundleSource =
  | { kind: 'benchmark'; name: BenchmarkFunction }
  | {
      kind: 'file';
      /** Path of the user's handler module: TypeScript, ES module or CommonJS (.ts .mts .cts .tsx .js .mjs .cjs .jsx). */
      file: string;
      /** Export holding the handler (default `handler`). */
      exportName?: string;
      /** Mode for packed requests that name none: `threads` for CPU-bound handlers (default `async`); Python: `threads` (default) or `processes`. */
      mode?: PackedMode | PythonMode;
      /** esbuild settings (from a template or flags); absent fields take the bundler's defaults. */
      build?: NodeBuildProperties;
      /** Folder `build.entryPoints` are relative to (SAM's CodeUri); the handler file's folder when absent. */
      codeDir?: string;
    };

export interface BundleOptions {
  /** Directory holding the webpack output (`runtime.js`, `functions/`); found from this module when omitted. */
  distDir?: string;
  /** Where the function will run: for `aws` a Python package's requirements.txt gets Lambda's wheels (default `local`). */
  platform?: 'local' | 'aws';
  /** The function's architecture (default x86_64): picks the wheels of a Python package for AWS. */
  architecture?: Architecture;
  /** The Lambda runtime (e.g. python3.11, nodejs22.x; checked by the caller); default python3.12 for Python, the deployer's Node default otherwise. */
  runtime?: string;
  /** Folder of pip's cached installs of requirements.txt (default the package folder's `.propack/cache/pip`). */
  pipCacheDir?: string;
}

/** A Lambda deployment package. */
export interface FunctionBundle {
  zip: Uint8Array;
  /** Handler setting for CreateFunction: `index.handler` (Node.js) or `propack_runtime.handler` (Python). */
  handler: string;
  /** Lambda runtime of the package: options.runtime, else python3.12 for a Python package; absent for Node.js without one (the deployer's default). */
  runtime?: string;
  /** Base64 SHA-256 of the zip: the same form as Lambda's CodeSha256, so a deploy can skip unchanged code. */
  sha256: string;
  /** Paths inside the zip. */
  files: string[];
  /** Variables the function needs for this package (NODE_OPTIONS=--enable-source-maps with a source map); deploy merges them under the user's. */
  environment?: Record<string, string>;
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

export { HandlerFileError } from './bundle-errors';

/** Extensions of the handler files esbuild bundles for the packed runtime. */
export const NODE_HANDLER_EXTENSIONS = ['.js', '.cjs', '.mjs', '.jsx', '.ts', '.cts', '.mts', '.tsx'] as const;

/**
 * Why a handler file cannot be packed (`reason`, and `short` for a list row), or undefined when it can: every
 * Node.js module esbuild bundles can. Whether its imports resolve shows only when it is bundled.
 */
export function unpackable(file: string): { reason: string; short: string } | undefined {
  const ext = extname(file).toLowerCase();
  if ((NODE_HANDLER_EXTENSIONS as readonly string[]).includes(ext)) return undefined;
  if (ext === '.py') return undefined;
  return {
    reason: `the handler must be a Node.js module (${NODE_HANDLER_EXTENSIONS.join(' ')}) or a Python module (.py)`,
    short: 'not Node.js or Python, not packable',
  };
}

/** Why a handler file cannot be packed, or undefined when it can. */
export function unpackableReason(file: string): string | undefined {
  return unpackable(file)?.reason;
}

/** The user's module name in the zip without its extension: the handler file's, clear of the shim's own names. */
function userModuleBase(file: string): string {
  const reason = unpackableReason(file);
  if (reason) throw new HandlerFileError(file, reason);
  const base = basename(file, extname(file));
  // index.js/index.mjs is the runtime shim's name in the zip; keep the user's module beside it under another name.
  return ['index', 'propack', 'propack-runtime'].includes(base.toLowerCase()) ? `user-${base}` : base;
}

async function zipEntries(entries: Record<string, Uint8Array>): Promise<FunctionBundle> {
  const files: Zippable = {};
  for (const [path, data] of Object.entries(entries)) files[path] = [data, { ...ZIP_FILE_ATTRS, level: 6 }];
  const zip = zipSync(files);
  return { zip, handler: 'index.handler', sha256: createHash('sha256').update(zip).digest('base64'), files: Object.keys(entries) };
}

/** The variable that makes Node map stack traces through the bundle's source map (Lambda reads NODE_OPTIONS at start). */
export const SOURCE_MAP_ENVIRONMENT = { NODE_OPTIONS: '--enable-source-maps' } as const;

/**
 * Builds a Lambda deployment zip with handler `index.handler`: a benchmark's self-contained bundle, a Python
 * handler's folder and its vendored requirements beside the Python runtime (handler `propack_runtime.handler`, runtime
 * options.runtime or `python3.12`), or a
 * user's handler bundled by esbuild beside the prebuilt runtime shim that wraps its export. A CommonJS
 * bundle sits beside `index.js` (the shim); an ES module bundle beside `index.mjs`, which imports it (so its
 * top-level await runs during Lambda's init) and hands it to the shim (`propack-runtime.cjs`).
 */
export async function buildBundle(source: BundleSource, options: BundleOptions = {}): Promise<FunctionBundle> {
  const dist = options.distDir ?? findDistDir();
  const python = source.kind === 'file' && extname(source.file).toLowerCase() === '.py';
  const runtimeWrong = options.runtime !== undefined ? runtimeProblem(options.runtime, python ? 'python' : 'node') : undefined;
  if (runtimeWrong) throw new HandlerFileError(source.kind === 'file' ? source.file : source.name, `the runtime ${runtimeWrong}`);
  const nodeRuntime = options.runtime !== undefined ? { runtime: options.runtime } : {};
  if (source.kind === 'benchmark') {
    if (!BENCHMARK_FUNCTIONS.includes(source.name)) throw new Error(`unknown benchmark "${String(source.name)}"`);
    return { ...(await zipEntries({ 'index.js': await readFile(join(dist, 'functions', source.name, 'index.js')) })), ...nodeRuntime };
  }
  if (python) {
    if (source.mode === 'async') throw new HandlerFileError(source.file, 'Python handlers run packed in "threads" or "processes" mode');
    const runtime = options.runtime ?? PYTHON_RUNTIME;
    const py = await pythonPackage(source.file, dist, {
      ...(source.codeDir ? { codeDir: source.codeDir } : {}),
      ...(source.exportName ? { exportName: source.exportName } : {}),
      ...(source.mode ? { mode: source.mode } : {}),
      ...(options.pipCacheDir ? { cacheDir: options.pipCacheDir } : {}),
      target: { platform: options.platform ?? 'local', architecture: options.architecture ?? 'x86_64', runtime },
    });
    return { ...(await zipEntries(py.entries)), handler: PYTHON_HANDLER, runtime, environment: py.environment };
  }
  if (source.mode === 'processes')
    throw new HandlerFileError(source.file, '"processes" mode is for Python handlers; Node.js handlers use "threads"');
  const mode = source.mode;
  const base = userModuleBase(source.file);
  const entryPoint = source.build?.entryPoints?.[0];
  const entry = entryPoint ? resolve(source.codeDir ?? dirname(source.file), entryPoint) : source.file;
  if (!existsSync(entry))
    throw new HandlerFileError(entry, 'no such file (ENOENT): check the handler path' + (entryPoint ? " and the build's EntryPoints" : ''));
  const out = await bundleEntry(entry, base, source.build);
  const config: ShimConfig = {
    module: `./${out.moduleFile}`,
    exportName: source.exportName ?? 'handler',
    ...(mode ? { mode } : {}),
    ...(out.format === 'esm' ? { format: 'esm' as const } : {}),
  };
  const runtime = await readFile(join(dist, 'runtime.js'));
  const shim: Record<string, Uint8Array> =
    out.format === 'esm'
      ? { 'index.mjs': Buffer.from(esmIndexSource(out.moduleFile)), [ESM_RUNTIME_FILE]: runtime }
      : { 'index.js': runtime };
  const bundle = await zipEntries({ ...shim, ...out.files, [SHIM_CONFIG_FILE]: Buffer.from(`${JSON.stringify(config, null, 2)}\n`) });
  const withRuntime = { ...bundle, ...nodeRuntime };
  return out.sourcemap ? { ...withRuntime, environment: { ...SOURCE_MAP_ENVIRONMENT } } : withRuntime;
}
