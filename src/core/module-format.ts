// Node's rule for whether a file is an ES module, once for the bundler, the packed runtime's shim and the
// local worker, each of which reads files its own way. A leaf of core with no imports: the runtime bundles it.

export type ModuleFormat = 'esm' | 'cjs';

/** `.mjs`/`.mts` ESM, `.cjs`/`.cts` CommonJS, else `"module"` from `packageType()` (read only then) makes it ESM. */
export function moduleFormatOf(file: string, packageType: () => unknown): ModuleFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.mjs') || lower.endsWith('.mts')) return 'esm';
  if (lower.endsWith('.cjs') || lower.endsWith('.cts')) return 'cjs';
  return packageType() === 'module' ? 'esm' : 'cjs';
}

/** `dir` without its last segment (`/a/b` → `/a`, `/a` → `/`); `dir` itself at a root. */
function parentOf(dir: string): string {
  const i = Math.max(dir.lastIndexOf('/'), dir.lastIndexOf('\\'));
  if (i < 0) return dir;
  return i === 0 ? dir.slice(0, 1) : dir.slice(0, i);
}

/**
 * The `"type"` of the package.json nearest to `dir`, looking no higher than `root`, as Node does; `read`
 * gives a file's text, or undefined when there is none. A package.json that is not JSON has no type.
 */
export function nearestPackageType(dir: string, root: string, read: (path: string) => string | undefined): unknown {
  for (let d = dir; d.startsWith(root); d = parentOf(d)) {
    const text = read(`${d.replace(/[/\\]$/, '')}/package.json`);
    if (text !== undefined) {
      try {
        return (JSON.parse(text) as { type?: unknown }).type;
      } catch {
        return undefined;
      }
    }
    if (d === root || parentOf(d) === d) break;
  }
  return undefined;
}
