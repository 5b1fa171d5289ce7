import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { optimize } from '../../../src/core/optimizer';
import { HandlerFileError } from '../../../src/engine/bundle';
import { CommandFailed, failingAs, failureMessages } from '../../../src/extension/commands/command-failure';
import {
  connectingStep,
  degreesFromArg,
  EDITOR_CAMPAIGN,
  MAX_PROFILED_DEGREE,
  profileQuestionOf,
  profilingTasks,
  progressPlan,
} from '../../../src/extension/commands/profile-function-plan';
import { concurrencyToRun, decideRun, runChoice, runPackedArgsOf, type RunQuestion } from '../../../src/extension/commands/run-packed-plan';
import { DEFAULT_SETTINGS, type ProPackSettings } from '../../../src/extension/settings';
import type { Ui } from '../../../src/extension/ui';
import { syntheticProfile } from '../../support/fixtures';

/** A Ui that answers each question from a script and records what it was asked. */
function scriptedUi(answers: { input?: string; warning?: string }): Ui & { asked: string[] } {
  const asked: string[] = [];
  const ask = (line: string, answer?: string): string | undefined => {
    asked.push(line);
    return answer;
  };
  return {
    asked,
    showInformationMessage: async (m) => ask(`info: ${m}`),
    showErrorMessage: async (m) => ask(`error: ${m}`),
    showWarningMessage: async (m) => ask(`warning: ${m}`, answers.warning),
    showInputBox: async (o) => {
      asked.push(`input: ${o.title ?? ''} (${o.value ?? ''})`);
      // The box validates as the editor would: an invalid answer is not accepted.
      if (answers.input !== undefined && o.validateInput?.(answers.input)) throw new Error(`the box would refuse ${answers.input}`);
      return answers.input;
    },
  };
}

const question = (concurrency: number): RunQuestion<'settings'> => ({
  input: { concurrency, objective: 'both', metric: 'net' },
  from: 'settings',
});
const profile = syntheticProfile();

describe('Profile Function: argument and settings', () => {
  it('takes the degrees a caller asks for, deduplicated and sorted, and ignores anything else', () => {
    assert.deepEqual(degreesFromArg({ handler: {}, degrees: [8, 2, 8, 16] }), [2, 8, 16]);
    assert.equal(degreesFromArg({ degrees: [] }), undefined);
    assert.equal(degreesFromArg({ degrees: [0, 2] }), undefined);
    assert.equal(degreesFromArg({ degrees: [MAX_PROFILED_DEGREE + 1] }), undefined);
    assert.equal(degreesFromArg({ degrees: ['4'] }), undefined);
    assert.equal(degreesFromArg('src/handler.js'), undefined);
    assert.equal(degreesFromArg(undefined), undefined);
    assert.deepEqual([...EDITOR_CAMPAIGN.degrees], [1, 2, 4, 8]);
  });

  it('asks the settings question and names where it connects', () => {
    const s: ProPackSettings = {
      ...DEFAULT_SETTINGS,
      defaultConcurrency: 300,
      objective: 'cost',
      metric: 'median',
      maxPackingDegree: 12,
      platform: 'aws',
      awsProfile: 'dev',
      region: 'eu-west-1',
    };
    assert.deepEqual(profileQuestionOf(s), { concurrency: 300, objective: 'cost', metric: 'median', weights: s.weights, maxDegree: 12 });
    assert.equal(connectingStep(s), 'connecting to AWS (dev@eu-west-1)');
    assert.equal(connectingStep(DEFAULT_SETTINGS), 'connecting to the local platform');
    assert.deepEqual(profilingTasks(2, 5), [
      { id: 'prof-5-0', payload: { propackProfile: true, round: 5, task: 0 } },
      { id: 'prof-5-1', payload: { propackProfile: true, round: 5, task: 1 } },
    ]);
  });

  it('shares the progress bar between the campaign and the memory campaign, never past 0.95', () => {
    const alone = progressPlan(0);
    assert.equal(alone.campaign(0), 0.05);
    assert.ok(Math.abs(alone.campaign(1) - 0.95) < 1e-12);
    const two = progressPlan(2);
    assert.ok(two.campaign(1) < 0.95, 'the campaign leaves room for the memory sizes');
    assert.ok(two.memory(1) > two.campaign(1) && two.memory(2) < two.memory(2.5));
    assert.ok(Math.abs(two.memory(2.5) - 0.95) < 1e-12);
  });
});

describe('Run Packed: choices', () => {
  it('reads an object naming profile or concurrency as run arguments, anything else as the profile', () => {
    const isRef = (o: object): boolean => 'fsPath' in o;
    assert.deepEqual(runPackedArgsOf({ profile: 'p.json', concurrency: 10 }, isRef), { profile: 'p.json', concurrency: 10 });
    const uri = { fsPath: '/p.json', concurrency: 3 };
    assert.deepEqual(runPackedArgsOf(uri, isRef), { profile: uri });
    assert.deepEqual(runPackedArgsOf('p.json', isRef), { profile: 'p.json' });
    assert.deepEqual(runPackedArgsOf(undefined, isRef), { profile: undefined });
  });

  it("runs at the command's concurrency over the question's, and asks when it is out of range", () => {
    assert.deepEqual(concurrencyToRun({ concurrency: 50 }, question(1000)), { concurrency: 50, from: 'the command', ask: false });
    assert.deepEqual(concurrencyToRun({}, question(1000)), { concurrency: 1000, from: 'settings', ask: false });
    assert.equal(concurrencyToRun({ concurrency: 0 }, question(1000)).ask, true);
    assert.equal(concurrencyToRun({ concurrency: 2.5 }, question(1000)).ask, true);
  });

  it('runs the recommended p unless the caller names one, and prices both runs', () => {
    const rec = optimize(profile, { concurrency: 200, objective: 'both', metric: 'net' });
    const chosen = runChoice(profile, question(200), 200, {}, DEFAULT_SETTINGS);
    assert.equal(chosen.packingDegree, rec.packingDegree);
    assert.equal(chosen.estimateUsd, rec.predicted.cost + rec.baseline.cost);
    assert.equal(chosen.confirmation, undefined, 'the local platform costs nothing: no question');
    const forced = runChoice(profile, question(200), 200, { packingDegree: 3 }, DEFAULT_SETTINGS);
    assert.equal(forced.packingDegree, 3);
    assert.equal(forced.predicted.packingDegree, 3);
  });

  it('asks before spending more than propack.confirmAboveUSD on AWS, and stops when refused', async () => {
    const aws: ProPackSettings = { ...DEFAULT_SETTINGS, platform: 'aws', awsProfile: 'dev', region: 'us-east-1', confirmAboveUSD: 0 };
    const refused = scriptedUi({});
    assert.equal(
      await decideRun(profile, { concurrency: 200 }, { ui: refused, settings: () => aws, question: () => question(1000) }),
      undefined,
    );
    assert.match(
      refused.asked[0],
      /^warning: ProPack: running synthetic at C = 200 packed \(p = \d+\) and unpacked on AWS \(dev@us-east-1\) costs about \$/,
    );
    const agreed = scriptedUi({ warning: 'Run on AWS' });
    const go = await decideRun(profile, { concurrency: 200 }, { ui: agreed, settings: () => aws, question: () => question(1000) });
    assert.equal(go?.concurrency, 200);
    assert.equal(go?.from, 'the command');
  });

  it("asks for a concurrency when the question's is out of range; cancelling the box cancels the run", async () => {
    const typed = scriptedUi({ input: ' 64 ' });
    const r = await decideRun(profile, { concurrency: 0 }, { ui: typed, settings: () => DEFAULT_SETTINGS, question: () => question(1000) });
    assert.deepEqual([r?.concurrency, r?.from], [64, 'the command']);
    assert.deepEqual(typed.asked, ['input: ProPack: concurrency (1000)']);
    const cancelled = scriptedUi({});
    assert.equal(
      await decideRun(profile, { concurrency: 0 }, { ui: cancelled, settings: () => DEFAULT_SETTINGS, question: () => question(1000) }),
      undefined,
    );
  });
});

describe('command failures, explained once', () => {
  const relative = (file: string): string => file.replace('/ws/', '');

  it('names the action the command was doing and gives the first line of the reason', async () => {
    const e = await failingAs('profiling echo', async () => {
      throw new Error('connection refused\nstack…');
    }).catch((x: unknown) => x);
    assert.ok(e instanceof CommandFailed);
    assert.deepEqual(failureMessages(e, 'propack.profileFunction', DEFAULT_SETTINGS, relative), {
      log: 'profiling echo failed: connection refused',
      notification: 'ProPack: profiling echo failed: connection refused',
    });
  });

  it('explains an expired SSO session on AWS, names a handler file by its relative path, and falls back to the command id', () => {
    const aws = { platform: 'aws' as const, awsProfile: 'dev' };
    const sso = failureMessages(
      new CommandFailed('run of video', new Error('The SSO session token has expired')),
      'propack.runPacked',
      aws,
      relative,
    );
    assert.match(
      sso.log,
      /^run of video failed: the AWS SSO session for profile "dev" has expired or is missing: run "aws sso login --profile dev"/,
    );
    const file = failureMessages(
      new CommandFailed('deploy of resize', new HandlerFileError('/ws/src/resize.js', 'has a syntax error')),
      'propack.deploy',
      aws,
      relative,
    );
    assert.equal(file.log, 'deploy of resize failed: src/resize.js: has a syntax error');
    assert.equal(failureMessages(new Error('boom'), 'propack.optimize', DEFAULT_SETTINGS, relative).log, 'propack.optimize failed: boom');
  });
});
