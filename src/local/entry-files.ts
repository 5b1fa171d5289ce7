import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Path of a child-process entry: `<name>.js` next to this module when compiled by tsc (out/src/local),
 * or `local-<bundle>.js` next to the webpack bundle (dist/). Throws one clear line when neither exists.
 */
export function entryFile(name: 'worker-bootstrap' | 's3-child'): string {
  const bundle = name === 'worker-bootstrap' ? 'local-worker' : 'local-s3';
  const candidates = [join(__dirname, `${name}.js`), join(__dirname, `${bundle}.js`)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`local platform file missing: ${candidates.join(' or ')}; run "npm run build" (or compile-tests).`);
  return found;
}
