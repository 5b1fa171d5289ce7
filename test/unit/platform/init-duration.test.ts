import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initDurationOf } from '../../../src/platform/lambda-invoker';

const tail = (text: string): string => Buffer.from(text).toString('base64');

test("a log tail's REPORT line gives the cold start's Init Duration in seconds; a warm one gives none", () => {
  const cold =
    'START RequestId: r1 Version: $LATEST\nhello\nEND RequestId: r1\n' +
    'REPORT RequestId: r1\tDuration: 12.50 ms\tBilled Duration: 253 ms\tMemory Size: 512 MB\tMax Memory Used: 60 MB\tInit Duration: 240.25 ms\t\n';
  assert.equal(initDurationOf(tail(cold)), 0.24025);
  assert.equal(initDurationOf(tail(cold.replace('\tInit Duration: 240.25 ms', ''))), undefined);
  // A handler that prints "Init Duration" itself is not the REPORT line.
  assert.equal(initDurationOf(tail('Init Duration: 9 ms\nREPORT RequestId: r2\tDuration: 1.00 ms\t\n')), undefined);
  assert.equal(initDurationOf(undefined), undefined);
});
