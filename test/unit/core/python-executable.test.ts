/** Which python3 runs Python functions and vendors requirements: PROPACK_PYTHON, then Debian's, then PATH. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findPython } from '../../../src/core/python-executable';

const has =
  (...paths: string[]) =>
  (p: string): boolean =>
    paths.includes(p);

test('PROPACK_PYTHON wins, and only when it exists', () => {
  assert.equal(
    findPython({ PROPACK_PYTHON: '/opt/py/bin/python3' }, has('/opt/py/bin/python3', '/usr/bin/python3')),
    '/opt/py/bin/python3',
  );
  assert.equal(
    findPython({ PROPACK_PYTHON: '/missing' }, has('/usr/bin/python3')),
    undefined,
    'a wrong PROPACK_PYTHON is not silently replaced',
  );
});

test("then Debian's /usr/bin/python3, then the first python3 on PATH, else none", () => {
  assert.equal(findPython({ PATH: '/a/bin:/b/bin' }, has('/usr/bin/python3', '/a/bin/python3')), '/usr/bin/python3');
  assert.equal(findPython({ PATH: '/a/bin::/b/bin/' }, has('/b/bin/python3')), '/b/bin/python3');
  assert.equal(findPython({ PATH: '/a/bin' }, has()), undefined);
  assert.equal(findPython({}, has()), undefined);
});
