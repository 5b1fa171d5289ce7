/**
 * Entry of `dist/runtime.js`, shipped as `index.js` beside a user's handler module (or as
 * `propack-runtime.cjs` in a packed copy of a deployed function): it reads `propack.json` (else
 * PROPACK_ORIGINAL_HANDLER), requires the user's module and exports its handler wrapped by the packed runtime.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { TaskHandler } from './context';
import { ORIGINAL_HANDLER_ENV, SHIM_CONFIG_FILE, splitLambdaHandler, type ShimConfig } from './shim-config';
import { wrapHandler, type PackedHandler } from './wrap';

/** The module and export to wrap: `propack.json`'s, else the original Handler setting a packed copy carries in its environment. */
function target(dir: string): ShimConfig & { module: string } {
  const file = join(dir, SHIM_CONFIG_FILE);
  const config = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ShimConfig) : {};
  if (config.module) return { ...config, module: config.module };
  const original = process.env[ORIGINAL_HANDLER_ENV];
  const split = original ? splitLambdaHandler(original) : undefined;
  if (!split) throw new TypeError(`ProPack's runtime has no handler to wrap: ${SHIM_CONFIG_FILE} names no module and ${ORIGINAL_HANDLER_ENV} is ${original ? `"${original}", not file.export` : 'not set'}`);
  return { ...config, ...split };
}

/** Loads the user's handler named by `<dir>/propack.json` (or `PROPACK_ORIGINAL_HANDLER`) and wraps it. */
export function loadWrappedHandler(dir: string): PackedHandler {
  const config = target(dir);
  const exportName = config.exportName ?? 'handler';
  // createRequire keeps this a runtime require that webpack leaves alone: the user's file is not bundled.
  const requireHere = createRequire(join(dir, 'index.js'));
  // As Lambda does, `src/app` is src/app.js or src/app.cjs (CommonJS; .mjs is an ES module, not loaded here).
  const path = ['', '.js', '.cjs'].map((ext) => join(dir, config.module + ext)).find((p) => existsSync(p) && !statSync(p).isDirectory()) ?? requireHere.resolve(config.module);
  // A nested export path (`handlers.main`) is followed as the Lambda runtime follows it.
  const userHandler: unknown = exportName.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], requireHere(path));
  if (typeof userHandler !== 'function') throw new TypeError(`${config.module} does not export a function "${exportName}"`);
  return wrapHandler(userHandler as TaskHandler, { mode: config.mode, module: { path, exportName } });
}

export const handler: PackedHandler = loadWrappedHandler(__dirname);
