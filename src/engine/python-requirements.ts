/** Vendors a Python package's requirements.txt with pip into a cache folder keyed by what decides its output. */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { findPython } from '../core/python-executable';
import { PIP_CACHE_FOLDER } from '../core/workspace-layout';
import { HandlerFileError } from './bundle-errors';
import { pipCacheKeyParts, pipFailureLine, pipInstallArgs, type PipTarget } from './pip-command';

/** The file whose presence in the package folder turns vendoring on. */
export const REQUIREMENTS_FILE = 'requirements.txt';
/** pip gets this long (ms) before the bundle gives up: a stuck index would otherwise hang a deploy. */
const PIP_TIMEOUT_MS = 10 * 60_000;

function runPip(python: string, args: string[], cwd: string): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolveRun) => {
    execFile(python, args, { cwd, timeout: PIP_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolveRun({ ok: !error, output: `${stdout}\n${stderr}${error && !stderr ? `\n${error.message}` : ''}` });
    });
  });
}

/**
 * The folder holding `root`'s requirements installed for `target`, or undefined when `root` has no
 * requirements.txt. Cached under `cacheDir` (default `<root>/.propack/cache/pip`) by a hash of the file, the
 * python and the pip flags, so an unchanged package is neither reinstalled nor (its zip being the same) redeployed.
 */
export async function vendorRequirements(
  root: string,
  target: PipTarget,
  opts: { cacheDir?: string; env?: Record<string, string | undefined> } = {},
): Promise<string | undefined> {
  const file = join(root, REQUIREMENTS_FILE);
  if (!existsSync(file)) return undefined;
  const python = findPython(opts.env ?? process.env, existsSync);
  if (!python)
    throw new HandlerFileError(
      file,
      'requirements.txt needs pip: install python3 and python3-pip or set PROPACK_PYTHON to a Python with pip',
    );
  const hash = createHash('sha256').update(await readFile(file));
  for (const part of pipCacheKeyParts(python, target)) hash.update(`\0${part}`);
  const cacheDir = opts.cacheDir ?? join(root, PIP_CACHE_FOLDER);
  const out = join(cacheDir, hash.digest('hex').slice(0, 32));
  if (existsSync(out)) return out;
  await mkdir(cacheDir, { recursive: true });
  // Installed beside its final name and renamed when complete: an interrupted install is never taken as cached.
  const partial = `${out}.partial-${process.pid}-${Date.now()}`;
  const r = await runPip(python, pipInstallArgs(partial, target), root);
  if (!r.ok) {
    await rm(partial, { recursive: true, force: true });
    throw new HandlerFileError(file, pipFailureLine(r.output, target));
  }
  await mkdir(partial, { recursive: true }); // an empty requirements.txt installs nothing and makes no folder
  try {
    await rename(partial, out);
  } catch (e) {
    // Another bundle of the same package finished first: its folder has the same content.
    await rm(partial, { recursive: true, force: true });
    if (!existsSync(out)) throw e;
  }
  return out;
}
