import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, readSettings } from '../../../src/extension/settings';

const from = (values: Record<string, unknown>) => readSettings((k) => values[k]);

describe('propack.* settings', () => {
  it('uses the defaults when nothing is set', () => {
    assert.deepEqual(from({}), { settings: DEFAULT_SETTINGS, problems: [] });
  });

  it('accepts valid values and normalizes the weights', () => {
    const { settings, problems } = from({
      platform: 'aws',
      awsProfile: ' dev ',
      region: 'eu-west-1',
      objective: 'cost',
      metric: 'tail',
      weights: { cost: 1, time: 3 },
      defaultConcurrency: 5000,
      maxPackingDegree: 20,
      confirmAboveUSD: 0,
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      ...DEFAULT_SETTINGS,
      platform: 'aws',
      awsProfile: 'dev',
      region: 'eu-west-1',
      objective: 'cost',
      metric: 'tail',
      weights: { cost: 0.25, time: 0.75 },
      defaultConcurrency: 5000,
      maxPackingDegree: 20,
      confirmAboveUSD: 0,
    });
  });

  it('rejects each bad value with a message naming the setting and the fallback', () => {
    const { settings, problems } = from({
      platform: 'gcp',
      region: 'mars-1',
      objective: 'speed',
      defaultConcurrency: 2.5,
      maxPackingDegree: -1,
      confirmAboveUSD: 'ten',
      weights: { cost: 0, time: 0 },
      awsExecutionRole: 'admin',
    });
    assert.deepEqual(settings, DEFAULT_SETTINGS);
    assert.equal(problems.length, 8);
    assert.match(problems[0], /^propack\.platform: must be one of local, aws, got "gcp"; using "local"\.$/);
    for (const key of ['region', 'objective', 'defaultConcurrency', 'maxPackingDegree', 'confirmAboveUSD', 'weights', 'awsExecutionRole']) {
      assert.ok(
        problems.some((p) => p.startsWith(`propack.${key}:`)),
        key,
      );
    }
  });

  it('reads the memory sizes Profile Function also measures, sorted and without repeats; rejects sizes Lambda does not offer', () => {
    assert.deepEqual(from({ profileMemorySizes: [3538, 884, 3538] }).settings.profileMemorySizes, [884, 3538]);
    for (const bad of [[64], [1769.5], '884', Array.from({ length: 9 }, (_, i) => 128 * (i + 1))]) {
      const { settings, problems } = from({ profileMemorySizes: bad });
      assert.deepEqual(settings.profileMemorySizes, []);
      assert.match(
        problems[0],
        /^propack\.profileMemorySizes: must be a list of at most 8 whole numbers of MB from 128 to 10240, got .+; using \[\]\.$/,
      );
    }
  });

  it('treats max packing degree 0 as no limit', () => {
    assert.equal(from({ maxPackingDegree: 0 }).settings.maxPackingDegree, undefined);
  });

  it('reads the Step Functions dispatch, its role and bucket; rejects what AWS would', () => {
    const ok = from({ dispatch: 'stepfunctions', stateMachineRole: ' arn:aws:iam::123456789012:role/sfn ', resultBucket: 'my-jobs' });
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.settings.dispatch, 'stepfunctions');
    assert.equal(ok.settings.stateMachineRole, 'arn:aws:iam::123456789012:role/sfn');
    assert.equal(ok.settings.resultBucket, 'my-jobs');
    const bad = from({ dispatch: 'lambda', stateMachineRole: 'sfn', resultBucket: 'My_Bucket' });
    assert.equal(bad.settings.dispatch, 'direct');
    assert.equal(bad.settings.stateMachineRole, '');
    assert.equal(bad.settings.resultBucket, '');
    assert.equal(bad.problems.length, 3);
    assert.match(bad.problems.join('\n'), /propack\.dispatch: must be one of direct, stepfunctions/);
    assert.match(bad.problems.join('\n'), /propack\.stateMachineRole: "sfn" is not an IAM role ARN/);
    assert.match(bad.problems.join('\n'), /propack\.resultBucket: "My_Bucket" is not an S3 bucket name/);
  });
});
