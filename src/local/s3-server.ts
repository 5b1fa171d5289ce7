import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { ConnectionLimits } from './connection-guard';
import type { AccessKey } from './credentials';
import { entryFile } from './entry-files';

/** The platform's clock as the S3 child follows it: the rate now, and each change. */
export interface RateSource {
  readonly rate: number;
  onRate(listener: (rate: number) => void): () => void;
}

/** A running S3 stand-in (s3rver in a child process). */
export interface S3Server {
  endpoint: string;
  /** Closes the server and waits for the child to exit. */
  stop(): Promise<void>;
}

/**
 * Starts s3rver on 127.0.0.1:`port` (0 = free) with objects persisted under `directory`, accepting requests
 * signed with one of `keys` and addressed to its own port, or to `publicPort` (a proxy in front of it).
 */
export function startS3Server(
  port: number,
  directory: string,
  keys: AccessKey[],
  publicPort?: number,
  limits: ConnectionLimits = {},
  clock?: RateSource,
): Promise<S3Server> {
  mkdirSync(directory, { recursive: true });
  const child = fork(entryFile('s3-child'), [String(port), directory, JSON.stringify(limits)], {
    execArgv: ['--openssl-legacy-provider'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  child.send({ keys, ...(publicPort ? { publicPort } : {}) }); // over IPC: never in argv or env
  // Its connection timeouts run on the platform's emulated clock: the child follows the clock's rate.
  const sendRate = (rate: number): void => {
    if (child.connected) child.send({ rate });
  };
  if (clock && clock.rate !== 1) sendRate(clock.rate);
  const unsubscribe = clock?.onRate(sendRate);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const exited = new Promise<void>((r) =>
    child.once('exit', () => {
      unsubscribe?.();
      r();
    }),
  );
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port?: number; error?: string }) => {
      if (m.error || !m.port) return reject(new Error(`S3 server: ${m.error ?? 'no port reported'}`));
      resolve({
        endpoint: `http://127.0.0.1:${m.port}`,
        stop: async () => {
          if (child.connected) child.send('stop');
          await exited;
        },
      });
    });
    child.once('exit', (code) =>
      reject(new Error(`S3 server exited (code ${code}) before it started: ${stderr.trim().split('\n').pop() ?? ''}`)),
    );
  });
}
