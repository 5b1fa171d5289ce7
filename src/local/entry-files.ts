import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Path of a child-process entry: `<name>.js` next to this module when compiled by tsc (out/src/local),
 * or `local-<bundle>.js` next to the webpack bundle (dist/). Throws one clear line when neither exists.
 */
export function entryFile(name: 'worker-bootstrap' | 's3-child' | 'python-worker'): string {
  const candidates =
    name === 'python-worker'
      ? // Copied beside the webpack bundle as is; tsc does not copy it, so the compiled tests use the source.
        [join(__dirname, 'local-python-worker.py'), join(__dirname, '..', '..', '..', 'src', 'local', 'python-worker.py')]
      : [join(__dirname, `${name}.js`), join(__dirname, `${name === 'worker-bootstrap' ? 'local-worker' : 'local-s3'}.js`)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`local platform file missing: ${candidates.join(' or ')}; run "npm run build" (or compile-tests).`);
  return found;
}

/**
 * The folder of the modules the embedded platform provides to functions as Lambda's runtime does
 * (`<dir>/node_modules/@aws-sdk/client-s3`, ...): `lambda-runtime` next to the webpack bundle (dist/), or in the
 * repository's dist/ when compiled by tsc (out/src/local). Undefined when the build has not made it.
 */
export function runtimeModulesDir(): string | undefined {
  const candidates = [join(__dirname, 'lambda-runtime'), join(__dirname, '..', '..', '..', 'dist', 'lambda-runtime')];
  return candidates.find((p) => existsSync(join(p, 'node_modules')));
}
