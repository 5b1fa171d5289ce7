// "AWS" for the installed extension's AWS path: the embedded platform (`node dist/cli.js local start`) behind
// a small reverse proxy per service that records how each request was signed (access key id, region, service
// from the SigV4 Authorization header). The platform does not check signatures yet, so the proxy is what lets
// a test prove the credentials came from the SDK's provider chain (the profile in ~/.aws), not from anywhere else.
// GET <proxy>/__propack-test/signatures answers { signed, unsigned, scopes: ["<key id>/<region>/<service>", ...] }.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { onCleanup } from './cleanup.mjs';
import { REPO } from './tools.mjs';

export const SIGNATURES_PATH = '/__propack-test/signatures';
const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** Starts `propack local start` (data under `dataDir`) and resolves to its endpoints line. */
function startPlatform(dataDir, preset) {
  const child = spawn(process.execPath, [join(REPO, 'dist', 'cli.js'), 'local', 'start', '--port', '0', '--preset', preset, '--data-dir', dataDir], {
    cwd: dataDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The platform needs no AWS settings of its own; it must not see the developer's either.
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))),
  });
  onCleanup(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const gone = await new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), 10_000);
      child.once('exit', () => (clearTimeout(t), resolve(true)));
    });
    if (!gone) child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`propack local start printed no endpoints in 30 s: ${stderr}`)), 30_000);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`propack local start exited with ${code}: ${stderr}`))));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`propack local start printed ${line}`));
      }
    });
  });
}

/** A reverse proxy to `target` that records the signature scope of every request; resolves to its URL. */
function recordingProxy(target, record) {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const server = http.createServer((req, res) => {
    if (req.url === SIGNATURES_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ signed: record.signed, unsigned: record.unsigned, scopes: [...record.scopes] }));
      return;
    }
    const m = CREDENTIAL.exec(req.headers.authorization ?? '');
    if (m) {
      record.signed++;
      record.scopes.add(`${m[1]}/${m[2]}/${m[3]}`);
    } else {
      record.unsigned++;
    }
    const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host }, agent }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(e.message));
    });
    req.pipe(out);
  });
  onCleanup(() => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
    agent.destroy();
  }));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}

/**
 * Starts the platform and one proxy per service. `lambda`/`s3`: the proxies' URLs (what AWS_ENDPOINT_URL_*
 * point at); `platform`: the platform's own endpoints (to look at what was deployed without being recorded).
 */
export async function startAwsStandIn(dataDir, { preset = 'aws-2023' } = {}) {
  const t0 = Date.now();
  const platform = await startPlatform(dataDir, preset);
  const record = { signed: 0, unsigned: 0, scopes: new Set() };
  const [lambda, s3] = await Promise.all([recordingProxy(platform.lambda, record), recordingProxy(platform.s3, record)]);
  console.log(`[harness] AWS stand-in up in ${Date.now() - t0} ms: Lambda ${lambda} → ${platform.lambda}, S3 ${s3} → ${platform.s3}`);
  return { lambda, s3, platform, record };
}
