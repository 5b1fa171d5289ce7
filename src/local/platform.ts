import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ConnectionLimits } from './connection-guard';
import { generateKeys, writePrivateFile, type AccessKey, type EndpointFile } from './credentials';
import { entryFile } from './entry-files';
import { FaultInjector, NO_FAULTS, type FaultCounts, type FaultRates } from './faults';
import { FunctionStore, REGION } from './function-store';
import { LambdaAuth } from './lambda-auth';
import { LambdaService } from './lambda-service';
import { startLambdaServer } from './lambda-server';
import { PRESETS, isPresetName } from './presets';
import { startS3FaultProxy } from './s3-fault-proxy';
import { startS3Server, type S3Server } from './s3-server';
import { SpareProcesses } from './spare-processes';
import { pythonExecutable } from './python';
import { RuntimeApiServer } from './runtime-api-server';
import { EmulatedClock, realNowMs } from './emulated-clock';
import { CpuGovernor } from './cpu-governor';
import { SignedS3 } from './s3-signed';
import { SfnAuth } from './sfn-auth';
import { startSfnServer } from './sfn-server';
import { SfnService } from './sfn-service';
import { seededRandom } from '../core/plan';
import { timelineRecord, type Timeline } from '../core/timeline';

/** Options of the embedded platform. */
export interface LocalPlatformOptions {
  /**
   * Lambda port; 0 (default) picks a free one. S3 listens on `port + 1` and Step Functions on `port + 2` when
   * `port` is set, else on free ones.
   */
  port?: number;
  /** Provisioning preset: `instant` (default), `aws-2023`, `aws-2021`. */
  preset?: string;
  /** Functions and objects persist here; default a temporary dir deleted on stop. */
  dataDir?: string;
  /** Concurrent executions over the account; default the preset's (1,000). */
  accountConcurrency?: number;
  /** Multiplies every emulated delay (1 = the preset's real rate, 0.1 = ten times faster). */
  timeScale?: number;
  /** Real worker processes per function before logical instances share them (default 8). */
  maxProcessesPerFunction?: number;
  /** Booted worker processes kept ready for cold starts (default 4). */
  spareProcesses?: number;
  /** Idle time (ms) after which an instance is reclaimed (default 300,000, Lambda's order of magnitude). */
  idleReclaimMs?: number;
  /** Delays (ms) before the 2 retries of a failed Event invocation (default 1,000 and 2,000). */
  eventRetryDelaysMs?: number[];
  /**
   * Give every execution environment Lambda's vCPU share of its memory size, however many run at once
   * (cpu-governor.ts): each is held to its share, and the platform's clock slows when this machine's cores
   * cannot serve every share at once. Default on; off, environments share the host's cores as they come
   * and report what that contention made of them.
   */
  enforceCpu?: boolean;
  /** Fault probabilities (see `parseFaults`); default none. */
  faults?: Partial<FaultRates>;
  /** Seed of the fault streams (default 1): the same seed gives the same sequence of decisions per kind. */
  seed?: number;
  /** How long a GetFunction Code.Location may be downloaded (ms; default 600,000, Lambda's 10 minutes). */
  codeLocationTtlMs?: number;
  /** Header timeout and half-open connection cap of the servers (defaults: 20 s, 1,000). */
  connectionLimits?: ConnectionLimits;
}

/** What the CPU governor did: processes stopped past their share, control ticks, ticks with a slowed clock. */
export interface CpuEmulationStats {
  stops: number;
  ticks: number;
  slowTicks: number;
  /** Slowest clock rate so far (emulated ms per real ms). */
  minRate: number;
  /** Segments of the emulated timeline. */
  breakpoints: number;
}

/** A running platform: endpoints for the SDK clients and a draining stop. */
export interface LocalPlatform {
  lambdaEndpoint: string;
  s3Endpoint: string;
  /** The Step Functions API (the packed-run Distributed Map only: sfn-definition.ts). */
  stepFunctionsEndpoint: string;
  region: string;
  dataDir: string;
  /**
   * The admin key of this start (fresh random each start): every server accepts it. Hand it to SDK clients
   * as static credentials; never log the secret.
   */
  credentials: AccessKey;
  /** `<dataDir>/endpoint.json` (mode 0600): endpoints and admin key, for clients of a running platform. */
  endpointFile: string;
  /**
   * The platform's emulated timeline: real epoch ms → emulated epoch ms. Clients map the times they take
   * (request sent, response received, a handler's own timestamps) onto it; REPORT lines are already on it.
   */
  timeline: Timeline;
  /** What the CPU emulation did so far (undefined with enforceCpu off or off Linux). */
  cpuEmulation(): CpuEmulationStats | undefined;
  /** Live logical instances, real worker processes, and executions in flight. */
  counts(): { instances: number; processes: number; inflight: number };
  /** Faults injected so far, per kind. */
  faultCounts(): FaultCounts;
  /** Resolves when no Event invocation is queued, running or waiting for a retry. */
  drainEvents(): Promise<void>;
  /**
   * Stops accepting requests, stops running Step Functions executions (as StopExecution: their children in
   * flight finish, their results are written), waits for in-flight invocations and queued events, stops
   * everything. With `deadlineMs`, waits at most that long: then queued events are dropped (their count is
   * returned) and running invocations end with their workers.
   */
  stop(deadlineMs?: number): Promise<{ droppedEvents: number }>;
}

/** What the platform keeps in its data folder (besides the `.gitignore` it writes there). */
const DATA_ENTRIES = new Set(['lambda', 's3', '.gitignore', 'endpoint.json', 'timeline.bin', 'sandbox']);

/**
 * Creates a persistent data folder and marks it as generated: a `.gitignore` of `*` keeps the copies of
 * deployed code and the S3 objects out of the repository the folder sits in (`.propack/local` is inside
 * the user's workspace). Written only where nothing but platform data is, never over a file of the user's;
 * returns whether the folder has it.
 */
export function prepareDataDir(dir: string): boolean {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new Error(`data folder ${dir} is a file, not a folder; choose a folder with --data-dir`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new Error(`cannot create the data folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  const ignore = join(dir, '.gitignore');
  if (existsSync(ignore)) return true;
  if (!readdirSync(dir).every((name) => DATA_ENTRIES.has(name))) return false;
  writeFileSync(ignore, '# ProPack local platform data (deployed function code, S3 objects): generated, not for version control\n*\n');
  return true;
}

/** Starts Lambda (own REST server), S3 (s3rver child) and Step Functions (own JSON server) on 127.0.0.1. */
export async function startLocalPlatform(opts: LocalPlatformOptions = {}): Promise<LocalPlatform> {
  const presetName = opts.preset ?? 'instant';
  if (!isPresetName(presetName)) throw new Error(`unknown preset "${presetName}"; use one of ${Object.keys(PRESETS).join(', ')}`);
  const preset = PRESETS[presetName];
  const timeScale = opts.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error('timeScale must be a number above 0');
  const tempDir = opts.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'propack-local-'));
  if (opts.dataDir) prepareDataDir(opts.dataDir);
  const dataDir = opts.dataDir ?? (tempDir as string);
  const faults = new FaultInjector({ ...NO_FAULTS, ...opts.faults }, opts.seed ?? 1);
  // The store loads (and may refuse) the saved functions before any worker process exists to hold the process open.
  let store: FunctionStore;
  try {
    store = new FunctionStore(join(dataDir, 'lambda'));
  } catch (e) {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    throw e;
  }
  const keys = generateKeys();
  // Function workers get HOME/TMPDIR here (one folder per function), never the user's.
  const sandboxRoot = resolve(dataDir, 'sandbox');
  rmSync(sandboxRoot, { recursive: true, force: true });
  mkdirSync(sandboxRoot, { recursive: true, mode: 0o700 });
  // Clients in other processes (`propack local start`) replay the clock's breakpoints from this file.
  const timelineFile = join(dataDir, 'timeline.bin');
  const timelineFd = openSync(timelineFile, 'w', 0o600);
  const clock = new EmulatedClock(realNowMs, (real, rate) => writeSync(timelineFd, timelineRecord(real, rate)));
  // Every server times its connections on the emulated clock (connection-guard.ts ServerTimeouts.nowMs).
  const nowMs = (): number => clock.nowMs();
  // One Runtime API server for the platform; provided.* environments register on it as they start.
  let runtimeApi: RuntimeApiServer;
  try {
    runtimeApi = await RuntimeApiServer.start(opts.connectionLimits, nowMs);
  } catch (e) {
    clock.close();
    closeSync(timelineFd);
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    throw e;
  }
  const governor = (opts.enforceCpu ?? true) ? new CpuGovernor(clock) : undefined;
  const spares = new SpareProcesses(entryFile('worker-bootstrap'), opts.spareProcesses ?? 4);
  // Python workers boot on the first Python function's first cold start (python3 may not be installed).
  let pythonSpares: SpareProcesses | undefined;
  const python = pythonExecutable();
  // Stops what a start set up besides the two servers: governor, clock and timeline file, spares, Runtime API server.
  const closeInternals = (): void => {
    governor?.close();
    clock.close();
    closeSync(timelineFd);
    spares.close();
    pythonSpares?.close();
    void runtimeApi.stop();
  };
  const svc = new LambdaService(store, {
    clock,
    ...(governor ? { governor } : {}),
    spares,
    pythonSpares: () => (pythonSpares ??= new SpareProcesses(entryFile('python-worker'), 2, python)),
    region: REGION,
    preset,
    timeScale,
    maxProcessesPerFunction: opts.maxProcessesPerFunction ?? 8,
    accountConcurrency: opts.accountConcurrency ?? preset.accountConcurrency,
    idleReclaimMs: opts.idleReclaimMs ?? 300_000,
    eventRetryDelaysMs: opts.eventRetryDelaysMs ?? [1000, 2000],
    ...(opts.codeLocationTtlMs !== undefined ? { codeLocationTtlMs: opts.codeLocationTtlMs } : {}),
    functionCredentials: keys.function,
    sandboxRoot,
    runtimeApi,
    ...(faults.active ? { faults } : {}),
  });
  // The first cold starts must not wait for a fork, or emulated start spacing collapses into one burst.
  await spares.ready();
  const port = opts.port ?? 0;
  const lambda = await startLambdaServer(svc, port, new LambdaAuth(keys.admin, keys.function), opts.connectionLimits, nowMs).catch(
    (e: unknown) => {
      closeInternals();
      throw e;
    },
  );
  let s3: S3Server;
  try {
    s3 = await startS3WithFaults(
      port === 0 ? 0 : port + 1,
      join(dataDir, 's3'),
      faults,
      [keys.admin, keys.function],
      clock,
      opts.connectionLimits,
    );
  } catch (e) {
    lambda.server.close();
    await svc.drain();
    closeInternals();
    throw e;
  }
  // The Map's ItemReader and ResultWriter reach S3 as any client does: signed, through the fault proxy if any.
  const s3Client = new SignedS3(s3.endpoint, keys.admin, (ms) => clock.sleep(ms));
  const sfnService = new SfnService({
    invoke: (name, payload) => svc.invokeSync(name, payload),
    s3: s3Client,
    clock,
    timeScale,
    // Retry's jitter: its own seeded stream, so a seed repeats a run's retry delays too.
    random: seededRandom(((opts.seed ?? 1) ^ 0x5f3759df) >>> 0),
  });
  let sfn: Awaited<ReturnType<typeof startSfnServer>>;
  try {
    sfn = await startSfnServer(sfnService, port === 0 ? 0 : port + 2, new SfnAuth(keys.admin, keys.function), opts.connectionLimits, nowMs);
  } catch (e) {
    s3Client.close();
    lambda.server.close();
    await svc.drain();
    closeInternals();
    await s3.stop();
    throw e;
  }
  const endpointFile = join(dataDir, 'endpoint.json');
  const endpoint: EndpointFile = {
    schema: 'propack.local-endpoint/v1',
    lambda: lambda.endpoint,
    s3: s3.endpoint,
    stepfunctions: sfn.endpoint,
    region: REGION,
    accessKeyId: keys.admin.accessKeyId,
    secretAccessKey: keys.admin.secretAccessKey,
    pid: process.pid,
    timeline: timelineFile,
  };
  writePrivateFile(endpointFile, JSON.stringify(endpoint, null, 2) + '\n');
  let stopping: Promise<{ droppedEvents: number }> | undefined;
  return {
    lambdaEndpoint: lambda.endpoint,
    s3Endpoint: s3.endpoint,
    stepFunctionsEndpoint: sfn.endpoint,
    region: REGION,
    dataDir,
    credentials: { ...keys.admin },
    endpointFile,
    timeline: clock.timeline,
    cpuEmulation: () => (governor?.active ? { ...governor.stats, breakpoints: clock.timeline.size } : undefined),
    counts: () => svc.counts(),
    faultCounts: () => ({ ...faults.counts }),
    drainEvents: () => svc.eventsDrained(),
    stop: (deadlineMs?: number) =>
      (stopping ??= (async () => {
        const closed = new Promise<void>((r) => lambda.server.close(() => r()));
        const sfnClosed = new Promise<void>((r) => sfn.server.close(() => r()));
        // Executions stop first, so no Map starts a child while the Lambda side drains.
        sfnService.stopAll();
        const since = Date.now();
        const drained = await svc.drain(deadlineMs); // in-flight requests finish before the idle sockets are closed
        // Their results go to S3 while it still runs: within what is left of the deadline (at least a second).
        const left = deadlineMs === undefined ? Infinity : Math.max(1000, deadlineMs - (Date.now() - since));
        await settleWithin(sfnService.settled(), left);
        closeInternals();
        s3Client.close();
        for (const server of [lambda.server, sfn.server]) {
          server.closeIdleConnections();
          server.closeAllConnections();
        }
        await closed;
        await sfnClosed;
        await s3.stop();
        rmSync(endpointFile, { force: true });
        rmSync(timelineFile, { force: true });
        rmSync(sandboxRoot, { recursive: true, force: true });
        if (tempDir) rmSync(tempDir, { recursive: true, force: true });
        return drained;
      })()),
  };
}

/** Waits for `p`, at most `ms` (Infinity: without a bound). */
async function settleWithin(p: Promise<void>, ms: number): Promise<void> {
  if (!Number.isFinite(ms)) return p;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/** s3rver, behind the fault proxy (on the requested port) when S3 errors are injected. */
async function startS3WithFaults(
  port: number,
  directory: string,
  faults: FaultInjector,
  keys: AccessKey[],
  clock: EmulatedClock,
  limits: ConnectionLimits = {},
): Promise<S3Server> {
  if (faults.rates.s3Error <= 0) return startS3Server(port, directory, keys, undefined, limits, clock);
  const proxy = await startS3FaultProxy(port, faults, limits, () => clock.nowMs());
  const closeProxy = () =>
    new Promise<void>((r) => {
      proxy.server.closeAllConnections();
      proxy.server.close(() => r());
    });
  let store: S3Server;
  try {
    store = await startS3Server(0, directory, keys, Number(new URL(proxy.endpoint).port), limits, clock);
  } catch (e) {
    await closeProxy();
    throw e;
  }
  proxy.setUpstream(store.endpoint);
  return {
    endpoint: proxy.endpoint,
    stop: async () => {
      await closeProxy();
      await store.stop();
    },
  };
}
