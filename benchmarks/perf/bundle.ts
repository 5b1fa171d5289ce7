/**
 * Bundling figures: esbuild bundle time (ms, median of 5 after one warm-up) and zip size (bytes) for the
 * fixture handlers of the node-bundle tests (TypeScript with a dependency and tsconfig paths, ESM with top-level
 * await, CommonJS), with the AWS SDK left to the runtime and bundled (bundleAwsSdk, the repository's SDK).
 * Run: `npm run build && npm run compile-tests && node out/benchmarks/perf/bundle.js`; writes benchmarks/perf/results/bundle.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { NodeBuildProperties } from '../../src/core/build-properties';
import { buildBundle } from '../../src/engine/bundle';
import { writeNodeProject } from '../../test/support/node-project';

const RUNS = 5;

async function measure(file: string, build?: NodeBuildProperties): Promise<{ medianMs: number; zipBytes: number; files: string[] }> {
  await buildBundle({ kind: 'file', file, ...(build ? { build } : {}) });
  const times: number[] = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    last = await buildBundle({ kind: 'file', file, ...(build ? { build } : {}) });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { medianMs: Math.round(times[Math.floor(RUNS / 2)] * 10) / 10, zipBytes: last?.zip.length ?? 0, files: last?.files ?? [] };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'propack-bench-bundle-'));
  try {
    const project = writeNodeProject(join(work, 'project'));
    // A handler importing the repository's real S3 client, to size bundleAwsSdk.
    const repoSdk = join(resolve(__dirname, '..', '..', '..'), 'bench-sdk.ts');
    writeFileSync(repoSdk, "import { S3Client } from '@aws-sdk/client-s3';\nexport const handler = async () => typeof S3Client;\n");
    const results = {
      'typescript (app.ts)': await measure(join(project, 'src', 'app.ts')),
      'esm top-level await (esm.mjs)': await measure(join(project, 'src', 'esm.mjs')),
      'commonjs (legacy.cjs)': await measure(join(project, 'src', 'legacy.cjs')),
      'S3 client, @aws-sdk external (default)': await measure(repoSdk),
      'S3 client, bundleAwsSdk': await measure(repoSdk, { bundleAwsSdk: true }),
      'S3 client, bundleAwsSdk + minify': await measure(repoSdk, { bundleAwsSdk: true, minify: true }),
    };
    rmSync(repoSdk, { force: true });
    const out = {
      schema: 'propack.bench-bundle/v1',
      node: process.version,
      runs: RUNS,
      note: 'medianMs: buildBundle wall time (esbuild + zip), one warm-up excluded',
      results,
    };
    const dir = resolve(__dirname, '..', '..', '..', 'benchmarks', 'perf', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bundle.json'), `${JSON.stringify(out, null, 2)}\n`);
    console.log(JSON.stringify(out, null, 2));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
