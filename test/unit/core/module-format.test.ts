import { test } from 'node:test';
import assert from 'node:assert/strict';
import { moduleFormatOf, nearestPackageType } from '../../../src/core/module-format';

const files = (map: Record<string, string>) => (path: string) => map[path];

test("Node's rule: the extension decides first, the package type is read only for the rest", () => {
  let asked = 0;
  const esmType = (): string => {
    asked++;
    return 'module';
  };
  assert.equal(moduleFormatOf('a.mjs', esmType), 'esm');
  assert.equal(moduleFormatOf('A.MTS', esmType), 'esm');
  assert.equal(moduleFormatOf('a.cjs', esmType), 'cjs');
  assert.equal(moduleFormatOf('a.cts', esmType), 'cjs');
  assert.equal(asked, 0, 'no package.json read for a decisive extension');
  assert.equal(moduleFormatOf('a.js', esmType), 'esm');
  assert.equal(
    moduleFormatOf('a.ts', () => 'commonjs'),
    'cjs',
  );
  assert.equal(
    moduleFormatOf('a.js', () => undefined),
    'cjs',
  );
});

test('the nearest package.json wins, never one above the root; broken JSON has no type', () => {
  const tree = files({
    '/code/package.json': '{"type":"commonjs"}',
    '/code/esm/package.json': '{"type":"module"}',
    '/package.json': '{"type":"module"}',
    '/code/broken/package.json': '{',
  });
  assert.equal(nearestPackageType('/code/esm/lib', '/code', tree), 'module', 'from a nested folder up to its package');
  assert.equal(nearestPackageType('/code/other', '/code', tree), 'commonjs');
  assert.equal(nearestPackageType('/code/broken', '/code', tree), undefined);
  assert.equal(nearestPackageType('/elsewhere/x', '/elsewhere', tree), undefined, "the machine's /package.json is above the root");
  assert.equal(nearestPackageType('C:\\code\\esm', 'C:\\code', files({ 'C:\\code\\esm/package.json': '{"type":"module"}' })), 'module');
});
