import type { PackedMode } from './protocol';

/** File next to the runtime shim (`index.js`) that names the user's handler module. */
export const SHIM_CONFIG_FILE = 'propack.json';

/** The runtime shim's name beside an ES module bundle, whose `index.mjs` loads both (see engine/bundle-esm-index.ts). */
export const ESM_RUNTIME_FILE = 'propack-runtime.cjs';

/** Contents of `propack.json` in a user-handler bundle. */
export interface ShimConfig {
  /** The user's module, relative to the shim, e.g. `./handler.js` or `./app.mjs`. */
  module: string;
  /** Export holding the handler (default `handler`). */
  exportName?: string;
  /** Default mode for packed requests that name none (default `async`). */
  mode?: PackedMode;
  /** `esm`: the module is an ES module that `index.mjs` imports and hands to the shim; CommonJS (required by the shim) when absent. */
  format?: 'esm';
}
