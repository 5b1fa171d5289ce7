/**
 * Confines a function's module resolution to what a Lambda function can load: its own code folder (Lambda's
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
 *
 * Worker threads (the packed runtime's `threads` mode) have loaders of their own and inherit neither
 * change, so `worker_threads.Worker` is replaced by one that runs the same source first in each thread.
 * The source is one string for that reason.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import workerThreads, { type WorkerOptions } from 'node:worker_threads';

/** Where a function's modules may come from. */
export interface ModuleSandbox {
  /** The function's code folder (LAMBDA_TASK_ROOT). */
  codeDir: string;
  /** The folder holding the runtime-provided `node_modules` (LAMBDA_RUNTIME_DIR); none when absent. */
  runtimeDir?: string;
}

/** The ES module resolve hook, registered from a data: URL so no file has to ship for it. */
const ESM_HOOK_SOURCE = `
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, sep } from 'node:path';
let allowed = [];
let runtimeParent;
let codeDir;
export function initialize(data) {
  codeDir = data.codeDir;
  allowed = [data.codeDir, ...(data.runtimeDir ? [data.runtimeDir] : [])];
  runtimeParent = data.runtimeDir ? pathToFileURL(join(data.runtimeDir, 'provided.mjs')).href : undefined;
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
 * Source that confines the thread it runs in; expects `sandbox` ({ codeDir, runtimeDir? }) and `require` in
 * scope. The CommonJS patch uses Node's internal loader members (`_resolveLookupPaths`, `_resolveFilename`,
 * `_nodeModulePaths`: present since Node 0.x, not in its typings).
 */
const SANDBOX_SOURCE = `
const Module = require('node:module');
const { dirname, join, sep } = require('node:path');
const inside = (p, d) => p === d || p.startsWith(d.endsWith(sep) ? d : d + sep);
const bare = (r) => !/^(\\.{1,2}(\\/|\\\\|$)|\\/|\\\\|[A-Za-z]:[\\\\/]|file:|data:|node:|#)/.test(r) && !Module.isBuiltin(r);
const allowed = [sandbox.codeDir].concat(sandbox.runtimeDir ? [sandbox.runtimeDir] : []);
const provided = (sandbox.runtimeDir ? [join(sandbox.runtimeDir, 'node_modules')] : []).concat([sandbox.codeDir]);
const lookup = Module._resolveLookupPaths;
const resolveFilename = Module._resolveFilename;
Module._resolveLookupPaths = function (request, parent) {
  const from = parent && parent.filename;
  if (!from || !inside(from, sandbox.codeDir) || !bare(request)) return lookup.call(this, request, parent);
  return Module._nodeModulePaths(dirname(from)).filter((p) => inside(p, sandbox.codeDir)).concat(provided);
};
Module._resolveFilename = function (request, parent, isMain, options) {
  const resolved = resolveFilename.call(this, request, parent, isMain, options);
  const from = parent && parent.filename;
  if (from && inside(from, sandbox.codeDir) && !Module.isBuiltin(resolved) && !allowed.some((d) => inside(resolved, d))) {
    throw Object.assign(new Error("Cannot find module '" + request + "'\\nRequire stack:\\n- " + from), { code: 'MODULE_NOT_FOUND', requireStack: [from] });
  }
  return resolved;
};
Module.register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(ESM_HOOK_SOURCE)}), { data: sandbox });
`;

let installed: ModuleSandbox | undefined;

/** The sandbox source with its settings, to run first in a worker thread (eval'd, CommonJS scope). */
function threadPreamble(sandbox: ModuleSandbox): string {
  return `{ const sandbox = ${JSON.stringify(sandbox)}; ${SANDBOX_SOURCE} }\n`;
}

/** A Worker that confines its thread like the process: eval'd source gets the preamble; a file is loaded after it. */
function sandboxedWorker(sandbox: ModuleSandbox): typeof workerThreads.Worker {
  const Base = workerThreads.Worker;
  return class SandboxedWorker extends Base {
    constructor(filename: string | URL, options: WorkerOptions = {}) {
      if (options.eval && typeof filename === 'string') {
        super(threadPreamble(sandbox) + filename, options);
        return;
      }
      const path = typeof filename === 'string' ? filename : filename.href;
      const load =
        /\.mjs$/.test(path) || path.startsWith('file:')
          ? `import(${JSON.stringify(path.startsWith('file:') ? path : `file://${path}`)});`
          : `require(${JSON.stringify(path)});`;
      super(threadPreamble(sandbox) + load, { ...options, eval: true });
    }
  };
}

/**
 * Confines this process's `require` and `import`, and those of the worker threads it starts, to the
 * function's code folder and the runtime's modules. Once per process: a worker is assigned one function.
 */
export function confineModules(sandbox: ModuleSandbox): void {
  if (installed) {
    if (installed.codeDir === sandbox.codeDir && installed.runtimeDir === sandbox.runtimeDir) return;
    throw new Error(`this worker already runs code from ${installed.codeDir}`);
  }
  installed = sandbox;
  // A real require of this file (webpack's own would not have Node's loader behind it).
  new Function('require', 'sandbox', SANDBOX_SOURCE)(createRequire(__filename), sandbox);
  workerThreads.Worker = sandboxedWorker(sandbox);
  syncBuiltinESMExports(); // ES modules importing { Worker } see the replacement too
}
