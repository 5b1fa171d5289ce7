import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A running s3rver child process whose endpoint is exported to AWS_ENDPOINT_URL_S3. */
export interface LocalS3 {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts s3rver in a child process on 127.0.0.1 (port chosen by the OS) with the given buckets, and
 * points the real S3 client at it through the environment (inherited by worker threads made later).
 */
export async function startLocalS3(buckets: string[]): Promise<LocalS3> {
  const dir = mkdtempSync(join(tmpdir(), 'propack-s3-'));
  // --openssl-legacy-provider: s3rver's paged listings need MD5-based tokens that Node 20 disables.
  const child: ChildProcess = spawn(process.execPath, ['--openssl-legacy-provider', join(__dirname, 's3rver-child.js'), dir, ...buckets], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (l) => {
      rl.close();
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited early with code ${code}`)));
  });
  const { port } = JSON.parse(line) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  process.env.AWS_ENDPOINT_URL_S3 = endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  process.env.AWS_REGION = 'us-east-1';
  return {
    endpoint,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin!.end();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
