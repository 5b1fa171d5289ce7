// Child process running s3rver on 127.0.0.1 at an OS-chosen port; prints {"port":n} and lives until stdin closes.
import S3rver from 's3rver';

const [directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: true,
  configureBuckets: buckets.map((name) => ({ name, configs: [] })),
});
server.run().then(
  (addr: { port: number }) => {
    process.stdout.write(`${JSON.stringify({ port: addr.port })}\n`);
  },
  (err: unknown) => {
    process.stderr.write(`s3rver failed: ${String(err)}\n`);
    process.exit(1);
  },
);
// The parent closes stdin (or dies): stop serving.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
