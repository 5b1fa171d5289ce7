import { randomBytes } from 'node:crypto';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';

/** An AWS access key pair (with a session token for the function role, as Lambda hands out). */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * The keys of one start of the platform: `admin` (the CLI's and the extension's clients; both servers
 * accept it) and `function` (handed to every function invocation like an execution role's temporary
 * credentials; S3 accepts it, the Lambda API does not).
 */
export interface PlatformKeys {
  admin: AccessKey;
  function: AccessKey;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `prefix` + 16 random characters from AWS's access-key alphabet. */
function keyId(prefix: string): string {
  return prefix + [...randomBytes(16)].map((b) => BASE32[b & 31]).join('');
}

/** Fresh random keys (160-bit secrets from the OS generator). */
export function generateKeys(): PlatformKeys {
  return {
    admin: { accessKeyId: keyId('AKIA'), secretAccessKey: randomBytes(30).toString('base64') },
    function: {
      accessKeyId: keyId('ASIA'),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(48).toString('base64'),
    },
  };
}

/** What `<data-dir>/endpoint.json` holds: how a client reaches and authenticates to a running platform. */
export interface EndpointFile {
  schema: 'propack.local-endpoint/v1';
  lambda: string;
  s3: string;
  /** The Step Functions API (absent in files of platforms that predate it). */
  stepfunctions?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  pid: number;
  /** The platform's timeline file (core/timeline.ts records): clients map their times onto its clock. */
  timeline?: string;
}

/**
 * Writes `file` readable and writable by the user only (0600). An existing file is removed first, so a file
 * left by another start (or planted with wider permissions) is never reused: `wx` creates it afresh.
 */
export function writePrivateFile(file: string, text: string): void {
  rmSync(file, { force: true });
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
