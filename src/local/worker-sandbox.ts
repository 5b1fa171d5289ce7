/**
 * Confines a worker's module resolution to what a Lambda function can load: its own code folder (Lambda's
 * /var/task) and the modules the runtime provides (Lambda's /var/runtime/node_modules, the AWS SDK v3).
 *
 * A function's code folder sits inside the platform's data folder, often `.propack/local` in the user's
 * workspace, and Node looks for packages in every node_modules folder above the importing file: left alone,
 * a handler requiring a package it never bundled would load the workspace's copy here and fail on Lambda
 * with "Cannot find module". Moving the code elsewhere would not be enough (any folder may have a
 * node_modules above it), so both loaders are told where to stop:
 * - CommonJS: `Module._resolveLookupPaths`, the one place `require` and `require.resolve` take their search
 *   folders from, returns for a bare name only the node_modules folders inside the code folder, then
 *   Lambda's NODE_PATH (the runtime's modules, the code folder itself). Node built-ins come first as ever.
 * - ES modules, which never read NODE_PATH: a `module.register` resolve hook (Node 20.6+) accepts what
 *   resolves inside the code folder or the runtime's modules, tries the runtime's modules for a bare name
 *   that resolved elsewhere, and otherwise fails as Node does (ERR_MODULE_NOT_FOUND).
 * Relative paths that leave the code folder are refused the same way. Code outside the code folder (this
 * bootstrap, the runtime's modules) resolves as usual.
 */
import { isBuiltin, register } from 'node:module';
import Module from 'node:module';
import { dirname, join, sep } from 'node:path';

/** Where a function's modules may come from. */
export interface ModuleSandbox {
  /** The function's code folder (LAMBDA_TASK_ROOT). */
  codeDir: string;
  /** The folder holding the runtime-provided `node_modules` (LAMBDA_RUNTIME_DIR); none when absent. */
  runtimeDir?: string;
}

/** Node's internal CommonJS loader members the sandbox replaces (present since Node 0.x; not in its typings). */
interface CjsLoader {
  _resolveLookupPaths(request: string, parent: { filename?: string | null; paths?: string[] } | null | undefined): string[] | null;
  _resolveFilename(request: string, parent: { filename?: string | null } | null | undefined, isMain: boolean, options?: unknown): string;
  _nodeModulePaths(from: string): string[];
}

/** Whether `path` is `dir` or inside it. */
export function inside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** A package name rather than a path (`lodash`, `@aws-sdk/client-s3/x`), excluding Node built-ins. */
export function isBareSpecifier(request: string): boolean {
  return !/^(\.{1,2}(\/|\\|$)|\/|\\|[A-Za-z]:[\\/]|file:|data:|node:|#)/.test(request) && !isBuiltin(request);
}

/** Node's "Cannot find module" error, as Lambda's runtime reports it for CommonJS. */
function notFound(request: string, parent: string): Error {
  return Object.assign(new Error(`Cannot find module '${request}'\nRequire stack:\n- ${parent}`), { code: 'MODULE_NOT_FOUND', requireStack: [parent] });
}

/** Lambda's NODE_PATH as it applies here: the runtime's node_modules, then the code folder. */
export function providedPaths(sandbox: ModuleSandbox): string[] {
  return [...(sandbox.runtimeDir ? [join(sandbox.runtimeDir, 'node_modules')] : []), sandbox.codeDir];
}

let installed: ModuleSandbox | undefined;

/** Confines CommonJS resolution (see the module comment). Once per process: a worker hosts one function. */
function confineRequire(sandbox: ModuleSandbox): void {
  const loader = Module as unknown as CjsLoader;
  const lookup = loader._resolveLookupPaths.bind(loader);
  const resolveFilename = loader._resolveFilename.bind(loader);
  const allowed = [sandbox.codeDir, ...(sandbox.runtimeDir ? [sandbox.runtimeDir] : [])];
  loader._resolveLookupPaths = (request, parent) => {
    const from = parent?.filename;
    if (!from || !inside(from, sandbox.codeDir) || !isBareSpecifier(request)) return lookup(request, parent);
    const own = loader._nodeModulePaths(dirname(from)).filter((p) => inside(p, sandbox.codeDir));
    return [...own, ...providedPaths(sandbox)];
  };
  loader._resolveFilename = (request, parent, isMain, options) => {
    const resolved = resolveFilename(request, parent, isMain, options);
    const from = parent?.filename;
    if (from && inside(from, sandbox.codeDir) && !isBuiltin(resolved) && !allowed.some((d) => inside(resolved, d))) throw notFound(request, from);
    return resolved;
  };
}

/** The ES module resolve hook, as a module of its own (data: URL, so no file has to ship beside the bundle). */
const ESM_HOOK_SOURCE = `
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, sep } from 'node:path';
let allowed = [];
let runtimeParent;
let codeDir;
export function initialize(data) {
  allowed = [data.codeDir, ...(data.runtimeDir ? [data.runtimeDir] : [])];
  runtimeParent = data.runtimeDir ? pathToFileURL(join(data.runtimeDir, 'provided.mjs')).href : undefined;
  codeDir = data.codeDir;
}
const inside = (p, d) => p === d || p.startsWith(d.endsWith(sep) ? d : d + sep);
const fileOf = (url) => (typeof url === 'string' && url.startsWith('file:') ? fileURLToPath(url) : undefined);
const ok = (url) => !url.startsWith('file:') || allowed.some((d) => inside(fileURLToPath(url), d));
const bare = (s) => !/^(\\.{1,2}(\\/|$)|\\/|file:|data:|node:|#)/.test(s);
export async function resolve(specifier, context, next) {
  const parent = fileOf(context.parentURL);
  if (!parent || !inside(parent, codeDir)) return next(specifier, context);
  let found;
  try { found = await next(specifier, context); } catch (e) { if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e; }
  if (found && ok(found.url)) return found;
  if (runtimeParent && bare(specifier)) {
    try {
      const provided = await next(specifier, { ...context, parentURL: runtimeParent });
      if (ok(provided.url)) return provided;
    } catch (e) { if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e; }
  }
  const name = bare(specifier) ? specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/') : specifier;
  const what = bare(specifier) ? "package '" + name + "'" : "module '" + specifier + "'";
  throw Object.assign(new Error('Cannot find ' + what + ' imported from ' + parent), { code: 'ERR_MODULE_NOT_FOUND' });
}
`;

/**
 * Confines this process's `require` and `import` to the function's code folder and the runtime's modules.
 * Throws if the process already hosts another function's code (a worker is assigned once).
 */
export function confineModules(sandbox: ModuleSandbox): void {
  if (installed) {
    if (installed.codeDir === sandbox.codeDir && installed.runtimeDir === sandbox.runtimeDir) return;
    throw new Error(`this worker already runs code from ${installed.codeDir}`);
  }
  installed = sandbox;
  confineRequire(sandbox);
  register(`data:text/javascript,${encodeURIComponent(ESM_HOOK_SOURCE)}`, { data: { codeDir: sandbox.codeDir, runtimeDir: sandbox.runtimeDir } });
}
