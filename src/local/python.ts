import { existsSync } from 'node:fs';
import { PACKABLE_RUNTIMES } from '../core/lambda-config';
import { findPython } from '../core/python-executable';

/** Python runtimes the embedded platform runs, all with this machine's python3: those the packed Python runtime runs on. */
export const PYTHON_RUNTIMES = PACKABLE_RUNTIMES.python;

/** True when `runtime` is one of Lambda's Python runtimes the embedded platform accepts. */
export function isPythonRuntime(runtime: string): boolean {
  return (PYTHON_RUNTIMES as readonly string[]).includes(runtime);
}

/** The python3 that runs Python functions (core's findPython on this machine's files); undefined when none. */
export function pythonExecutable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findPython(env, existsSync);
}
