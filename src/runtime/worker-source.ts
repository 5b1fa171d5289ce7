/**
 * Source of a pool worker, run with `new Worker(source, { eval: true })`. It is a string on purpose:
 * the worker then needs no file of its own, so the same code works from a webpack single-file bundle
 * and from a plain directory. It loads the user's module itself (absolute path + export name; import() for .mjs) and
 * answers one `{ seq, payload, context }` message at a time with `{ json }` (the result as JSON text),
 * `{ notJson }` (what JSON cannot carry) or `{ error }`. Times are epoch ms.
 */
export const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const toError = (e) => e instanceof Error
  ? { type: e.name || 'Error', message: e.message }
  : { type: 'Error', message: String(e && typeof e === 'object' && 'message' in e ? e.message : e) };
// An ES module (.mjs) is imported (a real import(): this string is not rewritten by a bundler), CommonJS required.
const loading = (async () => {
  const path = workerData.modulePath;
  const mod = /\\.mjs$/.test(path) ? await import(require('node:url').pathToFileURL(path).href) : require(path);
  let handler = mod[workerData.exportName];
  if (typeof handler !== 'function' && mod.default) handler = mod.default[workerData.exportName];
  if (typeof handler !== 'function') {
    throw new TypeError('export "' + workerData.exportName + '" of ' + path + ' is not a function');
  }
  return handler;
})();
loading.catch(() => undefined); // reported to each task below, not as an unhandled rejection
parentPort.on('message', async (msg) => {
  let handler;
  let loadError;
  try {
    handler = await loading;
  } catch (e) {
    loadError = e;
  }
  const startedAt = Date.now();
  const deadline = msg.context.deadlineMs;
  const context = Object.assign({}, msg.context, {
    getRemainingTimeInMillis: () => deadline === null ? Number.MAX_SAFE_INTEGER : Math.max(0, deadline - Date.now()),
  });
  let reply;
  try {
    if (loadError) throw loadError;
    const result = await handler(msg.payload, context);
    // The result crosses as JSON text, checked here as Lambda will serialize it (see result-check.ts).
    let json;
    let notJson;
    try {
      json = result === undefined ? undefined : JSON.stringify(result);
      if (result !== undefined && json === undefined) notJson = typeof result === 'function' ? 'a function' : typeof result === 'symbol' ? 'a symbol' : 'a ' + typeof result;
    } catch (e) {
      const m = e instanceof Error ? e.message : String(e);
      notJson = /BigInt/i.test(m) ? 'a BigInt' : /circular/i.test(m) ? 'a circular structure' : 'a value JSON.stringify rejects (' + m.split(String.fromCharCode(10))[0] + ')';
    }
    reply = notJson === undefined
      ? { seq: msg.seq, ok: true, json, startedAt, endedAt: Date.now() }
      : { seq: msg.seq, ok: false, notJson, startedAt, endedAt: Date.now() };
  } catch (e) {
    reply = { seq: msg.seq, ok: false, error: toError(e), startedAt, endedAt: Date.now() };
  }
  try {
    parentPort.postMessage(reply);
  } catch (e) {
    parentPort.postMessage({ seq: msg.seq, ok: false, error: toError(e), startedAt, endedAt: Date.now() });
  }
});
`;
