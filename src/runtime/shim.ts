/**
 * Entry of `dist/runtime.js`, shipped beside a user's handler bundle: as `index.js` it reads `propack.json`,
 * requires the user's CommonJS module and exports its handler wrapped by the packed runtime; as
 * `propack-runtime.cjs` beside an ES module bundle it exports `wrapLoadedModule` for `index.mjs`, which
 * imports the module itself (ESM loads asynchronously, `require` cannot).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { TaskHandler } from './context';
import { SHIM_CONFIG_FILE, type ShimConfig } from './shim-config';
import { wrapHandler, type PackedHandler } from './wrap';

function readConfig(dir: string): ShimConfig {
  return JSON.parse(readFileSync(join(dir, SHIM_CONFIG_FILE), 'utf8')) as ShimConfig;
}

/** Wraps the handler export of an already loaded user module (`mod`), configured by `<dir>/propack.json`. */
export function wrapLoadedModule(mod: Record<string, unknown>, dir: string, config: ShimConfig = readConfig(dir)): PackedHandler {
  const exportName = config.exportName ?? 'handler';
  // An ES module importing CommonJS sees its exports under `default` too.
  const userHandler: unknown = mod[exportName] ?? (mod.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof userHandler !== 'function') throw new TypeError(`${config.module} does not export a function "${exportName}"`);
  return wrapHandler(userHandler as TaskHandler, { mode: config.mode, module: { path: join(dir, config.module), exportName } });
}

/** Loads the user's CommonJS handler named by `<dir>/propack.json` and wraps it. */
export function loadWrappedHandler(dir: string): PackedHandler {
  const config = readConfig(dir);
  // createRequire keeps this a runtime require that webpack leaves alone: the user's file is not bundled.
  const requireHere = createRequire(join(dir, 'index.js'));
  const path = requireHere.resolve(config.module);
  return wrapLoadedModule(requireHere(path) as Record<string, unknown>, dir, config);
}

/** The wrapped handler when this file is `index.js` of a CommonJS bundle; `index.mjs` exports it for an ES module bundle. */
export const handler: PackedHandler | undefined = readConfig(__dirname).format === 'esm' ? undefined : loadWrappedHandler(__dirname);
