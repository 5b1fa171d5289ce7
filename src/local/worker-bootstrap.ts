/**
 * Entry of a worker process (forked by worker-process.ts). Hosts one or more logical Lambda instances of
 * ONE function: each instance has its own copy of the handler module (module state kept between its
 * invocations), and the platform sends each instance one invocation at a time. Node built-ins only.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, readFileSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { constants as vmConstants, Script } from 'node:vm';
import { moduleFormatOf, nearestPackageType } from '../core/module-format';
import { BatchedSender } from './batched-sender';
import { runtimeModulesDir } from './entry-files';
import { confineModules } from './worker-sandbox';
import type { FromWorker, InvokeMessage, ResultMessage, ToWorker } from './worker-protocol';

type Handler = (event: unknown, context: LambdaContext, callback: (err: unknown, result?: unknown) => void) => unknown;
interface LambdaContext {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  propackInstanceId: string;
  getRemainingTimeInMillis(): number;
}

// tsc (CommonJS output) and webpack both rewrite `import()` into `require()`; ESM handlers need the real one.
const importModule = new Function('u', 'return import(u)') as (url: string) => Promise<Record<string, unknown>>;
const logs = new AsyncLocalStorage<{ lines: string[]; requestId: string }>();
const instances = new Map<string, Promise<Handler>>();

captureOutput();
const outbox = new BatchedSender<FromWorker>((batch) => process.send?.(batch));
process.on('message', (batch: ToWorker[]) => {
  for (const m of batch) {
    if (m.t === 'drop') instances.delete(m.instanceId);
    else if (m.t === 'configure') configure(m.env, m.codeDir);
    else void invoke(m);
  }
});
outbox.push({ t: 'ready' });
process.on('disconnect', () => process.exit(0)); // the platform is gone (e.g. killed): do not linger
// A handler's stray rejection must not take down other instances sharing this process (Lambda would log it).
process.on('unhandledRejection', (e) => process.stderr.write(`Unhandled rejection: ${String(e)}\n`));

/** The runtime-provided modules (Lambda's /var/runtime/node_modules), found once per worker. */
const runtimeDir = runtimeModulesDir();

/**
 * Becomes an environment of one function: its variables, its code dir as cwd (Lambda's /var/task), module
 * resolution confined to that dir and the runtime's modules, and source-mapped stacks when its NODE_OPTIONS
 * asks (the process was started before the function was known, so the flag is applied here).
 */
function configure(env: Record<string, string>, codeDir: string): void {
  Object.assign(process.env, env);
  process.chdir(codeDir);
  confineModules({ codeDir, ...(runtimeDir ? { runtimeDir } : {}) });
  if (/(^|\s)--enable-source-maps(\s|$)/.test(env.NODE_OPTIONS ?? '')) process.setSourceMapsEnabled(true);
}

/** Routes console and stdout/stderr output of an invocation into its log (Lambda's line format). */
function captureOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream) as (chunk: string | Uint8Array) => boolean;
    stream.write = ((chunk: string | Uint8Array) => {
      const store = logs.getStore();
      if (!store) return original(chunk);
      store.lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      return true;
    }) as typeof stream.write;
  }
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const tag = level === 'log' ? 'INFO' : level.toUpperCase();
    console[level] = (...args: unknown[]) => {
      const store = logs.getStore();
      const line = `${new Date().toISOString()}\t${store?.requestId ?? 'undefined'}\t${tag}\t${format(...args)}\n`;
      (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line);
    };
  }
}

async function invoke(m: InvokeMessage): Promise<void> {
  const store = { lines: [] as string[], requestId: m.requestId };
  const reply = (r: Omit<ResultMessage, 't' | 'requestId' | 'log' | 'maxMemoryMb'>) =>
    outbox.push({
      t: 'result',
      requestId: m.requestId,
      log: store.lines.join(''),
      maxMemoryMb: peakMemoryMb(),
      ...r,
    } satisfies ResultMessage);
  await logs.run(store, async () => {
    let initMs: number | undefined;
    let loaded = instances.get(m.instanceId);
    if (!loaded) {
      const t0 = performance.now();
      loaded = loadHandler(m.codeDir, m.handler, m.instanceId);
      instances.set(m.instanceId, loaded);
      loaded.then(
        () => {
          initMs = performance.now() - t0;
        },
        () => instances.delete(m.instanceId),
      );
    }
    try {
      const fn = await loaded;
      process.env.PROPACK_INSTANCE_ID = m.instanceId; // set synchronously before the call: read it at handler start
      const result = await callHandler(fn, JSON.parse(m.payload) as unknown, context(m));
      // JSON has no value for undefined or a function: Lambda's Node runtime answers null for both.
      reply({ ok: true, body: JSON.stringify(result) ?? 'null', initMs });
    } catch (e) {
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      reply({ ok: false, body: JSON.stringify(errorBody(e)), initMs });
    }
  });
}

/** The process's peak resident memory (MB, getrusage ru_maxrss): Lambda's "Max Memory Used" of the environment. */
function peakMemoryMb(): number {
  return Math.round(Math.max(process.resourceUsage().maxRSS * 1024, process.memoryUsage.rss()) / 1048576);
}

function context(m: InvokeMessage): LambdaContext {
  const name = process.env.AWS_LAMBDA_FUNCTION_NAME ?? '';
  return {
    awsRequestId: m.requestId,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: m.functionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: m.instanceId,
    callbackWaitsForEmptyEventLoop: true,
    propackInstanceId: m.instanceId,
    getRemainingTimeInMillis: () => Math.max(0, m.deadline - Date.now()),
  };
}

/** Calls an async or callback-style handler and settles with its result. */
function callHandler(fn: Handler, event: unknown, ctx: LambdaContext): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const callback = (err: unknown, result?: unknown) => (err ? reject(err) : resolve(result));
    try {
      const r = fn(event, ctx, callback);
      if (fn.length < 3 || (r && typeof (r as Promise<unknown>).then === 'function')) Promise.resolve(r).then(resolve, reject);
    } catch (e) {
      reject(e);
    }
  });
}

/** Loads `file.export` from the code dir as a fresh module instance (own module state per logical instance). */
async function loadHandler(codeDir: string, handler: string, instanceId: string): Promise<Handler> {
  const dot = handler.lastIndexOf('.');
  const file = handler.slice(0, dot),
    exportName = handler.slice(dot + 1);
  const path = ['.js', '.mjs', '.cjs'].map((ext) => join(codeDir, file + ext)).find((p) => existsSync(p));
  if (dot <= 0 || !path) throw Object.assign(new Error(`Cannot find module '${file}'`), { name: 'Runtime.ImportModuleError' });
  let mod: Record<string, unknown>;
  try {
    if (isEsm(codeDir, path)) mod = await importModule(`${pathToFileURL(path).href}?instance=${instanceId}`);
    else mod = loadCommonJs(codeDir, path);
  } catch (e) {
    throw initError(e);
  }
  const fn = mod[exportName] ?? (mod.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof fn !== 'function')
    throw Object.assign(new Error(`${handler} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  return fn as Handler;
}

/** The entry file compiled once per process, by path, size and mtime (a redeploy brings a new process anyway). */
const compiledEntries = new Map<string, { stamp: string; script: Script }>();
/** Node 20.12+: dynamic `import()` in a compiled script resolves as in the file itself (relative to it, sandboxed). */
const importHook = (vmConstants as unknown as { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
if (importHook) {
  // Node calls that constant experimental on a handler's first dynamic import; the warning is the
  // platform's, not the function's, so it stays out of the invocation's log (other warnings print as before).
  for (const listener of process.listeners('warning')) {
    process.off('warning', listener);
    process.on('warning', (w) => {
      if (!(w.name === 'ExperimentalWarning' && w.message.includes('USE_MAIN_CONTEXT_DEFAULT_LOADER'))) listener(w);
    });
  }
}

/**
 * A fresh CommonJS instance of the entry file for one logical instance: its own module object and state,
 * evaluated afresh, from one compiled script. So the process's instances share V8's bytecode of the file,
 * as one environment reuses its own, instead of each compiling 1 MB of bundle again (36 ms against 2 ms for
 * a benchmark's bundle, and the lazy functions it compiles later). Falls back to Node's loader, which
 * compiles per instance, when stacks are source-mapped (vm scripts are not) or this Node lacks the import hook.
 */
function loadCommonJs(codeDir: string, path: string): Record<string, unknown> {
  if (!importHook || process.sourceMapsEnabled) {
    const load = createRequire(join(codeDir, 'index.js'));
    delete load.cache[path];
    const fresh = load(path) as Record<string, unknown>;
    delete load.cache[path];
    return fresh;
  }
  const st = statSync(path);
  const stamp = `${st.size}:${st.mtimeMs}`;
  let entry = compiledEntries.get(path);
  if (entry?.stamp !== stamp) {
    const script = new Script(wrapCommonJs(readFileSync(path, 'utf8')), { filename: path, importModuleDynamically: importHook as never });
    entry = { stamp, script };
    compiledEntries.set(path, entry);
  }
  const mod = new Module(path);
  mod.filename = path;
  mod.paths = nodeModulePaths(dirname(path));
  const require = createRequire(path);
  const wrapper = entry.script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(mod.exports, mod.exports, require, mod, path, dirname(path));
  mod.loaded = true;
  return mod.exports as Record<string, unknown>;
}

/** Node's CommonJS wrapper, so line and column numbers match a file loaded by `require` (Module.wrap). */
function wrapCommonJs(source: string): string {
  return (Module as unknown as { wrap(s: string): string }).wrap(source.startsWith('#!') ? `//${source.slice(2)}` : source);
}

/** Node's node_modules search folders of a directory (the sandbox's lookup filters them to the code folder). */
function nodeModulePaths(dir: string): string[] {
  return (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(dir);
}

/**
 * A handler module that failed to load, as Lambda's Node.js runtime reports it: a missing module is
 * `Runtime.ImportModuleError` and a syntax error `Runtime.UserCodeSyntaxError`, with the error's text
 * ("Error: Cannot find module 'x'...") as the message; anything else thrown at init passes unchanged.
 */
function initError(e: unknown): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  const wrap = (name: string) =>
    Object.assign(new Error(String(e)), {
      name,
      stack: `${name}: ${String(e)}\n${(e as Error).stack?.split('\n').slice(1).join('\n') ?? ''}`,
    });
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') return wrap('Runtime.ImportModuleError');
  if (e instanceof SyntaxError) return wrap('Runtime.UserCodeSyntaxError');
  return e;
}

/** Lambda's Node.js error payload. */
function errorBody(e: unknown): { errorType: string; errorMessage: string; trace: string[] } {
  if (e instanceof Error) return { errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') };
  return { errorType: typeof e, errorMessage: String(e), trace: [] };
}

/** ESM as Node decides it (core/module-format.ts): by extension, else the nearest package.json inside the code dir. */
function isEsm(codeDir: string, path: string): boolean {
  const read = (f: string): string | undefined => (existsSync(f) ? readFileSync(f, 'utf8') : undefined);
  return moduleFormatOf(path, () => nearestPackageType(dirname(path), codeDir, read)) === 'esm';
}
