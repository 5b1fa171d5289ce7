/** `--platform local|aws` and friends: one place that turns flags into a connected engine session. */
import { join, resolve } from 'node:path';
import { openSession, type Session } from '../engine/session';
import { isPresetName, PRESETS, startLocalPlatform, type LocalPlatform } from '../local';
import type { LocalTarget, PlatformTarget } from '../platform';
import { choice, UsageError, type ParsedArgs } from './args';

/** Flags every command that talks to a platform accepts. */
export const PLATFORM_FLAGS = ['platform', 'aws-profile', 'region', 'data-dir', 'preset', 'time-scale', 'cpu-share'] as const;

export const PLATFORM_HELP = `Platform (default: the embedded local platform, kept in .propack/local so deployed functions persist;
or the one AWS_ENDPOINT_URL_LAMBDA/AWS_ENDPOINT_URL_S3 point at, e.g. a running "propack local start"):
  --platform local|aws   --aws-profile NAME --region R (credentials from the SDK provider chain: env, SSO, profiles)
  --data-dir DIR --preset aws-2021|aws-2023|instant --time-scale X (embedded local platform only)
  --cpu-share host|lambda (embedded: lambda limits an instance of M MB to Lambda's M/1,769 vCPUs)`;

export interface Connection {
  session: Session;
  /** For people: `local (aws-2021)`, `local 127.0.0.1:P`, `aws:<profile>@<region>`. */
  label: string;
  close(): Promise<void>;
}

/** A running platform named by the SDK's standard endpoint variables, if both are set. */
export function envLocalTarget(region?: string): LocalTarget | undefined {
  const lambda = process.env.AWS_ENDPOINT_URL_LAMBDA;
  const s3 = process.env.AWS_ENDPOINT_URL_S3;
  return lambda && s3 ? { kind: 'local', lambdaEndpoint: lambda, s3Endpoint: s3, region: region ?? process.env.AWS_REGION ?? 'us-east-1' } : undefined;
}

/** The SDK target of an embedded platform. */
export function localTargetOf(p: LocalPlatform): LocalTarget {
  return { kind: 'local', lambdaEndpoint: p.lambdaEndpoint, s3Endpoint: p.s3Endpoint, region: p.region };
}

/** Connects to the platform the flags name; starts the embedded one when needed. */
export async function connect(args: ParsedArgs, command: string): Promise<Connection> {
  const kind = choice(args, command, 'platform', ['local', 'aws'] as const, 'local');
  let target: PlatformTarget;
  let local: LocalPlatform | undefined;
  let label: string;
  if (kind === 'aws') {
    const region = args.flags.get('region') ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new UsageError(`${command}: --region is required with --platform aws (or set AWS_REGION)`);
    const profile = args.flags.get('aws-profile') ?? process.env.AWS_PROFILE;
    target = { kind: 'aws', region, ...(profile ? { profile } : {}) };
    label = `aws:${profile ?? 'default'}@${region}`;
  } else if (envLocalTarget()) {
    target = envLocalTarget(args.flags.get('region')) as LocalTarget;
    label = `local ${new URL(target.lambdaEndpoint).host}`;
  } else {
    const preset = args.flags.get('preset') ?? 'aws-2021';
    if (!isPresetName(preset)) throw new UsageError(`${command}: --preset must be ${Object.keys(PRESETS).join('|')}, got "${preset}"`);
    const ts = Number(args.flags.get('time-scale') ?? '1');
    if (!(ts > 0)) throw new UsageError(`${command}: --time-scale must be a number above 0`);
    const enforceCpu = choice(args, command, 'cpu-share', ['host', 'lambda'] as const, 'host') === 'lambda';
    local = await startLocalPlatform({ preset, timeScale: ts, enforceCpu, dataDir: resolve(args.flags.get('data-dir') ?? join('.propack', 'local')) });
    target = localTargetOf(local);
    label = `local (${preset})`;
  }
  const session = openSession(target);
  return {
    session,
    label,
    close: async () => {
      session.close();
      await local?.stop();
    },
  };
}
