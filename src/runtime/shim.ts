/**
 * Entry of `dist/runtime.js`, shipped as `index.js` beside a user's handler module: it reads
 * `propack.json`, requires the user's module and exports its handler wrapped by the packed runtime.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { TaskHandler } from './context';
import { SHIM_CONFIG_FILE, type ShimConfig } from './shim-config';
import { wrapHandler, type PackedHandler } from './wrap';

/** Loads the user's handler named by `<dir>/propack.json` and wraps it. */
export function loadWrappedHandler(dir: string): PackedHandler {
  const config = JSON.parse(readFileSync(join(dir, SHIM_CONFIG_FILE), 'utf8')) as ShimConfig;
  const exportName = config.exportName ?? 'handler';
  // createRequire keeps this a runtime require that webpack leaves alone: the user's file is not bundled.
  const requireHere = createRequire(join(dir, 'index.js'));
  const path = requireHere.resolve(config.module);
  const userHandler: unknown = (requireHere(path) as Record<string, unknown>)[exportName];
  if (typeof userHandler !== 'function') throw new TypeError(`${config.module} does not export a function "${exportName}"`);
  return wrapHandler(userHandler as TaskHandler, { mode: config.mode, module: { path, exportName } });
}

export const handler: PackedHandler = loadWrappedHandler(__dirname);
