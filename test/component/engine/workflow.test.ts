import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { optimize } from '../../../src/core/optimizer';
import { parseProfile } from '../../../src/core/profile';
import type { FunctionConfig, PackingSample } from '../../../src/core/types';
import { profilePathFor } from '../../../src/engine/profile-store';
import { runProfileCampaign } from '../../../src/engine/profiler';
import { RUNS_DIR } from '../../../src/engine/run-store';
import type { Session } from '../../../src/engine/session';
import { measureAndRecord, RunCancelledError } from '../../../src/engine/workflow-measure';
import { profileRecommendSave, recommendAndSave } from '../../../src/engine/workflow-profile';
import { syntheticProfile } from '../../support/fixtures';
import { platformWithHandler } from '../../support/handler-platform';

const HANDLER = `exports.handler = async (event) => ({ echo: event });`;

let session: Session;
let close: () => Promise<void>;
let workspace: string;
const fn: FunctionConfig = { name: 'wf-echo', memoryMb: 1024, architecture: 'x86_64', region: 'us-east-1', runtime: 'nodejs20.x' };

before(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'propack-workflow-'));
  ({ session, close } = await platformWithHandler(workspace, HANDLER, [fn.name], fn.memoryMb));
});
after(() => close());

test('profile → recommend → save measures, answers the question and saves the profile under the workspace name', async () => {
  const path = profilePathFor(workspace, 'echo');
  const steps: number[] = [];
  const r = await profileRecommendSave({
    session,
    fn: { ...fn, region: session.target.region },
    makeTasks: (count, round) => Array.from({ length: count }, (_, i) => ({ id: `p${round}-${i}`, payload: { i } })),
    scalingLevels: [2, 4],
    degrees: [1, 2],
    loadedInstances: 0,
    repetitions: { min: 1, max: 2, targetCv: 0.5 },
    source: { kind: 'local', tool: 'test' },
    onStep: (_, f) => steps.push(f),
    profileName: 'echo',
    question: { concurrency: 40, objective: 'time', metric: 'tail' },
    path,
  });
  assert.ok(steps.length > 0, 'the campaign reported its steps');
  assert.equal(r.path, path);
  assert.deepEqual(r.otherSizesMb, []);
  assert.equal(r.memory, undefined, 'no memory search was asked for');
  const saved = parseProfile(readFileSync(path, 'utf8'), path);
  assert.equal(saved.function.name, 'echo', 'saved under the workspace function, not the Lambda name');
  assert.ok((saved.initDurationS ?? 0) > 0, "the scaling runs' cold starts recorded their INIT, which the model bills");
  assert.deepEqual(
    saved.packing.samples.map((s) => s.degree).filter((d, i, a) => a.indexOf(d) === i),
    [1, 2],
  );
  assert.equal(saved.recommendations?.length, 1);
  const rec = saved.recommendations?.[0];
  assert.deepEqual([rec?.concurrency, rec?.objective, rec?.metric, rec?.model], [40, 'time', 'tail', 'fitted']);
  // The saved recommendation is what the model answers for the same question on the saved profile.
  assert.equal(rec?.packingDegree, optimize(saved, { concurrency: 40, objective: 'time', metric: 'tail' }).packingDegree);
  assert.equal(rec?.packingDegree, r.choice.packingDegree);
});

test('a second campaign keeps the samples and scaling runs of the profile it is given and measures only the new degrees and loads', async () => {
  const base = {
    session,
    fn: { ...fn, region: session.target.region },
    makeTasks: (count: number, round: number) => Array.from({ length: count }, (_, i) => ({ id: `k${round}-${i}`, payload: { i } })),
    scalingLevels: [2],
    loadedInstances: 3,
    repetitions: { min: 1, max: 1, targetCv: 0.5 },
    source: { kind: 'local' as const, tool: 'test' },
  };
  const first = await runProfileCampaign({ ...base, degrees: [1, 2] });
  const steps: string[] = [];
  const second = await runProfileCampaign({
    ...base,
    degrees: [1, 2, 4],
    earlier: first,
    onStep: (s) => steps.push(s),
  });
  const key = (s: PackingSample): string => `${s.degree}@${s.concurrency ?? 'one'}`;
  // Loads are keyed on tasks at once, not on p: the first campaign's load levels are kept whole.
  assert.deepEqual(second.packing.samples.map(key), ['1@one', '2@one', '4@one', '1@2', '2@2', '1@3', '2@3']);
  // Kept samples hold the first campaign's times: they were not measured again.
  const firstOf = new Map(first.packing.samples.map((s) => [key(s), s.timesS]));
  for (const k of ['1@one', '2@one', '1@2', '2@2', '1@3', '2@3'])
    assert.deepEqual(second.packing.samples.find((s) => key(s) === k)?.timesS, firstOf.get(k), k);
  assert.deepEqual(steps.slice(1, -1), ['packing profile: p=4 on one instance'], 'no load or scaling run again');
  assert.deepEqual(second.scaling.runs, first.scaling.runs, "the first campaign's scaling run at C=2 is kept");
  assert.equal(second.packing.coldTaskS, first.packing.coldTaskS);
  assert.equal(second.initDurationS, first.initDurationS);
});

test('recommendAndSave adds the (memory, p) recommendation when variants were measured, and none without them', () => {
  const q = { concurrency: 100, objective: 'both' as const, metric: 'net' as const };
  const path = join(workspace, 'synthetic.json');
  const plain = recommendAndSave(syntheticProfile({ memoryMb: 1769 }), q, path, [1769, 3538]);
  assert.equal(plain.memory, undefined, 'no variants: nothing to search');
  assert.equal(parseProfile(readFileSync(path, 'utf8'), path).recommendations?.length, 1);

  const base = syntheticProfile({ memoryMb: 1769 });
  // Twice the vCPUs: packed tasks slow down half as much.
  const faster = base.packing.samples.map((x) => ({ degree: x.degree, timesS: [1 + 0.25 * (x.degree - 1)] }));
  const withVariant = {
    ...base,
    variants: [{ memoryMb: 3538, architecture: 'x86_64' as const, vcpus: 2, packing: { clientOverheadS: 0, samples: faster } }],
  };
  const joint = recommendAndSave(withVariant, q, path, [1769, 3538]);
  assert.ok(joint.memory?.ok, `memory recommendation: ${JSON.stringify(joint.memory)}`);
  const recs = parseProfile(readFileSync(path, 'utf8'), path).recommendations ?? [];
  assert.equal(recs.length, 2);
  assert.equal(recs[0].memoryMb, undefined, "the first answers at the function's own size");
  assert.ok(recs[1].memoryMb === 1769 || recs[1].memoryMb === 3538, 'only measured sizes are recommended');
  assert.equal(recs[1].memoryMb, joint.memory.joint.choice.memoryMb);
  assert.equal(recs[1].packingDegree, joint.memory.joint.choice.packingDegree);
});

test('measure → record runs the job at p and saves its record with the prediction', async () => {
  const { record, result } = await measureAndRecord({
    session,
    fn: { ...fn, region: session.target.region },
    functionName: 'echo',
    label: 'propack',
    phases: [Array.from({ length: 6 }, (_, i) => ({ i }))],
    packingDegree: 3,
    workspace,
    platformLabel: 'local (instant)',
    concurrency: 6,
    predicted: { serviceTime: 1.5, cost: 0.002 },
  });
  assert.equal(result.cancelled, false);
  assert.deepEqual(record.measured.tasks, { total: 6, succeeded: 6, failed: 0 });
  assert.equal(record.measured.packingDegree, 3);
  assert.match(record.id, /-echo-propack-/);
  const file = join(workspace, RUNS_DIR, `${record.id}.json`);
  const saved = JSON.parse(readFileSync(file, 'utf8')) as typeof record;
  assert.deepEqual(
    [saved.functionName, saved.label, saved.dispatch, saved.platform, saved.concurrency],
    ['echo', 'propack', 'sync', 'local (instant)', 6],
  );
  assert.deepEqual(saved.predicted, { serviceTime: 1.5, cost: 0.002 });
});

test("a two-phase job packs its later phase over the first phase's instances, not p to an instance", async () => {
  const { result, record } = await measureAndRecord({
    session,
    fn: { ...fn, region: session.target.region },
    functionName: 'echo',
    label: 'grid-p4',
    phases: [Array.from({ length: 8 }, (_, i) => ({ i })), [{ r: 0 }, { r: 1 }]],
    packingDegree: 4,
    workspace,
    platformLabel: 'local (instant)',
    concurrency: 8,
  });
  assert.deepEqual(result.phaseDegrees, [4, 1]);
  assert.deepEqual(
    result.phases.map((r) => r.metrics.invocations),
    [2, 2],
    'two map invocations of 4, then one reducer per invocation',
  );
  assert.equal(record.measured.packingDegree, 4, "the job's p is its first phase's");
  assert.deepEqual(record.measured.tasks, { total: 10, succeeded: 10, failed: 0 });
});

test('a cancelled run throws RunCancelledError and saves nothing', async () => {
  const runs = join(workspace, RUNS_DIR);
  const before = existsSync(runs) ? readdirSync(runs).length : 0;
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    measureAndRecord({
      session,
      fn: { ...fn, region: session.target.region },
      functionName: 'echo',
      label: 'no-packing',
      phases: [[{ i: 0 }, { i: 1 }]],
      packingDegree: 1,
      workspace,
      platformLabel: 'local',
      concurrency: 2,
      signal: controller.signal,
    }),
    (e: unknown) => e instanceof RunCancelledError && e.message === 'cancelled',
  );
  assert.equal(existsSync(runs) ? readdirSync(runs).length : 0, before);
});
