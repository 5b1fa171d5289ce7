import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PACKABLE_RUNTIMES } from '../core/lambda-config';

/** Python runtimes the embedded platform runs, all with this machine's python3: those the packed Python runtime runs on. */
export const PYTHON_RUNTIMES = PACKABLE_RUNTIMES.python;

/** True when `runtime` is one of Lambda's Python runtimes the embedded platform accepts. */
export function isPythonRuntime(runtime: string): boolean {
  return (PYTHON_RUNTIMES as readonly string[]).includes(runtime);
}

/**
 * The python3 that runs Python functions: PROPACK_PYTHON, else Debian's /usr/bin/python3 (where the
 * distribution's packages, e.g. python3-numpy, are installed), else the first python3 on PATH; undefined when none.
 */
export function pythonExecutable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PROPACK_PYTHON) return existsSync(env.PROPACK_PYTHON) ? env.PROPACK_PYTHON : undefined;
  if (existsSync('/usr/bin/python3')) return '/usr/bin/python3';
  return (env.PATH ?? '')
    .split(delimiter)
    .filter((d) => d)
    .map((d) => join(d, 'python3'))
    .find((p) => existsSync(p));
}
