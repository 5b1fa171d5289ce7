/** `--platform local|aws` and friends: one place that turns flags into a connected engine session. */
import { FileTimeline } from '../platform/timeline-file';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOCAL_PLATFORM_FOLDER } from '../core/workspace-layout';
import { openSession, type Session } from '../engine/session';
import { isPresetName, PRESETS, startLocalPlatform, type LocalPlatform } from '../local';
import { localTarget, type LocalTarget, type PlatformTarget } from '../platform';
import { choice, UsageError, type ParsedArgs } from './args';

/** Flags every command that talks to a platform accepts. */
export const PLATFORM_FLAGS = ['platform', 'aws-profile', 'region', 'data-dir', 'preset', 'time-scale', 'cpu-share'] as const;

export const PLATFORM_HELP = `Platform (default: the embedded local platform, kept in .propack/local so deployed functions persist;
or a running "propack local start": PROPACK_ENDPOINT_FILE=<the endpoint.json it printed> (endpoints and key),
or AWS_ENDPOINT_URL_LAMBDA/AWS_ENDPOINT_URL_S3 [/AWS_ENDPOINT_URL_SFN] with its key in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY):
  --platform local|aws   --aws-profile NAME --region R (credentials from the SDK provider chain: env, SSO, profiles)
  --data-dir DIR --preset aws-2021|aws-2023|instant --time-scale X (embedded local platform only)
  --cpu-share lambda|host (embedded: lambda, the default, gives an instance of M MB Lambda's M/1,769 vCPUs
   however many run; host lets instances share this machine's cores as they come)`;

export interface Connection {
  session: Session;
  /** For people: `local (aws-2021)`, `local 127.0.0.1:P`, `aws:<profile>@<region>`. */
  label: string;
  close(): Promise<void>;
}

/**
 * The running platform the environment names, if any: PROPACK_ENDPOINT_FILE (the endpoint.json `local start`
 * printed: endpoints and key), else the SDK's standard endpoint variables (Lambda and S3 both set; Step
 * Functions' AWS_ENDPOINT_URL_SFN optional) with the platform's key in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.
 * Never a profile: the local platform has keys of its own.
 */
export function envLocalTarget(region?: string): LocalTarget | undefined {
  const file = process.env.PROPACK_ENDPOINT_FILE;
  if (file) return readEndpointFile(file, region);
  const lambda = process.env.AWS_ENDPOINT_URL_LAMBDA;
  const s3 = process.env.AWS_ENDPOINT_URL_S3;
  const sfn = process.env.AWS_ENDPOINT_URL_SFN;
  if (!lambda || !s3) return undefined;
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID,
    secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new UsageError(
      'AWS_ENDPOINT_URL_LAMBDA/AWS_ENDPOINT_URL_S3 name a running platform but no key is set: set PROPACK_ENDPOINT_FILE to the endpoint.json "propack local start" printed (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY to its key)',
    );
  }
  return {
    kind: 'local',
    lambdaEndpoint: lambda,
    s3Endpoint: s3,
    ...(sfn ? { stepFunctionsEndpoint: sfn } : {}),
    region: region ?? process.env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId, secretAccessKey },
  };
}

/** The target in a running platform's endpoint.json; a missing or malformed file is a one-line UsageError. */
export function readEndpointFile(file: string, region?: string): LocalTarget {
  let e: Partial<Record<'lambda' | 's3' | 'stepfunctions' | 'region' | 'accessKeyId' | 'secretAccessKey' | 'timeline', unknown>>;
  try {
    e = JSON.parse(readFileSync(file, 'utf8')) as typeof e;
  } catch (err) {
    throw new UsageError(
      `cannot read the local platform's endpoint file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (is "propack local start" running?)' : (err as Error).message}`,
    );
  }
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const [lambda, s3, accessKeyId, secretAccessKey] = [str(e?.lambda), str(e?.s3), str(e?.accessKeyId), str(e?.secretAccessKey)];
  if (!lambda || !s3 || !accessKeyId || !secretAccessKey)
    throw new UsageError(`${file} is not a ProPack endpoint file (lambda, s3, accessKeyId, secretAccessKey)`);
  const timeline = str(e.timeline);
  const sfn = str(e.stepfunctions); // absent in files of platforms that predate it
  return {
    kind: 'local',
    lambdaEndpoint: lambda,
    s3Endpoint: s3,
    ...(sfn ? { stepFunctionsEndpoint: sfn } : {}),
    region: region ?? str(e.region) ?? 'us-east-1',
    credentials: { accessKeyId, secretAccessKey },
    // The platform's emulated clock, so this process's times land on the timeline its REPORT lines use.
    ...(timeline ? { timeline: new FileTimeline(timeline) } : {}),
  };
}

/** The SDK target of an embedded platform. */
export function localTargetOf(p: LocalPlatform): LocalTarget {
  return localTarget(p);
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
    const enforceCpu = choice(args, command, 'cpu-share', ['host', 'lambda'] as const, 'lambda') === 'lambda';
    local = await startLocalPlatform({
      preset,
      timeScale: ts,
      enforceCpu,
      dataDir: resolve(args.flags.get('data-dir') ?? join(LOCAL_PLATFORM_FOLDER)),
    });
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
