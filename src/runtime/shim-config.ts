import type { PackedMode } from './protocol';

/** File next to the runtime shim (`index.js`) that names the user's handler module. */
export const SHIM_CONFIG_FILE = 'propack.json';

/**
 * The runtime shim's name where it is not the handler module itself: beside an ES module bundle, whose
 * `index.mjs` requires it (see engine/bundle-esm-index.ts), and in a packed copy of a deployed function.
 */
export const ESM_RUNTIME_FILE = 'propack-runtime.cjs';

/**
 * The variable naming the user's handler when `propack.json` names no module: a packed copy of a deployed
 * function keeps its code as it was and moves its Handler setting here (the pattern tracing layers use).
 */
export const ORIGINAL_HANDLER_ENV = 'PROPACK_ORIGINAL_HANDLER';

/** Contents of `propack.json` in a user-handler bundle. */
export interface ShimConfig {
  /** The user's module, relative to the shim, e.g. `./handler.js`; absent: `PROPACK_ORIGINAL_HANDLER` names it. */
  module?: string;
  /** Export holding the handler (default `handler`). */
  exportName?: string;
  /** Default mode for packed requests that name none (default `async`). */
  mode?: PackedMode;
  /** `esm`: the module is an ES module that `index.mjs` imports and hands to the shim; CommonJS (required by the shim) when absent. */
  format?: 'esm';
}

/**
 * A Lambda Handler setting (`src/app.handler`, `index.handlers.main`) as module and export, split as the
 * Node.js runtime does: the module is the text up to the first dot after the last slash; the export path
 * may go on with dots. Undefined when it is not of that form.
 */
export function splitLambdaHandler(handler: string): { module: string; exportName: string } | undefined {
  const slash = handler.lastIndexOf('/');
  const dot = handler.indexOf('.', slash + 1);
  if (dot <= slash + 1 || dot === handler.length - 1) return undefined;
  return { module: `./${handler.slice(0, dot)}`, exportName: handler.slice(dot + 1) };
}
