import { startLocalPlatform, isPresetName, parseFaults, parseSeed, PRESETS, type LocalPlatformOptions } from '../local';

const USAGE = 'usage: propack local start [--port N] [--preset instant|aws-2023|aws-2021] [--data-dir DIR] [--account-concurrency N] [--time-scale X] [--cpu-share host|lambda] [--faults crash=P,error=P,timeout=P,throttle=P,s3-error=P,slow-cold=P] [--seed N]';

/**
 * `propack local start ...`: prints one JSON line with the endpoints and the path of endpoint.json (the key
 * of this start; clients read it, e.g. PROPACK_ENDPOINT_FILE=<path> propack run ...), serves until
 * SIGINT/SIGTERM; returns the exit code.
 */
export async function runLocalCommand(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    process.stderr.write(`propack local: ${parsed}\n`);
    return 2;
  }
  let platform;
  try {
    platform = await startLocalPlatform(parsed);
  } catch (e) {
    process.stderr.write(`propack local: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  // Endpoints and the path of endpoint.json (mode 0600, holds the key): never the secret itself.
  process.stdout.write(JSON.stringify({ lambda: platform.lambdaEndpoint, s3: platform.s3Endpoint, region: platform.region, endpointFile: platform.endpointFile }) + '\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await platform.stop();
  return 0;
}

/** Parses the flags of `local start`; a string is the one-line reason they are wrong. */
export function parseArgs(args: string[]): LocalPlatformOptions | string {
  if (args[0] !== 'start') return `unknown subcommand "${args[0] ?? ''}"; ${USAGE}`;
  const opts: LocalPlatformOptions = {};
  for (let i = 1; i < args.length; i += 2) {
    const flag = args[i], value = args[i + 1];
    if (value === undefined) return `${flag} needs a value; ${USAGE}`;
    const num = Number(value);
    switch (flag) {
      case '--port':
        if (!Number.isInteger(num) || num < 0 || num > 65534) return `--port must be an integer from 0 to 65534, got "${value}"`;
        opts.port = num;
        break;
      case '--preset':
        if (!isPresetName(value)) return `--preset must be one of ${Object.keys(PRESETS).join(', ')}, got "${value}"`;
        opts.preset = value;
        break;
      case '--data-dir':
        opts.dataDir = value;
        break;
      case '--account-concurrency':
        if (!Number.isInteger(num) || num < 1) return `--account-concurrency must be a positive integer, got "${value}"`;
        opts.accountConcurrency = num;
        break;
      case '--time-scale':
        if (!(num > 0)) return `--time-scale must be a number above 0, got "${value}"`;
        opts.timeScale = num;
        break;
      case '--cpu-share':
        if (value !== 'host' && value !== 'lambda') return `--cpu-share must be host or lambda, got "${value}"`;
        opts.enforceCpu = value === 'lambda';
        break;
      case '--faults':
      case '--seed':
        try {
          if (flag === '--faults') opts.faults = parseFaults(value);
          else opts.seed = parseSeed(value);
        } catch (e) {
          return (e as Error).message;
        }
        break;
      default:
        return `unknown flag "${flag}"; ${USAGE}`;
    }
  }
  return opts;
}
