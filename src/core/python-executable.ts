/** Which python3 runs Python functions and vendors their requirements (pure: the caller says which files exist). */

/**
 * The python3 to use: PROPACK_PYTHON, else Debian's /usr/bin/python3 (where the distribution's packages, e.g.
 * python3-numpy, are installed), else the first python3 on PATH (`:`-separated); undefined when none exists.
 */
export function findPython(env: Record<string, string | undefined>, exists: (path: string) => boolean): string | undefined {
  if (env.PROPACK_PYTHON) return exists(env.PROPACK_PYTHON) ? env.PROPACK_PYTHON : undefined;
  if (exists('/usr/bin/python3')) return '/usr/bin/python3';
  return (env.PATH ?? '')
    .split(':')
    .filter((d) => d)
    .map((d) => `${d.replace(/\/+$/, '')}/python3`)
    .find((p) => exists(p));
}
