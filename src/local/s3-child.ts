/**
 * Entry of the S3 child process: s3rver on 127.0.0.1, objects under the given directory. A child process
 * because s3rver's continuation tokens use DES, which Node 20 only has with `--openssl-legacy-provider`.
 * Argv: <port> <directory> [<connection limits JSON>]. Reports `{ port }` over IPC; a 'stop' message closes it and exits.
 */
import http from 'node:http';
import S3rver from 's3rver';
import { guardConnections, type ConnectionLimits } from './connection-guard';
import AWSAccount from 's3rver/lib/models/account';
import S3Error from 's3rver/lib/models/error';
import FilesystemStore from 's3rver/lib/stores/filesystem';
import { guardedResourcePath } from './s3-key-guard';
import { guardFilesystemStore } from './s3-store-guard';

// Accept any access key (as other local AWS stand-ins do): s3rver knows only S3RVER/S3RVER and does not
// check SigV4 signatures, so every key maps to its one dummy account.
const anyKey = AWSAccount.DUMMY_ACCOUNT;
AWSAccount.registry.get = () => anyKey;

// s3rver maps a key to a file path with path.join, so `../` segments wrote outside the data folder (found by
// the path-traversal test): keys with `.`/`..` segments are refused with 400 InvalidArgument instead.
const resourcePath = FilesystemStore.prototype.getResourcePath;
FilesystemStore.prototype.getResourcePath = function (this: FilesystemStore, bucket: string, key = '', resource?: string): string {
  return guardedResourcePath(bucket, key, (b, k) => resourcePath.call(this, b, k, resource), (m) => new S3Error('InvalidArgument', m, { ArgumentName: 'key' }));
};
guardFilesystemStore(); // upload ids, part numbers, buckets: every store path stays inside the data folder

const [port, directory, limits = '{}'] = process.argv.slice(2);
// s3rver makes its server inside run(): bound half-open connections on it before it listens.
const createHttpServer = http.createServer;
(http as { createServer: typeof http.createServer }).createServer = ((...a: Parameters<typeof http.createServer>) => {
  const s = createHttpServer(...a);
  guardConnections(s, JSON.parse(limits) as ConnectionLimits);
  return s;
}) as typeof http.createServer;
const server = new S3rver({ address: '127.0.0.1', port: Number(port), directory, silent: true });
server.run().then(
  (addr: { port: number }) => process.send?.({ port: addr.port }),
  (e: NodeJS.ErrnoException) => { process.send?.({ error: e.code === 'EADDRINUSE' ? `port ${port} is in use` : String(e.message) }); process.exit(2); },
);
process.on('message', (m) => {
  if (m === 'stop') void server.close().then(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0)); // the platform died: do not linger
