/** A small Node project written into a temp folder: its own node_modules (tiny local packages), a tsconfig with paths, and handlers in TypeScript, ESM and CommonJS. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Writes `files` (path relative to `root` → text) and returns `root`. */
export function writeTree(root: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Line of `throw new Error('asked to fail')` in src/app.ts below (1-based): a source-mapped stack must name it. */
export const APP_TS_THROW_LINE = 9;

/** The fixture project under `root`; handlers: src/app.ts (TypeScript, tsconfig paths, a CommonJS package), src/esm.mjs (top-level await, an ESM package, the runtime's SDK), src/legacy.cjs. */
export function writeNodeProject(root: string): string {
  return writeTree(root, {
    'package.json': JSON.stringify({ name: 'fixture-app', version: '1.0.0', private: true }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] } },
    }),
    'node_modules/tiny-greet/package.json': JSON.stringify({ name: 'tiny-greet', version: '1.2.3', main: 'index.js' }),
    'node_modules/tiny-greet/index.js': "exports.greet = (name) => 'hello ' + name;\n",
    'node_modules/tiny-esm/package.json': JSON.stringify({ name: 'tiny-esm', version: '2.0.0', type: 'module', exports: './index.js' }),
    'node_modules/tiny-esm/index.js': 'export const twice = (x) => 2 * x;\n',
    // A stand-in for the SDK in the project: bundled only with bundleAwsSdk (the runtime provides the real one).
    'node_modules/@aws-sdk/client-s3/package.json': JSON.stringify({
      name: '@aws-sdk/client-s3',
      version: '0.0.0-fixture',
      type: 'module',
      exports: './index.js',
    }),
    'node_modules/@aws-sdk/client-s3/index.js': 'export class S3Client {}\nS3Client.projectCopy = true;\n',
    'src/lib/math.ts': 'export function square(x: number): number {\n  return x * x;\n}\n',
    'src/app.ts': [
      "import { greet } from 'tiny-greet';",
      "import { square } from '@lib/math';",
      '',
      'interface AppEvent { n: number; name: string; fail?: boolean }',
      '',
      'export const handler = async (event: AppEvent): Promise<{ greeting: string; square: number }> => {',
      '  const checked: AppEvent = event;',
      '  if (checked.fail) {',
      "    throw new Error('asked to fail');",
      '  }',
      '  return { greeting: greet(checked.name), square: square(checked.n) };',
      '};',
      '',
    ].join('\n'),
    'src/esm.mjs': [
      "import { twice } from 'tiny-esm';",
      "import { S3Client } from '@aws-sdk/client-s3';",
      '',
      '// Top-level await: the factor is known once the module has initialised.',
      'const factor = await new Promise((resolve) => setImmediate(() => resolve(3)));',
      '',
      'export const handler = async (event) => ({ value: twice(event.x) * factor, sdk: typeof S3Client, projectCopy: S3Client.projectCopy === true });',
      '',
    ].join('\n'),
    'src/legacy.cjs':
      "const { greet } = require('tiny-greet');\nexports.handler = async (event) => ({ said: greet(event.name), pid: typeof process.pid });\n",
  });
}
