import type { PackedMode } from './protocol';

/** File next to the runtime shim (`index.js`) that names the user's handler module. */
export const SHIM_CONFIG_FILE = 'propack.json';

/** Contents of `propack.json` in a user-handler bundle. */
export interface ShimConfig {
  /** The user's module, relative to the shim, e.g. `./handler.js`. */
  module: string;
  /** Export holding the handler (default `handler`). */
  exportName?: string;
  /** Default mode for packed requests that name none (default `async`). */
  mode?: PackedMode;
}
