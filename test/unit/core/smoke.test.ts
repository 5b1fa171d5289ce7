import { test } from 'node:test';
import assert from 'node:assert/strict';

test('unit test runner runs', () => {
  assert.equal(1 + 1, 2);
});
