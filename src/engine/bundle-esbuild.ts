/**
 * Bundles one Node handler entry point with esbuild, as SAM (`BuildMethod: esbuild`) and CDK's
 * `NodejsFunction` do: its npm dependencies resolved from the user's project, the project's tsconfig
 * honoured, `@aws-sdk/*` left to the Lambda runtime unless asked otherwise, a linked source map.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { BuildFailure, BuildOptions, Message } from 'esbuild';
import type { NodeBuildProperties } from '../core/build-properties';
import { moduleFormatOf, type ModuleFormat } from '../core/module-format';
import { HandlerFileError } from './bundle-errors';
import { loadEsbuild } from './bundle-esbuild-load';

/** Output module format of a bundle. */
// Defined beside Node's rule in core; re-exported for the bundler's callers.
export type { ModuleFormat };

/** One bundled entry point: the module (and its map) named for the zip, and the format it has. */
export interface EsbuildOutput {
  format: ModuleFormat;
  /** File name of the module in the zip, e.g. `app.mjs` or `app.js`. */
  moduleFile: string;
  files: Record<string, Uint8Array>;
  /** The project folder the dependencies were resolved from (nearest package.json above the entry). */
  projectDir: string;
  /** Whether a source map was written beside the module. */
  sourcemap: boolean;
}

/** A handler esbuild could not bundle; `reason` is one line saying what to do, without the handler's path. */
export class BundleError extends HandlerFileError {
  constructor(file: string, reason: string) {
    super(file, reason);
    this.name = 'BundleError';
  }
}

/** Lambda's Node.js runtime that function bundles target unless the build properties name another. */
export const DEFAULT_TARGET = 'node20';

/** The folder of the nearest package.json at or above `dir`, or undefined. */
export function findProjectDir(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** The nearest tsconfig.json from `dir` up to `stop` (inclusive), or undefined. */
function findTsconfig(dir: string, stop: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, 'tsconfig.json'))) return join(d, 'tsconfig.json');
    if (d === stop || dirname(d) === d) return undefined;
  }
}

function packageType(projectDir: string | undefined): string | undefined {
  if (!projectDir) return undefined;
  try {
    return (JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as { type?: unknown }).type === 'module'
      ? 'module'
      : undefined;
  } catch {
    return undefined; // an unreadable package.json: esbuild reports it when it matters
  }
}

/** The format a Node entry point is in, as Node decides it: `.mjs`/`.mts` ESM, `.cjs`/`.cts` CommonJS, else the package's `"type"`. */
export function entryFormat(file: string, projectDir = findProjectDir(dirname(file))): ModuleFormat {
  return moduleFormatOf(file, () => packageType(projectDir));
}

// ESM output cannot call `require`, which bundled CommonJS dependencies do for Node built-ins (CDK adds the same banner).
const ESM_REQUIRE_BANNER =
  "import { createRequire as __propackCreateRequire } from 'node:module';\nconst require = __propackCreateRequire(import.meta.url);";

/** One line for an esbuild message, with a hint for the usual cause. */
function describe(m: Message, projectDir: string): string {
  const where = m.location
    ? `${relative(projectDir, resolve(projectDir, m.location.file)) || m.location.file}:${m.location.line}:${m.location.column + 1}: `
    : '';
  const missing = /^Could not resolve "([^"]+)"/.exec(m.text);
  const hint =
    missing && !missing[1].startsWith('.')
      ? ` (install it in the project: npm install ${missing[1]}, or list it in the build's External)`
      : '';
  return `${where}${m.text}${hint}`;
}

/**
 * Bundles `entry` into one module named after `moduleBase` (`<moduleBase>.js` or `.mjs`), in memory. Throws
 * BundleError with esbuild's first error on one line (file:line: text) when the entry cannot be bundled.
 */
export async function bundleEntry(entry: string, moduleBase: string, build: NodeBuildProperties = {}): Promise<EsbuildOutput> {
  const projectDir = findProjectDir(dirname(entry)) ?? dirname(entry);
  const format = build.format ?? entryFormat(entry, projectDir);
  const moduleFile = `${moduleBase}${format === 'esm' ? '.mjs' : '.js'}`;
  const sourcemap = build.sourcemap ?? true;
  const tsconfig = findTsconfig(dirname(entry), projectDir);
  const options: BuildOptions = {
    entryPoints: [entry],
    absWorkingDir: projectDir,
    // Placed in the project folder (never written): the map's sources then read `src/app.ts`, and a stack on
    // Lambda names /var/task/src/app.ts, the user's own path.
    outfile: join(projectDir, moduleFile),
    write: false,
    bundle: true,
    platform: 'node',
    format,
    target: build.target ?? DEFAULT_TARGET,
    minify: build.minify ?? false,
    sourcemap: sourcemap ? 'linked' : false,
    // Stack traces need only line mappings; the sources would double the map's size.
    sourcesContent: false,
    // Node's runtime provides them; `@aws-sdk/*` as CDK does for nodejs18.x and later (the runtime's SDK v3).
    external: [...(build.bundleAwsSdk ? [] : ['@aws-sdk/*']), ...(build.external ?? [])],
    ...(tsconfig ? { tsconfig } : {}),
    ...(format === 'esm' ? { banner: { js: ESM_REQUIRE_BANNER } } : {}),
    logLevel: 'silent',
  };
  const esbuild = loadEsbuild();
  let outputFiles;
  try {
    outputFiles = (await esbuild.build(options)).outputFiles ?? [];
  } catch (e) {
    const failure = e as Partial<BuildFailure>;
    const first = failure.errors?.[0];
    throw new BundleError(
      entry,
      first
        ? `esbuild could not bundle it: ${describe(first, projectDir)}`
        : `esbuild could not bundle it: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  const files: Record<string, Uint8Array> = {};
  for (const out of outputFiles) files[basename(out.path)] = out.contents;
  if (!files[moduleFile])
    throw new BundleError(entry, `esbuild wrote no ${moduleFile} (wrote ${Object.keys(files).join(', ') || 'nothing'})`);
  return { format, moduleFile, files, projectDir, sourcemap };
}
