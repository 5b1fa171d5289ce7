/** Deployment packages of Python handlers: the handler's folder (the package) beside ProPack's packed runtime. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { HandlerFileError } from './bundle-errors';
import type { PipTarget } from './pip-command';
import { vendorRequirements } from './python-requirements';

/** The packed runtime's module in the zip; the deployed handler is its `handler`. */
export const PYTHON_RUNTIME_FILE = 'propack_runtime.py';
export const PYTHON_HANDLER = 'propack_runtime.handler';
/** The Lambda runtime a Python package is deployed with when neither --runtime nor a template names one (the local platform runs every python3.X with this machine's python3). */
export const PYTHON_RUNTIME = 'python3.12';
/** Lambda's limit on a deployment package, unzipped (bytes). */
const UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024;
/** Folders never shipped: caches, version control, other tools' output, virtual environments. */
const SKIPPED_DIRS = new Set([
  '__pycache__',
  '.git',
  'node_modules',
  '.propack',
  '.aws-sam',
  '.venv',
  'venv',
  '.mypy_cache',
  '.pytest_cache',
]);

/** Modes of the Python runtime: a thread pool, or one process per task (CPU-bound work the GIL would serialize). */
export type PythonMode = 'threads' | 'processes';

export interface PythonPackage {
  /** Paths inside the zip → contents. */
  entries: Record<string, Uint8Array>;
  /** Variables the package needs: the user's handler (PROPACK_ORIGINAL_HANDLER) and the default mode. */
  environment: Record<string, string>;
}

/** `def handler` when the file defines one, else `def lambda_handler` when it does, else `handler`. */
export function pythonHandlerName(source: string): string {
  if (/^(async\s+)?def\s+handler\s*\(/m.test(source)) return 'handler';
  if (/^(async\s+)?def\s+lambda_handler\s*\(/m.test(source)) return 'lambda_handler';
  return 'handler';
}

async function walk(root: string, dir: string, out: Record<string, Uint8Array>, total: { bytes: number }): Promise<void> {
  const items = await readdir(dir, { withFileTypes: true });
  items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)); // the same tree gives the same zip
  for (const item of items) {
    const path = join(dir, item.name);
    if (item.isDirectory()) {
      if (!SKIPPED_DIRS.has(item.name)) await walk(root, path, out, total);
      continue;
    }
    if (!item.isFile() || item.name.endsWith('.pyc')) continue;
    total.bytes += (await stat(path)).size;
    if (total.bytes > UNZIPPED_LIMIT_BYTES)
      throw new HandlerFileError(
        root,
        `the package folder holds over 250 MB, Lambda's unzipped limit: point CodeUri (or --handler) at a smaller folder`,
      );
    out[relative(root, path).split(sep).join('/')] = await readFile(path);
  }
}

/**
 * The package of a Python handler `file` (module `function`): every file of `codeDir` (default the
 * handler's folder), the folder's requirements.txt installed by pip for `target` beside them (a package
 * file wins over an installed one of the same path, as with `sam build`), and the runtime from `dist`. The
 * handler's module is its path under the folder.
 */
export async function pythonPackage(
  file: string,
  dist: string,
  opts: { codeDir?: string; exportName?: string; mode?: PythonMode; target: PipTarget; cacheDir?: string },
): Promise<PythonPackage> {
  const root = resolve(opts.codeDir ?? dirname(file));
  const rel = relative(root, resolve(file));
  if (rel.startsWith('..')) throw new HandlerFileError(file, `the handler is outside its package folder ${root}`);
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch {
    throw new HandlerFileError(file, 'no such file (ENOENT): check the handler path');
  }
  const moduleName = rel.slice(0, -'.py'.length).split(sep).join('.');
  if (basename(file) === PYTHON_RUNTIME_FILE)
    throw new HandlerFileError(file, `${PYTHON_RUNTIME_FILE} is the packed runtime's own name: rename the handler module`);
  const own: Record<string, Uint8Array> = {};
  const total = { bytes: 0 };
  await walk(root, root, own, total);
  if (own[PYTHON_RUNTIME_FILE])
    throw new HandlerFileError(join(root, PYTHON_RUNTIME_FILE), "the packed runtime's own name: rename that module");
  const vendored: Record<string, Uint8Array> = {};
  const installed = await vendorRequirements(root, opts.target, opts.cacheDir ? { cacheDir: opts.cacheDir } : {});
  if (installed) await walk(installed, installed, vendored, total);
  // Sorted paths: the zip's order (and so its hash) does not depend on which source a file came from.
  const merged: Record<string, Uint8Array> = { ...vendored, ...own };
  const entries: Record<string, Uint8Array> = {};
  for (const path of Object.keys(merged).sort()) entries[path] = merged[path] as Uint8Array;
  entries[PYTHON_RUNTIME_FILE] = await readFile(join(dist, PYTHON_RUNTIME_FILE));
  return {
    entries,
    environment: {
      PROPACK_ORIGINAL_HANDLER: `${moduleName}.${opts.exportName ?? pythonHandlerName(source)}`,
      ...(opts.mode ? { PROPACK_MODE: opts.mode } : {}),
    },
  };
}
