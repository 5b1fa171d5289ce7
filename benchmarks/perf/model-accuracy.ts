/**
 * `npm run bench:model`: how well each model predicts ProPack's measured end-to-end no-packing runs it
 * was not fitted on (leave one concurrency out), and how fast the optimizers and the what-if simulation are.
 * Writes benchmarks/perf/results/model-accuracy.json and prints a Markdown table for the README.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLASSIC_PRICE_PER_S } from '../../src/core/classic-model';
import { optimizeJoint } from '../../src/core/joint-optimizer';
import { optimize } from '../../src/core/optimizer';
import { SCALING_RULES, simulateProvisioning } from '../../src/core/provisioning-sim';
import { resourceOutlook } from '../../src/core/resource-outlook';
import { predict } from '../../src/core/predict';
import { DEFAULT_PRICE } from '../../src/core/pricing';
import { parseProfile } from '../../src/core/profile';
import { median } from '../../src/core/stats';
import type { Profile, ScalingRun } from '../../src/core/types';

const ROOT = resolve(__dirname, '..');
const APPS = ['video', 'sort', 'statelesscost'] as const;

interface Row {
  app: string;
  concurrency: number;
  measured: { serviceTimeS: number; costUsd: number; classicCostUsd: number };
  fitted: { serviceTimeS: number; costUsd: number };
  classic: { serviceTimeS: number; costUsd: number };
}

/** Measured bill of a no-packing run at the full Lambda price (USD); 1 ms rounding adds < 0.05%. */
function measuredCost(p: Profile, run: ScalingRun, perS: number, requestUsd: number): number {
  const n = run.sampledFrom ?? run.concurrency;
  return n * (run.meanDurationS as number) * perS + n * requestUsd;
}

const relErr = (pred: number, meas: number): number => Math.abs(pred - meas) / meas;

function evaluate(app: string): Row[] {
  const file = join(ROOT, 'benchmarks', 'profiles', `aws-2021-${app}.json`);
  const full = parseProfile(readFileSync(file, 'utf8'), file);
  const gbS = (full.function.memoryMb / 1024) * DEFAULT_PRICE.gbSecondUsd[full.function.architecture];
  const rows: Row[] = [];
  for (const held of full.scaling.runs.filter((r) => r.app === app)) {
    // Hold out every app's run at this concurrency: the models never saw C.
    const train: Profile = { ...full, scaling: { runs: full.scaling.runs.filter((r) => r.concurrency !== held.concurrency) } };
    const q = { concurrency: held.concurrency, packingDegree: 1, metric: 'net' as const };
    const f = predict(train, { ...q, model: 'fitted' });
    const c = predict(train, { ...q, model: 'classic' });
    rows.push({
      app,
      concurrency: held.concurrency,
      measured: {
        serviceTimeS: held.serviceTimeS as number,
        costUsd: measuredCost(full, held, gbS, DEFAULT_PRICE.requestUsd),
        classicCostUsd: measuredCost(full, held, CLASSIC_PRICE_PER_S, 0),
      },
      fitted: { serviceTimeS: f.serviceTime, costUsd: f.cost },
      classic: { serviceTimeS: c.serviceTime, costUsd: c.cost },
    });
  }
  return rows;
}

interface Speed {
  medianMs: number;
  medianCpuMs: number;
}

/** Median wall and CPU time (ms) of `run` over 20 calls after 5 warm-ups; `run` gets a fresh profile copy each time. */
function timeIt(profile: Profile, run: (p: Profile) => void): Speed {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 25; i++) {
    // A fresh object each time so the model is rebuilt too (the report re-optimizes on every change).
    const copy = JSON.parse(JSON.stringify(profile)) as Profile;
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    run(copy);
    const c = process.cpuUsage(c0);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    cpu.push((c.user + c.system) / 1000);
  }
  // CPU time as well as wall time: on a busy machine the wall clock also counts other processes' turns.
  const r2 = (x: number): number => Math.round(x * 100) / 100;
  return { medianMs: r2(median(times.slice(5))), medianCpuMs: r2(median(cpu.slice(5))) };
}

function loadShipped(app: (typeof APPS)[number]): Profile {
  const file = join(ROOT, 'benchmarks', 'profiles', `aws-2021-${app}.json`);
  return parseProfile(readFileSync(file, 'utf8'), file);
}

/** How fast the optimizers and the what-if simulation answer (what the report page recomputes on every change). */
function speeds(): Record<string, Speed & { what: string }> {
  const sort = loadShipped('sort');
  const video = loadShipped('video');
  return {
    optimize: {
      what: 'optimize(): all p ≤ 1000 at C=5000 (sort, both, tail), model rebuilt',
      ...timeIt(sort, (p) => optimize(p, { concurrency: 5000, objective: 'both', metric: 'tail', maxDegree: 1000 })),
    },
    joint: {
      what: 'optimizeJoint(): 16 memory sizes × x86_64 × p at C=5000 (video, both, tail)',
      ...timeIt(video, (p) => optimizeJoint(p, { concurrency: 5000, objective: 'both', metric: 'tail' })),
    },
    simulate100k: {
      what: 'simulateProvisioning(): 100,000 instances, account limit 10,000',
      ...timeIt(video, () => {
        simulateProvisioning({
          concurrency: 100000,
          packingDegree: 1,
          rule: SCALING_RULES['aws-2023'],
          accountLimit: 10000,
          coldStartS: 1,
          executionS: 30,
          memoryMb: 1024,
          architecture: 'x86_64',
        });
      }),
    },
    outlook: {
      what: "resourceOutlook(): the report's joint heatmaps + what-if to C=100,000 (video, both, net)",
      ...timeIt(video, (p) => resourceOutlook(p, { concurrency: 1000, objective: 'both', metric: 'net' })),
    },
  };
}

function main(): void {
  const rows = APPS.flatMap(evaluate);
  const summary = APPS.map((app) => {
    const r = rows.filter((x) => x.app === app);
    const m = (f: (x: Row) => number): number => Math.round(median(r.map(f)) * 1000) / 10;
    return {
      app,
      fittedServiceErrPct: m((x) => relErr(x.fitted.serviceTimeS, x.measured.serviceTimeS)),
      fittedCostErrPct: m((x) => relErr(x.fitted.costUsd, x.measured.costUsd)),
      classicServiceErrPct: m((x) => relErr(x.classic.serviceTimeS, x.measured.serviceTimeS)),
      classicCostErrPct: m((x) => relErr(x.classic.costUsd, x.measured.classicCostUsd)),
    };
  });
  const speed = speeds();
  const result = {
    generatedAt: new Date().toISOString(),
    method: 'leave-one-concurrency-out over ProPack AWS no-packing runs (11 levels, 100..5000)',
    summary,
    speed,
    rows,
  };
  const outDir = join(ROOT, 'benchmarks', 'perf', 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'model-accuracy.json'), JSON.stringify(result, null, 2) + '\n');
  console.log('| app | fitted: service-time error | fitted: cost error | classic: service-time error | classic: cost error |');
  console.log('|---|---|---|---|---|');
  for (const s of summary)
    console.log(`| ${s.app} | ${s.fittedServiceErrPct}% | ${s.fittedCostErrPct}% | ${s.classicServiceErrPct}% | ${s.classicCostErrPct}% |`);
  console.log('');
  for (const s of Object.values(speed)) console.log(`${s.what}: median ${s.medianMs} ms wall, ${s.medianCpuMs} ms CPU`);
  console.log('wrote benchmarks/perf/results/model-accuracy.json');
}

main();
