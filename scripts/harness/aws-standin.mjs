// "AWS" for the installed extension's AWS path: the embedded platform (`node dist/cli.js local start`) behind
// a small reverse proxy per service that records how each request was signed (access key id, region, service
// from the SigV4 Authorization header), so a test can prove the credentials came from the SDK's provider chain
// (the profile in ~/.aws, which the harness fills with the platform's generated key from endpoint.json).
// The platform verifies signatures and answers only its own Host, so the proxy verifies each signed request
// with the platform's own verifier (out/src/local/request-auth.js) and re-signs it for the platform's host.
// GET <proxy>/__propack-test/signatures answers { signed, unsigned, scopes: ["<key id>/<region>/<service>", ...] };
// GET <proxy>/__propack-test/platform/<path> is a GET of <path> on the platform, signed, not recorded.
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { onCleanup } from './cleanup.mjs';
import { REPO } from './tools.mjs';

export const SIGNATURES_PATH = '/__propack-test/signatures';
export const PLATFORM_PATH = '/__propack-test/platform';
const require = createRequire(import.meta.url);
const { SignatureV4 } = require('@smithy/signature-v4');

/** node:crypto SHA-256/HMAC in the signer's hash interface. */
class Sha256 {
  constructor(secret) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret));
  }
  update(d) {
    this.h.update(typeof d === 'string' ? d : Buffer.from(d.buffer ?? d, d.byteOffset ?? 0, d.byteLength));
  }
  digest() {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
  reset() {}
}
const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** Starts `propack local start` (data under `dataDir`) and resolves to its endpoints line. */
function startPlatform(dataDir, preset) {
  const child = spawn(
    process.execPath,
    [join(REPO, 'dist', 'cli.js'), 'local', 'start', '--port', '0', '--preset', preset, '--data-dir', dataDir],
    {
      cwd: dataDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      // The platform needs no AWS settings of its own; it must not see the developer's either.
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))),
    },
  );
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

/** Headers of `req` re-signed with `key` for `upstream` (the signed header set and payload hash unchanged). */
async function resign(req, upstream, key, service, region, signedList) {
  const [path, qs = ''] = (req.url ?? '/').split('?');
  const query = {};
  for (const part of qs.split('&').filter(Boolean)) {
    const [k, v = ''] = part.split('=');
    query[decodeURIComponent(k)] = decodeURIComponent(v);
  }
  const signed = new Set(signedList);
  const headers = {};
  for (const [k, v] of Object.entries(req.headers))
    if (signed.has(k) || k === 'x-amz-content-sha256') headers[k] = Array.isArray(v) ? v.join(',') : v;
  headers.host = upstream.host;
  headers['x-amz-content-sha256'] ??= 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  signed.add('x-amz-content-sha256');
  const signer = new SignatureV4({
    credentials: key,
    region,
    service,
    sha256: Sha256,
    uriEscapePath: service !== 's3',
    applyChecksum: false,
  });
  const out = await signer.sign(
    { method: req.method, protocol: 'http:', hostname: upstream.hostname, port: Number(upstream.port), path, query, headers },
    { signableHeaders: signed },
  );
  const all = { ...req.headers };
  for (const k of ['authorization', 'x-amz-date', 'host']) delete all[k];
  return { ...all, ...out.headers };
}

/** A reverse proxy to `target` that records the signature scope of every request; resolves to its URL. */
function recordingProxy(target, record, key, Verifier) {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const server = http.createServer(async (req, res) => {
    if (req.url === SIGNATURES_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          signed: record.signed,
          unsigned: record.unsigned,
          badSignatures: record.badSignatures ?? 0,
          scopes: [...record.scopes],
        }),
      );
      return;
    }
    let headers = { ...req.headers, host: upstream.host };
    let path = req.url;
    if (req.url.startsWith(`${PLATFORM_PATH}/`)) {
      // The test looking at the platform directly: signed with its key, not recorded.
      path = req.url.slice(PLATFORM_PATH.length);
      const service = upstream.port === new URL(record.platform.lambda).port ? 'lambda' : 's3';
      const fake = {
        url: path,
        method: req.method,
        headers: { 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
      };
      headers = await resign(fake, upstream, key, service, 'us-east-1', ['host', 'x-amz-date']);
    } else {
      const m = CREDENTIAL.exec(req.headers.authorization ?? '');
      if (m) {
        record.signed++;
        record.scopes.add(`${m[1]}/${m[2]}/${m[3]}`);
        // Only a request the client signed correctly with the platform's key (from the profile) goes on re-signed.
        const verdict = await new Verifier([key], m[3]).verify(req);
        if (verdict.ok)
          headers = await resign(req, upstream, key, m[3], m[2], /SignedHeaders=([^,]+)/.exec(req.headers.authorization)[1].split(';'));
        else record.badSignatures = (record.badSignatures ?? 0) + 1;
      } else {
        record.unsigned++;
      }
    }
    const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path, headers, agent }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(e.message));
    });
    req.pipe(out);
  });
  onCleanup(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  );
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
  // The platform's generated key (never printed: read from the 0600 endpoint.json `local start` names).
  const endpoint = JSON.parse(readFileSync(platform.endpointFile, 'utf8'));
  const key = { accessKeyId: endpoint.accessKeyId, secretAccessKey: endpoint.secretAccessKey };
  const { SigV4Verifier } = require(join(REPO, 'out', 'src', 'local', 'request-auth.js'));
  const record = { signed: 0, unsigned: 0, scopes: new Set(), platform };
  const [lambda, s3] = await Promise.all([
    recordingProxy(platform.lambda, record, key, SigV4Verifier),
    recordingProxy(platform.s3, record, key, SigV4Verifier),
  ]);
  console.log(`[harness] AWS stand-in up in ${Date.now() - t0} ms: Lambda ${lambda} → ${platform.lambda}, S3 ${s3} → ${platform.s3}`);
  return { lambda, s3, platform, record, key };
}
