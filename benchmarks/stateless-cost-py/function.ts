/**
 * The Python workloads (the stateless-cost pipeline with Pillow, and a pure-Python CPU loop): where their
 * handler files are, what their python3 needs, and how to deploy one packed on a platform.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { buildBundle } from '../../src/engine/bundle';
import type { PythonMode } from '../../src/engine/bundle-python';
import { deployFunction, LOCAL_ROLE } from '../../src/engine/deploy';
import { pythonExecutable } from '../../src/local/python';

export type PythonWorkload = 'stateless-cost-py' | 'python-cpu';

/** Modules the workloads import beyond the standard library (a Lambda layer on AWS). */
const NEEDED_MODULES: Record<PythonWorkload, string[]> = { 'stateless-cost-py': ['PIL', 'boto3'], 'python-cpu': [] };

/** The handler file (`app.py`) of a workload: beside this module in the sources, or in them when this runs compiled under out/. */
export function pythonWorkloadHandler(workload: PythonWorkload): string {
  const here = join(__dirname, '..', workload, 'app.py');
  return existsSync(here) ? here : resolve(__dirname, '..', '..', '..', 'benchmarks', workload, 'app.py');
}

/** Why the embedded platform's python3 cannot run `workload` (a missing module), or undefined when it can. */
export function pythonWorkloadUnavailable(workload: PythonWorkload): string | undefined {
  const python = pythonExecutable();
  if (!python) return 'no python3 found (PROPACK_PYTHON, /usr/bin/python3 or PATH): run `bash scripts/install-test-tools.sh`';
  const modules = NEEDED_MODULES[workload];
  if (modules.length === 0) return undefined;
  const r = spawnSync(python, ['-I', '-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
  if (r.status === 0) return undefined;
  const last = (r.stderr || r.error?.message || '').trim().split('\n').pop();
  return `${python} cannot import ${modules.join(' and ')} (${last}): run \`bash scripts/install-test-tools.sh\`, which installs python3-pil and python3-boto3`;
}

/** Bundles `workload` with the packed Python runtime and deploys it as `name` (memory in MB, timeout 60 s) with the local S3 endpoint. */
export async function deployPythonWorkload(
  lambda: LambdaClient,
  opts: { workload: PythonWorkload; name: string; mode: PythonMode; memoryMb: number; s3Endpoint: string },
): Promise<void> {
  const bundle = await buildBundle({ kind: 'file', file: pythonWorkloadHandler(opts.workload), mode: opts.mode });
  await deployFunction(lambda, bundle, {
    name: opts.name,
    memoryMb: opts.memoryMb,
    architecture: 'x86_64',
    timeoutS: 60,
    role: LOCAL_ROLE,
    environment: { AWS_ENDPOINT_URL_S3: opts.s3Endpoint },
  });
}
