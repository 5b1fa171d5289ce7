import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_VCPUS, MB_PER_VCPU } from '../core/pricing';
import type { CpuGovernor } from './cpu-governor';
import type { EmulatedClock } from './emulated-clock';
import { runtimeModulesDir } from './entry-files';
import type { AccessKey } from './credentials';
import { Provisioner } from './provisioner';
import { isPythonRuntime } from './python';
import type { StoredFunction } from './function-store';
import type { ProvisioningPreset } from './presets';
import type { FaultInjector } from './faults';
import type { SpareProcesses } from './spare-processes';
import type { ExecutionHost } from './execution-host';
import { isProvidedRuntime } from './provided';
import { RuntimeApiHost } from './runtime-api-host';
import type { RuntimeApiServer } from './runtime-api-server';

/** One logical Lambda execution environment: runs one invocation at a time in its pinned process. */
export interface Instance {
  id: string;
  proc: ExecutionHost;
  generation: number;
  /** True until its first invocation completes (that invocation reports the cold start). */
  cold: boolean;
  /**
   * The emulated cold start (ms) of this instance: the preset's init time, which Lambda bills as INIT. The
   * wait for a start slot before it (the preset's scaling rate) is scaling time, not init, and is not billed.
   */
  coldStartMs: number;
  idleSince: number;
}

/** Settings shared by all pools. */
export interface PoolSettings {
  region: string;
  preset: ProvisioningPreset;
  timeScale: number;
  /** Real worker processes per function; beyond it, logical instances share processes. */
  maxProcessesPerFunction: number;
  /** Booted processes shared by all functions' cold starts. */
  spares: SpareProcesses;
  /** Booted Python worker processes (made on first use, so a machine without python3 runs Node functions). */
  pythonSpares?: () => SpareProcesses;
  /** The platform's emulated clock: provisioning waits and idle times are measured on it. */
  clock: EmulatedClock;
  /** Holds every environment to Lambda's vCPU share of its memory size (absent: environments share the host's cores). */
  governor?: CpuGovernor;
  /** Injected faults (slow cold starts here; the others in the service and invoker). */
  faults?: FaultInjector;
  /** The function role's key (S3 accepts it), handed to every function as Lambda hands out role credentials. */
  functionCredentials?: AccessKey;
  /** The platform's Runtime API server, which `provided.*` functions' bootstraps talk to. */
  runtimeApi?: RuntimeApiServer;
  /** Folder holding each function's HOME/TMPDIR (`<root>/<name>/tmp`, Lambda's /tmp); default none. */
  sandboxRoot?: string;
}

let nextInstance = 0;
let nextSandbox = 0;
const RUNTIME_DIR = runtimeModulesDir();

/** vCPU share Lambda gives a memory size: 1 vCPU per 1,769 MB, at most 6 (10,240 MB). */
export function vcpuShare(memoryMb: number): number {
  return Math.min(MAX_VCPUS, memoryMb / MB_PER_VCPU);
}

/** The execution environments of one function: warm reuse (most recent first), cold starts, reclaim. */
export class InstancePool {
  private readonly idle: Instance[] = [];
  private readonly procs = new Set<ExecutionHost>();
  private readonly provisioner: Provisioner;

  constructor(
    private fn: StoredFunction,
    private readonly settings: PoolSettings,
  ) {
    this.provisioner = new Provisioner(settings.preset, settings.timeScale, () => settings.clock.nowMs());
  }

  /** The platform's emulated clock. */
  get clock(): EmulatedClock {
    return this.settings.clock;
  }

  /** The platform's CPU governor, when environments are held to their share. */
  get governor(): CpuGovernor | undefined {
    return this.settings.governor;
  }

  /** Live logical instances (idle + busy) and real processes, for reports and benchmarks. */
  counts(): { instances: number; processes: number } {
    let instances = 0;
    for (const p of this.procs) instances += p.instances.size;
    return { instances, processes: this.procs.size };
  }

  /** Points the pool at new code/config: idle instances go now, busy ones when they finish. */
  update(fn: StoredFunction): void {
    this.fn = fn;
    for (const inst of this.idle.splice(0)) this.retire(inst);
    for (const p of this.procs) p.draining = true;
    this.killEmptyDraining();
  }

  /** A warm instance if one is idle, else a new one after the preset's provisioning delay (ms, emulated). */
  async acquire(): Promise<Instance> {
    for (let inst = this.idle.pop(); inst; inst = this.idle.pop()) {
      if (inst.generation === this.fn.generation && !inst.proc.draining && inst.proc.instances.has(inst.id)) return inst;
      this.retire(inst);
    }
    // The emulated wait comes first and the real start (fork + module load) is added to it: overlapping them
    // let contended forks on 2 cores swallow the emulated spacing, so the preset's rate no longer held.
    const slow = this.settings.faults?.draw('slowCold') ? 10 : 1;
    const coldStartMs = this.provisioner.coldStartMs() * slow;
    const wait = this.provisioner.reserve() + coldStartMs;
    if (wait > 0) await this.settings.clock.sleep(wait);
    const id = `${this.fn.config.FunctionName}-${++nextInstance}`;
    const proc = isProvidedRuntime(this.fn.config.Runtime) ? this.runtimeHost(id) : await this.pickProcess();
    const inst: Instance = {
      id,
      proc,
      generation: this.fn.generation,
      cold: true,
      coldStartMs,
      idleSince: 0,
    };
    proc.instances.add(inst.id);
    return inst;
  }

  /** Returns an instance after an invocation; `retire` drops it (timeout, crash) instead of keeping it warm. */
  release(inst: Instance, retire: boolean): void {
    inst.cold = false;
    if (retire || inst.generation !== this.fn.generation || inst.proc.draining || !inst.proc.instances.has(inst.id)) {
      this.retire(inst);
      return;
    }
    inst.idleSince = this.settings.clock.nowMs();
    this.idle.push(inst);
  }

  /** Drops instances idle longer than `idleMs` and processes left without instances. */
  reclaim(idleMs: number): void {
    const cutoff = this.settings.clock.nowMs() - idleMs;
    for (let i = this.idle.length - 1; i >= 0; i--) {
      if (this.idle[i].idleSince < cutoff) this.retire(this.idle.splice(i, 1)[0]);
    }
  }

  /** Kills every process (platform stop or function delete). */
  close(): void {
    this.idle.length = 0;
    for (const p of this.procs) {
      this.settings.governor?.remove(p);
      p.kill();
    }
    this.procs.clear();
  }

  private retire(inst: Instance): void {
    inst.proc.drop(inst.id);
    if (inst.proc.instances.size === 0 && inst.proc.busy === 0) this.killProc(inst.proc);
    else if (inst.proc.draining) this.killEmptyDraining();
  }

  private killEmptyDraining(): void {
    for (const p of this.procs) if (p.draining && p.busy === 0) this.killProc(p);
  }

  private killProc(p: ExecutionHost): void {
    this.procs.delete(p);
    this.settings.governor?.remove(p);
    p.kill();
  }

  /**
   * The process for a new instance: a booted one of this function without instances, else a booted spare
   * while under the cap (real isolation), else the least loaded booted one (instances share it), else the
   * first to finish booting. So process boots never hold back the preset's start rate.
   */
  private async pickProcess(): Promise<ExecutionHost> {
    for (;;) {
      let best: ExecutionHost | undefined;
      let open = 0;
      const booting: Promise<void>[] = [];
      for (const p of this.procs) {
        // A Runtime API host (left from a runtime change) is one environment: never a second instance in it.
        if (p.draining || !p.shareable) continue;
        open++;
        if (!p.isReady) booting.push(p.ready);
        else if (!best || p.instances.size < best.instances.size) best = p;
      }
      if (best && best.instances.size === 0) return best;
      const spares = this.spares();
      if (open < this.settings.maxProcessesPerFunction && (spares.hasReady() || (!best && booting.length === 0))) {
        const proc = spares.take();
        proc.assign(this.env(), this.fn.codeDir, (p) => this.died(p));
        this.settings.governor?.add(proc, vcpuShare(this.fn.config.MemorySize));
        proc.limitMemory(this.fn.config.MemorySize);
        this.procs.add(proc);
        continue;
      }
      if (best) return best;
      await Promise.race(booting);
    }
  }

  /**
   * A new execution environment of a `provided.*` function: its own process running the function's
   * bootstrap against the Runtime API, hosting exactly this one instance.
   */
  private runtimeHost(instanceId: string): ExecutionHost {
    const api = this.settings.runtimeApi;
    if (!api) throw new Error('this platform was started without a Runtime API server; start it with startLocalPlatform');
    // One instance per process: its id can be in the environment from the start (a worker sets it per call).
    const env = { ...this.env(), PROPACK_INSTANCE_ID: instanceId };
    const host = new RuntimeApiHost(api, this.fn.codeDir, env, (h) => this.died(h));
    this.settings.governor?.add(host, vcpuShare(this.fn.config.MemorySize));
    host.limitMemory(this.fn.config.MemorySize);
    this.procs.add(host);
    return host;
  }

  /** The spares of this function's runtime: Python workers for python3.x, Node workers otherwise. */
  private spares(): SpareProcesses {
    if (!isPythonRuntime(this.fn.config.Runtime)) return this.settings.spares;
    if (!this.settings.pythonSpares) throw new Error('this platform was started without Python workers');
    return this.settings.pythonSpares();
  }

  private died(p: ExecutionHost): void {
    this.procs.delete(p);
    this.settings.governor?.remove(p);
    for (let i = this.idle.length - 1; i >= 0; i--) if (this.idle[i].proc === p) this.idle.splice(i, 1);
  }

  /**
   * HOME and TMPDIR (Lambda's /tmp) of one worker process: a fresh folder per process inside the platform's
   * sandbox folder, never the user's HOME. Logical instances sharing a process (past maxProcessesPerFunction) share it.
   */
  private sandbox(): Record<string, string> {
    if (!this.settings.sandboxRoot) return {};
    const tmp = join(this.settings.sandboxRoot, this.fn.config.FunctionName, `tmp-${++nextSandbox}`);
    mkdirSync(tmp, { recursive: true, mode: 0o700 });
    return { HOME: tmp, TMPDIR: tmp };
  }

  private env(): Record<string, string> {
    const c = this.fn.config;
    const role = this.settings.functionCredentials;
    return {
      ...(c.Environment?.Variables ?? {}),
      ...this.sandbox(),
      AWS_LAMBDA_FUNCTION_NAME: c.FunctionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(c.MemorySize),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_TIMEOUT: String(c.Timeout),
      AWS_REGION: this.settings.region,
      AWS_DEFAULT_REGION: this.settings.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${c.Runtime}`,
      LAMBDA_TASK_ROOT: this.fn.codeDir,
      _HANDLER: c.Handler,
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${c.FunctionName}`,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      // Lambda's runtime folder and NODE_PATH (layers aside); the worker applies the same search order itself
      // (worker-sandbox.ts), as its process was started before the function was known.
      ...(RUNTIME_DIR ? { LAMBDA_RUNTIME_DIR: RUNTIME_DIR } : {}),
      NODE_PATH: [...(RUNTIME_DIR ? [join(RUNTIME_DIR, 'node_modules')] : []), this.fn.codeDir].join(':'),
      // The vCPU share Lambda gives this memory size; the platform's CPU governor holds the environment to it.
      PROPACK_VCPU_SHARE: vcpuShare(c.MemorySize).toFixed(3),
      PROPACK_CPU_ENFORCED: this.settings.governor?.active ? '1' : '0',
      PROPACK_LOCAL: '1',
      // Lambda hands every function its role's temporary credentials in its environment: here the
      // platform's function-role key, which the local S3 accepts and the Lambda API refuses.
      ...(role
        ? {
            AWS_ACCESS_KEY_ID: role.accessKeyId,
            AWS_SECRET_ACCESS_KEY: role.secretAccessKey,
            ...(role.sessionToken ? { AWS_SESSION_TOKEN: role.sessionToken } : {}),
          }
        : {}),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  }
}
