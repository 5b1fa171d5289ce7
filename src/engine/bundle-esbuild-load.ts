/**
 * Loads esbuild at run time. It is a native binary with a JavaScript API that refuses to be bundled, so
 * webpack leaves `require('esbuild')` alone (an external) and the build copies the package and its platform
 * binary into dist/node_modules, where the bundles in dist/ find it (the repository's node_modules otherwise).
 */
import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type Esbuild = typeof import('esbuild');

let loaded: Esbuild | undefined;
// createRequire keeps these run-time lookups that webpack leaves alone (resolved from dist/ when bundled).
const runtimeRequire = createRequire(__filename);

/** esbuild's platform package name for this machine, e.g. `@esbuild/linux-x64`. */
export function esbuildPlatformPackage(): string {
  return `@esbuild/${process.platform}-${process.arch}`;
}

/**
 * A zip-installed copy (the .vsix) may have lost the binary's execute bit: restore it rather than fail.
 * Best effort: when it cannot be fixed, esbuild's own error says what went wrong.
 */
function ensureExecutable(): void {
  if (process.platform === 'win32') return;
  try {
    const binary = join(dirname(runtimeRequire.resolve(`${esbuildPlatformPackage()}/package.json`)), 'bin', 'esbuild');
    try {
      accessSync(binary, constants.X_OK);
    } catch {
      chmodSync(binary, statSync(binary).mode | 0o755);
    }
  } catch {
    // not installed for this platform: esbuild's error names the missing package
  }
}

/** esbuild's API, loaded once; throws one line saying what to do when it is not installed. */
export function loadEsbuild(): Esbuild {
  if (loaded) return loaded;
  ensureExecutable();
  try {
    loaded = runtimeRequire('esbuild') as Esbuild;
  } catch (e) {
    throw new Error(
      `esbuild is not installed beside ProPack (${(e as Error).message.split('\n')[0]}); reinstall ProPack, or run "npm ci" in its folder`,
      { cause: e },
    );
  }
  return loaded;
}
