import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { ConnectionLimits } from './connection-guard';
import type { AccessKey } from './credentials';
import { entryFile } from './entry-files';

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
): Promise<S3Server> {
  mkdirSync(directory, { recursive: true });
  const child = fork(entryFile('s3-child'), [String(port), directory, JSON.stringify(limits)], {
    execArgv: ['--openssl-legacy-provider'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  child.send({ keys, ...(publicPort ? { publicPort } : {}) }); // over IPC: never in argv or env
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
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
