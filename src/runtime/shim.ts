/**
 * Entry of `dist/runtime.js`, shipped as `index.js` beside a user's CommonJS handler bundle, as
 * `propack-runtime.cjs` beside an ES module bundle, or as `propack-runtime.cjs` in a packed copy of a deployed
 * function. It reads `propack.json` (else PROPACK_ORIGINAL_HANDLER), requires the user's CommonJS module and
 * exports its handler wrapped by the packed runtime. For an ES module bundle it exports `wrapLoadedModule`
 * for `index.mjs`, which imports the module itself (ESM loads asynchronously, `require` cannot).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
// A leaf of core with no imports of its own, as lambda-limits is for instance.ts.
import { moduleFormatOf, nearestPackageType } from '../core/module-format';
import type { TaskHandler } from './context';
import { ORIGINAL_HANDLER_ENV, SHIM_CONFIG_FILE, splitLambdaHandler, type ShimConfig } from './shim-config';
import { wrapHandler, type PackedHandler } from './wrap';

function readConfig(dir: string): ShimConfig {
  const file = join(dir, SHIM_CONFIG_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ShimConfig) : {};
}

/** The module and export to wrap: `propack.json`'s, else the original Handler setting a packed copy carries in its environment. */
function target(dir: string, config: ShimConfig = readConfig(dir)): ShimConfig & { module: string } {
  if (config.module) return { ...config, module: config.module };
  const original = process.env[ORIGINAL_HANDLER_ENV];
  const split = original ? splitLambdaHandler(original) : undefined;
  if (!split)
    throw new TypeError(
      `ProPack's runtime has no handler to wrap: ${SHIM_CONFIG_FILE} names no module and ${ORIGINAL_HANDLER_ENV} is ${original ? `"${original}", not file.export` : 'not set'}`,
    );
  return { ...config, ...split };
}

/** The handler a module exports under `exportName`, a nested path (`handlers.main`) followed as the Lambda runtime follows it. */
function exported(mod: unknown, exportName: string): unknown {
  const at = (from: unknown): unknown =>
    exportName.split('.').reduce<unknown>((o, key) => (o as Record<string, unknown> | undefined)?.[key], from);
  // An ES module importing CommonJS sees its exports under `default` too.
  return at(mod) ?? at((mod as { default?: unknown } | undefined)?.default);
}

/** Wraps the handler export of an already loaded user module (`mod`), configured by `<dir>/propack.json`. */
export function wrapLoadedModule(mod: Record<string, unknown>, dir: string, config: ShimConfig = readConfig(dir)): PackedHandler {
  const t = target(dir, config);
  const exportName = t.exportName ?? 'handler';
  const userHandler = exported(mod, exportName);
  if (typeof userHandler !== 'function') throw new TypeError(`${t.module} does not export a function "${exportName}"`);
  return wrapHandler(userHandler as TaskHandler, { mode: t.mode, module: { path: join(dir, t.module), exportName } });
}

/** Whether Node loads `file` as an ES module (core/module-format.ts), by the nearest package.json inside `root`. */
function isEsModule(file: string, root: string): boolean {
  return moduleFormatOf(file, () => nearestPackageType(dirname(file), root, readIfPresent)) === 'esm';
}

function readIfPresent(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

// A real dynamic import that webpack leaves alone (it would otherwise try to bundle the user's module).
const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<Record<string, unknown>>;

/**
 * An ES module handler behind this CommonJS shim (a packed copy of a deployed ESM function): `require`
 * cannot load ESM, so the module is imported on the first invocation and wrapped once. Its top-level
 * code therefore runs in the first invocation rather than in Lambda's INIT phase.
 */
function lazyEsmHandler(path: string, dir: string, config: ShimConfig): PackedHandler {
  let loaded: Promise<PackedHandler> | undefined;
  const load = (): Promise<PackedHandler> =>
    (loaded ??= importModule(pathToFileURL(path).href).then((mod) => wrapLoadedModule(mod, dir, config)));
  const handler = ((event: unknown, context?: Parameters<PackedHandler>[1]) => load().then((h) => h(event, context))) as PackedHandler;
  handler.close = async () => (loaded ? (await loaded).close() : undefined);
  return handler;
}

/** Loads the user's handler named by `<dir>/propack.json` (or `PROPACK_ORIGINAL_HANDLER`) and wraps it. */
export function loadWrappedHandler(dir: string): PackedHandler {
  const config = target(dir);
  const exportName = config.exportName ?? 'handler';
  // createRequire keeps this a runtime require that webpack leaves alone: the user's file is not bundled.
  const requireHere = createRequire(join(dir, 'index.js'));
  // As Lambda does, `src/app` is src/app.js, .cjs or .mjs.
  const path =
    ['', '.js', '.cjs', '.mjs'].map((ext) => join(dir, config.module + ext)).find((p) => existsSync(p) && !statSync(p).isDirectory()) ??
    requireHere.resolve(config.module);
  if (isEsModule(path, dir)) return lazyEsmHandler(path, dir, config);
  const userHandler = exported(requireHere(path), exportName);
  if (typeof userHandler !== 'function') throw new TypeError(`${config.module} does not export a function "${exportName}"`);
  return wrapHandler(userHandler as TaskHandler, { mode: config.mode, module: { path, exportName } });
}

/** The wrapped handler when this file is the CommonJS handler module; `index.mjs` exports it for an ES module bundle. */
export const handler: PackedHandler | undefined = readConfig(__dirname).format === 'esm' ? undefined : loadWrappedHandler(__dirname);
