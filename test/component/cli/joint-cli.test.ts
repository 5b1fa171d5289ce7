import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli as run } from '../../support/cli';
import { shippedProfile } from '../../support/fixtures';

const video = shippedProfile('video');
const base = ['optimize', '--profile', video, '--concurrency', '2000', '--objective', 'both', '--metric', 'net', '--json'];

test('optimize without --memory/--arch prints exactly the contract fields it always did', async () => {
  const r = await run(...base);
  assert.equal(r.code, 0, r.err.join());
  const json = JSON.parse(r.out[0]) as Record<string, unknown>;
  assert.deepEqual(
    Object.keys(json).sort(),
    [
      'accountLimit',
      'accountLimitAssumed',
      'baseline',
      'concurrency',
      'constraintsRelaxed',
      'extrapolated',
      'improvement',
      'metric',
      'model',
      'objective',
      'packingDegree',
      'pareto',
      'predicted',
      'weights',
    ].sort(),
  );
});

test('optimize --memory auto --arch auto reports memory, architecture and p with the trade-off and grid', async () => {
  const r = await run(...base, '--memory', 'auto', '--arch', 'auto');
  assert.equal(r.code, 0, r.err.join());
  const json = JSON.parse(r.out[0]) as {
    packingDegree: number;
    memoryMb: number;
    architecture: string;
    predicted: Record<string, number>;
    reference: { memoryMb: number; architecture: string; cost: number };
    tradeOff: { text: string; cost: number };
    grids: { memoriesMb: number[]; degrees: number[]; objective: (number | null)[][] }[];
  };
  assert.ok(json.packingDegree >= 1);
  assert.ok(json.memoryMb >= 128 && json.memoryMb <= 10240);
  assert.equal(json.architecture, 'x86_64', 'arm64 was not measured, so auto does not guess it');
  for (const k of ['serviceTime', 'scalingTime', 'cost', 'instances']) assert.equal(typeof json.predicted[k], 'number', k);
  assert.equal(json.reference.memoryMb, 10000, "ProPack's measured size, not the unmeasured 10,240 MB");
  assert.match(
    json.tradeOff.text,
    /^[\d,]+ MB x86_64, p=\d+: (.+ than 10,000 MB x86_64, p=\d+( in the same time| at the same cost)?|same cost and time as 10,000 MB x86_64, p=\d+)$/,
  );
  assert.ok(json.grids[0].memoriesMb.includes(3538));
  assert.equal(json.grids[0].objective.length, json.grids[0].memoriesMb.length);
});

test('optimize --memory 3538 --arch arm64 fixes both; the text output names the assumption', async () => {
  const r = await run(...base, '--memory', '3538', '--arch', 'arm64');
  const json = JSON.parse(r.out[0]) as { memoryMb: number; architecture: string };
  assert.equal(json.memoryMb, 3538);
  assert.equal(json.architecture, 'arm64');
  const text = await run(...base.slice(0, -1), '--memory', '3538', '--arch', 'arm64');
  assert.match(text.out.join('\n'), /arm64 was not measured/);
  assert.match(text.out.join('\n'), /trade-off: +3,538 MB arm64, p=\d+/);
});

test('joint flags reject bad values with one line and exit 2', async () => {
  for (const [flag, value, pattern] of [
    ['--memory', '64', /--memory must be auto or a whole number of MB from 128 to 10240, got "64"/],
    ['--arch', 'sparc', /--arch must be auto\|x86_64\|arm64/],
  ] as const) {
    const r = await run(...base, flag, value);
    assert.equal(r.code, 2);
    assert.match(r.err[0], pattern);
  }
  const classic = await run(...base, '--memory', 'auto', '--model', 'classic');
  assert.equal(classic.code, 2);
  assert.match(classic.err[0], /needs the fitted model/);
  const lone = await run(...base, '--task-memory', '256');
  assert.equal(lone.code, 2);
  assert.match(lone.err[0], /--task-memory needs --memory or --arch/);
});

test('whatif simulates 1,000 to 100,000 tasks and packing beats no packing at scale', async () => {
  const r = await run('whatif', '--profile', video, '--concurrency', '1000,10000,100000', '--packing-degree', 'auto', '--json');
  assert.equal(r.code, 0, r.err.join());
  const json = JSON.parse(r.out[0]) as {
    accountLimit: number;
    coldStartAssumed: boolean;
    points: { concurrency: number; packed: Record<string, number>; noPacking: Record<string, number> }[];
  };
  assert.equal(json.accountLimit, 1000);
  assert.deepEqual(
    json.points.map((p) => p.concurrency),
    [1000, 10000, 100000],
  );
  const big = json.points[2];
  assert.equal(big.noPacking.instances, 100000);
  assert.ok(big.packed.serviceTime < big.noPacking.serviceTime);
  const text = await run('whatif', '--profile', video, '--concurrency', '5000', '--packing-degree', '10', '--rule', 'aws-2021');
  assert.match(text.out.join('\n'), /aws-2021.*\n {2}C=5000: p=10 service/);
  const bad = await run('whatif', '--profile', video, '--concurrency', '10,x', '--packing-degree', '2');
  assert.equal(bad.code, 2);
  assert.match(bad.err[0], /--concurrency must be whole numbers/);
});

test('whatif: an explicit p past the 900 s timeout exits 2 with one line; --cold-start 0, --weights and --tail-percentile are accepted', async () => {
  const over = await run('whatif', '--profile', video, '--concurrency', '5000', '--packing-degree', '2000');
  assert.equal(over.code, 2);
  assert.deepEqual(over.err, ["propack whatif: p=2000 at C=5000 would run one instance longer than Lambda's 900 s limit"]);
  const r = await run(
    ...['whatif', '--profile', video, '--concurrency', '1000', '--packing-degree', 'auto', '--objective', 'both'],
    ...['--weights', 'cost=0.9,time=0.1', '--metric', 'tail', '--tail-percentile', '95', '--cold-start', '0', '--json'],
  );
  assert.equal(r.code, 0, r.err.join());
  const json = JSON.parse(r.out[0]) as { coldStartS: number; coldStartAssumed: boolean; accountLimitAssumed: boolean };
  assert.equal(json.coldStartS, 0);
  assert.equal(json.coldStartAssumed, false);
  assert.equal(json.accountLimitAssumed, true);
  const text = await run('whatif', '--profile', video, '--concurrency', '1000', '--packing-degree', '2');
  assert.match(text.out[0], /account limit 1000 assumed/);
  const negative = await run('whatif', '--profile', video, '--concurrency', '1000', '--packing-degree', '2', '--cold-start', '-1');
  assert.equal(negative.code, 2);
  assert.match(negative.err[0], /--cold-start must be a number of at least 0, got "-1"/);
});

test('predict and optimize label extrapolation and the assumed account limit, in JSON and text', async () => {
  const wide = await run('predict', '--profile', video, '--concurrency', '100000', '--packing-degree', '1', '--metric', 'net', '--json');
  assert.equal(wide.code, 0, wide.err.join());
  const w = JSON.parse(wide.out[0]) as Record<string, unknown>;
  assert.deepEqual(w.extrapolated, { degree: false, concurrency: true });
  assert.equal(w.tested, false);
  assert.equal(w.accountLimit, 1000);
  assert.equal(w.accountLimitAssumed, true);
  const text = await run('predict', '--profile', video, '--concurrency', '100000', '--packing-degree', '1', '--metric', 'net');
  assert.match(text.out.join('\n'), /note: extrapolated: C=100000 beyond the measured concurrencies/);
  assert.match(text.out.join('\n'), /account limit 1000 \(assumed/);
  const opt = await run(
    ...[
      'optimize',
      '--profile',
      video,
      '--concurrency',
      '100000',
      '--objective',
      'time',
      '--metric',
      'net',
      '--max-degree',
      '2000',
      '--json',
    ],
  );
  assert.equal(opt.code, 0, opt.err.join());
  const o = JSON.parse(opt.out[0]) as { extrapolated: { degree: boolean; concurrency: boolean }; predicted: { extrapolated: unknown } };
  assert.equal(o.extrapolated.concurrency, true);
  assert.deepEqual(o.predicted.extrapolated, o.extrapolated);
});

test('optimize: when nothing meets --max-cost it shows the degree closest to the cap and says so', async () => {
  const args = ['optimize', '--profile', video, '--concurrency', '2000', '--objective', 'time', '--metric', 'net', '--max-cost', '0.01'];
  const r = await run(...args, '--json', '--candidates');
  assert.equal(r.code, 0, r.err.join());
  const json = JSON.parse(r.out[0]) as {
    packingDegree: number;
    constraintsRelaxed: boolean;
    candidates: { packingDegree: number; cost: number }[];
  };
  assert.equal(json.constraintsRelaxed, true);
  const cheapest = json.candidates.reduce((a, b) => (b.cost < a.cost ? b : a));
  assert.equal(json.packingDegree, cheapest.packingDegree);
  const text = await run(...args);
  assert.match(text.out.join('\n'), /note: no degree met the constraints; showing the one closest to them/);
});
