import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CONCURRENCY } from '../../../src/core/limits';
import { METRICS, OBJECTIVES, isMetric, isObjective } from '../../../src/core/objectives';
import { parseArgs, positiveInt, choice } from '../../../src/cli/args';
import { MAX_CONCURRENCY as CLI_MAX } from '../../../src/cli/model-flags';
import { asReportInput, concurrencyError, MAX_CONCURRENCY as PANEL_MAX } from '../../../src/extension/protocol';
import { readSettings } from '../../../src/extension/settings';

const cliConcurrency = (value: number): number =>
  positiveInt(parseArgs('optimize', ['--concurrency', String(value)], { values: ['concurrency'] }), 'optimize', 'concurrency', CLI_MAX);

test('the CLI, the settings and the report panel accept the same largest concurrency', () => {
  assert.equal(CLI_MAX, MAX_CONCURRENCY);
  assert.equal(PANEL_MAX, MAX_CONCURRENCY);
  assert.equal(cliConcurrency(MAX_CONCURRENCY), MAX_CONCURRENCY);
  assert.throws(() => cliConcurrency(MAX_CONCURRENCY + 1), /--concurrency/);
  assert.equal(concurrencyError(String(MAX_CONCURRENCY)), undefined);
  assert.match(concurrencyError(String(MAX_CONCURRENCY + 1)) ?? '', /between 1 and/);
  const s = readSettings((k) => (k === 'defaultConcurrency' ? MAX_CONCURRENCY : undefined));
  assert.deepEqual(s.problems, []);
  assert.equal(s.settings.defaultConcurrency, MAX_CONCURRENCY);
  assert.equal(readSettings((k) => (k === 'defaultConcurrency' ? MAX_CONCURRENCY + 1 : undefined)).problems.length, 1);
});

test('a recommendation the CLI saves above 100,000 is restored by the report panel', () => {
  const input = asReportInput({ concurrency: 500_000, objective: 'both', metric: 'net' });
  assert.deepEqual(input, { concurrency: 500_000, objective: 'both', metric: 'net' });
});

test('the objective and metric lists are the ones the CLI, the settings and the panel check', () => {
  assert.deepEqual([...OBJECTIVES], ['time', 'cost', 'both']);
  assert.deepEqual([...METRICS], ['net', 'tail', 'median']);
  for (const o of OBJECTIVES) assert.ok(isObjective(o) && asReportInput({ concurrency: 10, objective: o, metric: 'net' }));
  for (const m of METRICS) assert.ok(isMetric(m) && asReportInput({ concurrency: 10, objective: 'time', metric: m }));
  assert.equal(isObjective('fast'), false);
  assert.equal(isMetric('p99'), false);
  assert.throws(
    () => choice(parseArgs('optimize', ['--objective', 'fast'], { values: ['objective'] }), 'optimize', 'objective', OBJECTIVES),
    /--objective must be time\|cost\|both, got "fast"/,
  );
  assert.match(readSettings((k) => (k === 'metric' ? 'p99' : undefined)).problems[0], /must be one of net, tail, median/);
});
