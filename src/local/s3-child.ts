/**
 * Entry of the S3 child process: s3rver on 127.0.0.1, objects under the given directory. A child process
 * because s3rver's continuation tokens use DES, which Node 20 only has with `--openssl-legacy-provider`.
 * Argv: <port> <directory> [<connection limits JSON>]. Waits for its keys over IPC (`{ keys, publicPort? }`:
 * never argv or env, which other processes can read), reports `{ port }`; a 'stop' message closes it and
 * exits; `{ rate }` messages follow the platform's emulated clock, which its connection timeouts run on. Every request passes the authentication gate (s3-auth.ts) before s3rver sees it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import S3rver from 's3rver';
import { guardConnections, type ConnectionLimits } from './connection-guard';
import AWSAccount from 's3rver/lib/models/account';
import S3Error from 's3rver/lib/models/error';
import FilesystemStore from 's3rver/lib/stores/filesystem';
import type { AccessKey } from './credentials';
import { S3Auth } from './s3-auth';
import { guardedResourcePath } from './s3-key-guard';
import { guardFilesystemStore } from './s3-store-guard';

// s3rver knows only S3RVER/S3RVER: every key maps to its one dummy account, and the gate in front of it
// (S3Auth) has already verified the request's signature against the platform's keys.
const anyKey = AWSAccount.DUMMY_ACCOUNT;
AWSAccount.registry.get = () => anyKey;

// s3rver maps a key to a file path with path.join, so `../` segments wrote outside the data folder (found by
// the path-traversal test): keys with `.`/`..` segments are refused with 400 InvalidArgument instead.
const resourcePath = FilesystemStore.prototype.getResourcePath;
FilesystemStore.prototype.getResourcePath = function (this: FilesystemStore, bucket: string, key = '', resource?: string): string {
  return guardedResourcePath(
    bucket,
    key,
    (b, k) => resourcePath.call(this, b, k, resource),
    (m) => new S3Error('InvalidArgument', m, { ArgumentName: 'key' }),
  );
};
guardFilesystemStore(); // upload ids, part numbers, buckets: every store path stays inside the data folder

const [port, directory, limits = '{}'] = process.argv.slice(2);

// A copy of the platform's emulated clock: real time at the rate the platform last sent.
let rate = 1;
let baseReal = performance.now();
let baseEmulated = baseReal;
const emulatedNowMs = (): number => baseEmulated + (performance.now() - baseReal) * rate;
function setRate(next: number): void {
  baseEmulated = emulatedNowMs();
  baseReal = performance.now();
  rate = next;
}

const server = new S3rver({ address: '127.0.0.1', port: Number(port), directory, silent: true });
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Starts s3rver, then puts the gate in front of its request handler. */
function start(keys: AccessKey[], publicPort: number | undefined): void {
  server.run().then(
    (addr: { port: number }) => {
      const httpServer = server.httpServer;
      const auth = new S3Auth(keys, publicPort ?? addr.port);
      const s3rverHandlers = httpServer.listeners('request') as Handler[];
      httpServer.removeAllListeners('request');
      httpServer.on(
        'request',
        (req: IncomingMessage, res: ServerResponse) =>
          void auth.admit(req, res).then((ok) => {
            if (ok) for (const h of s3rverHandlers) h(req, res);
          }),
      );
      // After the gate: the guard hears every request, refused or not. No client knows the port before this.
      guardConnections(httpServer, JSON.parse(limits) as ConnectionLimits, { nowMs: emulatedNowMs });
      process.send?.({ port: addr.port });
    },
    (e: NodeJS.ErrnoException) => {
      process.send?.({ error: e.code === 'EADDRINUSE' ? `port ${port} is in use` : String(e.message) });
      process.exit(2);
    },
  );
}

process.on('message', (m: 'stop' | { keys: AccessKey[]; publicPort?: number } | { rate: number }) => {
  if (m === 'stop') void server.close().then(() => process.exit(0));
  else if (typeof m === 'object' && 'rate' in m) {
    if (m.rate > 0 && m.rate <= 1) setRate(m.rate);
  } else if (typeof m === 'object') start(m.keys, m.publicPort);
});
process.on('disconnect', () => process.exit(0)); // the platform died: do not linger
