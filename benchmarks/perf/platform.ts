/**
 * `npm run bench:platform`: throughput of the local Lambda platform vs a bare node:http server answering the
 * same Invoke path (same SDK client, same run), 5,000 invocations in flight, and the platform's peak memory
 * at 1,000 instances. Writes benchmarks/perf/results/platform.json and prints a Markdown table.
 */
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, tmpdir } from 'node:os';
import { zipSync, strToU8 } from 'fflate';
import { CreateFunctionCommand, InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import { startLocalPlatform, type LocalPlatform } from '../../src/local';
import { NodeSha256 } from '../../src/local/request-auth';
import { createLambdaClient, localTarget } from '../../src/platform';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const LEVELS = [1, 64, 1000];
const IN_FLIGHT = 5000;

/**
 * Sustained invokes/s with `inFlight` loops each POSTing Invoke back to back for `seconds`. A raw keep-alive
 * node:http client, not the SDK: the SDK costs about 3 ms of CPU per request on this machine and would
 * measure itself rather than the servers.
 */
async function throughput(
  endpoint: string,
  fn: string,
  inFlight: number,
  seconds: number,
  key: { accessKeyId: string; secretAccessKey: string },
): Promise<{ perSecond: number; errors: number }> {
  const url = new URL(`/2015-03-31/functions/${fn}/invocations`, endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  // Signed once (the platform verifies SigV4): the signature stays valid for its 15-minute window, so the
  // loop measures the servers (verification included), not the client's signing.
  const signer = new SignatureV4({ credentials: key, region: 'us-east-1', service: 'lambda', sha256: NodeSha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: {},
    headers: { host: url.host, 'content-type': 'application/json' },
    body: '{}',
  });
  const headers = signed.headers;
  let done = 0,
    errors = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  const once = () =>
    new Promise<boolean>((resolve) => {
      const req = request(url, { method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200 && !res.headers['x-amz-function-error']));
      });
      req.on('error', () => resolve(false));
      req.end('{}');
    });
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        if (await once()) done++;
        else errors++;
      }
    }),
  );
  agent.destroy();
  return { perSecond: done / ((performance.now() - t0) / 1000), errors };
}

/** A bare server answering Invoke like the platform does for a no-op handler. */
function bareServer(): Promise<Server> {
  const server = createServer({ keepAlive: true }, (req, res) => {
    req.resume();
    req.on('end', () =>
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '4', 'X-Amz-Executed-Version': '$LATEST' }).end('null'),
    );
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((r) => server.listen(0, '127.0.0.1', 8192, () => r(server)));
}

/** RSS (MB) of this process and of its child processes (workers + S3), read from /proc. */
function rssMb(): { main: number; children: number } {
  const kb = (pid: string) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  let children = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      if (ppid === String(process.pid)) children += kb(pid);
    } catch {
      // the process ended while we looked
    }
  }
  return { main: kb(String(process.pid)) / 1024, children: children / 1024 };
}

async function deploy(client: LambdaClient, name: string, source: string): Promise<void> {
  await client.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::123456789012:role/bench',
      Timeout: 60,
      Code: { ZipFile: zipSync({ 'index.js': strToU8(source) }) },
    }),
  );
}

/**
 * `n` invocations of a fresh function through the SDK, each held open by a gate until all `n` are in flight
 * together (so `n` instances exist); every one must then return its own index (no error, no loss).
 */
async function inFlightRun(client: LambdaClient, platform: LocalPlatform, n: number): Promise<Record<string, number>> {
  const gate = join(mkdtempSync(join(tmpdir(), 'propack-bench-')), 'open');
  const fn = `hold-${n}`;
  await deploy(
    client,
    fn,
    `const fs = require('node:fs');
    exports.handler = async (e) => { while (!fs.existsSync(e.gate)) await new Promise((r) => setTimeout(r, 50)); return e.i; };`,
  );
  const t0 = performance.now();
  const calls = Promise.allSettled(
    Array.from({ length: n }, (_, i) => client.send(new InvokeCommand({ FunctionName: fn, Payload: JSON.stringify({ i, gate }) }))),
  );
  let peak = 0,
    peakMain = 0,
    peakChildren = 0;
  while (peak < n && performance.now() - t0 < 120_000) {
    await new Promise((r) => setTimeout(r, 100)); // sampling counters and RSS, not standing in for synchronization
    peak = Math.max(peak, platform.counts().inflight);
    const r = rssMb();
    peakMain = Math.max(peakMain, r.main);
    peakChildren = Math.max(peakChildren, r.children);
  }
  const c = platform.counts();
  const allInFlightS = (performance.now() - t0) / 1000;
  writeFileSync(gate, '');
  const results = await calls;
  let ok = 0,
    errors = 0,
    lost = 0;
  results.forEach((r, i) => {
    if (r.status === 'rejected' || r.value.FunctionError) errors++;
    else if (JSON.parse(Buffer.from(r.value.Payload ?? []).toString()) === i) ok++;
    else lost++;
  });
  return {
    invocations: n,
    ok,
    errors,
    lost,
    peakInFlight: peak,
    secondsUntilAllInFlight: +allInFlightS.toFixed(2),
    secondsTotal: +((performance.now() - t0) / 1000).toFixed(2),
    instances: c.instances,
    workerProcesses: c.processes,
    peakMainRssMb: Math.round(peakMain),
    peakChildrenRssMb: Math.round(peakChildren),
    peakTotalRssMb: Math.round(peakMain + peakChildren),
  };
}

async function main(): Promise<void> {
  const platform = await startLocalPlatform({ preset: 'instant', accountConcurrency: 10_000, enforceCpu: false });
  const target = localTarget(platform);
  const client = createLambdaClient(target, { maxAttempts: 1, maxSockets: 6000 });
  const bare = await bareServer();
  const bareEndpoint = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  await deploy(client, 'noop', 'exports.handler = async () => null;');

  const rows: Record<string, number>[] = [];
  for (const level of LEVELS) {
    const key = platform.credentials;
    await throughput(platform.lambdaEndpoint, 'noop', level, 0.5, key); // warm-up: instances exist before measuring
    await throughput(bareEndpoint, 'noop', level, 0.5, key);
    const local = await throughput(platform.lambdaEndpoint, 'noop', level, SECONDS, key);
    const base = await throughput(bareEndpoint, 'noop', level, SECONDS, key);
    rows.push({
      inFlight: level,
      localPerSecond: Math.round(local.perSecond),
      barePerSecond: Math.round(base.perSecond),
      ratio: +(local.perSecond / base.perSecond).toFixed(3),
      localErrors: local.errors,
      bareErrors: base.errors,
    });
  }
  const at1000 = await inFlightRun(client, platform, 1000);
  const inFlight = await inFlightRun(client, platform, IN_FLIGHT);
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    secondsPerLevel: SECONDS,
    throughput: rows,
    inFlight5000: inFlight,
    memoryAt1000Instances: at1000,
    rssNote: 'main = platform + benchmark SDK client (same process); children = worker processes (spares included) + the s3rver child',
  };
  client.destroy();
  bare.close();
  await platform.stop();
  mkdirSync(join('benchmarks', 'perf', 'results'), { recursive: true });
  writeFileSync(join('benchmarks', 'perf', 'results', 'platform.json'), JSON.stringify(result, null, 2) + '\n');
  console.log('| in flight | local invokes/s | bare node:http invokes/s | ratio | errors |\n|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.inFlight} | ${r.localPerSecond} | ${r.barePerSecond} | ${r.ratio} | ${r.localErrors} |`);
  console.log(JSON.stringify({ inFlight5000: result.inFlight5000, memoryAt1000Instances: result.memoryAt1000Instances }));
  const failed = inFlight.ok !== IN_FLIGHT || at1000.ok !== 1000;
  process.exit(failed ? 1 : 0);
}

main().catch((e: unknown) => {
  console.error(`bench:platform failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
