/**
 * Step Functions dispatch against the client's own (issue 19), measured, never asserted by a test: C tasks
 * through a Distributed Map on the embedded platform at ProPack's p, versus the direct dispatch at the same
 * C and p: service time, the client's CPU time and peak memory, and what a kill -9 of the client halfway
 * does to each (the Map runs on and a resume collects it; the direct run loses what was in flight).
 * Everything runs as a user runs it: `propack local start` in its own process, `propack deploy`, `propack run`.
 * Run: `npm run bench:map` (BENCH_C, BENCH_P, BENCH_PRESET override 5000, 25, aws-2021); writes
 * benchmarks/perf/results/map-dispatch.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(__dirname, '../../../dist/cli.js');
const C = Number(process.env.BENCH_C ?? 5000);
const P = Number(process.env.BENCH_P ?? 25);
const PRESET = process.env.BENCH_PRESET ?? 'aws-2021';
/** Each task: 20 ms of work, so the dispatch, not the function, is what is measured. */
const HANDLER = `exports.handler = async (e) => { const end = Date.now() + e.ms; while (Date.now() < end); return { i: e.i }; };`;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<Exit> } {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '',
    stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, done: new Promise((r) => child.once('close', (code) => r({ code, stdout, stderr }))) };
}

async function ok(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const r = await cli(args, env).done;
  if (r.code !== 0 && r.code !== 1) throw new Error(`propack ${args.join(' ')} exited ${r.code}: ${r.stderr.trim().split('\n').pop()}`);
  return r.stdout;
}

/** Resolves when `check` holds; polls files the client writes (its journal), bounded. */
async function waitFor(check: () => boolean, what: string, timeoutMs = 600_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Summary {
  id: string;
  serviceTime: number;
  costUsd: number;
  dispatchCostUsd?: number;
  tasks: { total: number; succeeded: number; failed: number };
  ranNow: number;
  client: { cpuS: number; peakRssMb: number };
  stepFunctions?: { executions: string[]; children: number };
}

function runDir(ws: string): string | undefined {
  const runs = join(ws, '.propack', 'runs');
  const id = existsSync(runs) ? readdirSync(runs).find((f) => !f.endsWith('.json')) : undefined;
  return id ? join(runs, id) : undefined;
}

function journaled(dir: string | undefined): number {
  const f = dir && join(dir, 'journal.ndjson');
  return f && existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).length : 0;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'propack-bench-map-'));
  const dataDir = join(root, 'platform');
  const platform = cli(['local', 'start', '--preset', PRESET, '--data-dir', dataDir, '--port', '0'], process.env);
  const endpointFile = join(dataDir, 'endpoint.json');
  await waitFor(() => existsSync(endpointFile), 'the platform to start', 60_000);
  const env = { ...process.env, PROPACK_ENDPOINT_FILE: endpointFile };
  const results: Record<string, unknown> = {};
  try {
    writeFileSync(join(root, 'handler.js'), HANDLER);
    // One function per measured run: each starts from cold instances, as a fan-out does (none warmed by the run before).
    const names = ['sync', 'sync-kill', 'stepfunctions', 'stepfunctions-kill'].map((k) => `bench-map-${k}`);
    for (const name of names) await ok(['deploy', join(root, 'handler.js'), '--name', name, '--memory', '1769'], env);
    const tasks = join(root, 'tasks.json');
    writeFileSync(tasks, JSON.stringify(Array.from({ length: C }, (_, i) => ({ i, ms: 20 }))));
    const base = (fn: string): string[] => [
      'run',
      '--function',
      fn,
      '--payloads',
      tasks,
      '--concurrency',
      String(C),
      '--packing-degree',
      String(P),
      '--json',
    ];
    for (const dispatch of ['sync', 'stepfunctions'] as const) {
      // Whole run.
      const ws = join(root, `ws-${dispatch}`);
      mkdirSync(ws);
      const t0 = Date.now();
      const s = JSON.parse(await ok([...base(`bench-map-${dispatch}`), '--dispatch', dispatch, '--workspace', ws], env)) as Summary;
      const whole = { wallS: (Date.now() - t0) / 1000, ...pick(s) };
      // Killed halfway: kill -9 once half the tasks are final (direct) or the execution is journaled (Map).
      const kws = join(root, `ws-${dispatch}-kill`);
      mkdirSync(kws);
      const k0 = Date.now();
      const run = cli([...base(`bench-map-${dispatch}-kill`), '--dispatch', dispatch, '--workspace', kws], env);
      await waitFor(() => {
        const d = runDir(kws);
        return dispatch === 'sync' ? journaled(d) >= C / 2 : Boolean(d && existsSync(join(d, 'executions.ndjson')));
      }, 'the run to get halfway');
      if (dispatch === 'stepfunctions') await new Promise((r) => setTimeout(r, (whole.wallS * 1000) / 2)); // halfway through the Map's run
      const finalAtKill = journaled(runDir(kws));
      run.child.kill('SIGKILL');
      await run.done;
      const id = runDir(kws)?.split('/').pop() as string;
      const r = JSON.parse(await ok(['run', '--resume', id, '--workspace', kws, '--json'], env)) as Summary;
      results[dispatch] = {
        whole,
        killedHalfway: {
          tasksFinalAtKill: finalAtKill,
          resumeRan: r.ranNow,
          newExecutionsOnResume: r.stepFunctions ? r.stepFunctions.executions.length : undefined,
          succeeded: r.tasks.succeeded,
          failed: r.tasks.failed,
          killToDoneS: (Date.now() - k0) / 1000,
          resumeClient: r.client,
        },
      };
      process.stdout.write(`${dispatch}: ${JSON.stringify(results[dispatch])}\n`);
    }
  } finally {
    platform.child.kill('SIGINT');
    await platform.done;
    rmSync(root, { recursive: true, force: true });
  }
  const out = resolve(__dirname, '../../../benchmarks/perf/results/map-dispatch.json');
  writeFileSync(
    out,
    JSON.stringify({ date: new Date().toISOString(), concurrency: C, packingDegree: P, preset: PRESET, taskMs: 20, results }, null, 2) +
      '\n',
  );
  process.stdout.write(`wrote ${out}\n`);
}

function pick(s: Summary): Record<string, unknown> {
  return {
    serviceTimeS: s.serviceTime,
    costUsd: s.costUsd,
    dispatchCostUsd: s.dispatchCostUsd ?? 0,
    succeeded: s.tasks.succeeded,
    failed: s.tasks.failed,
    clientCpuS: s.client.cpuS,
    clientPeakRssMb: s.client.peakRssMb,
    ...(s.stepFunctions ? { childExecutions: s.stepFunctions.children } : {}),
  };
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:map: ${(e as Error).message}\n`);
  process.exit(1);
});
