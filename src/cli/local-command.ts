import { startLocalPlatform, isPresetName, parseFaults, parseSeed, PRESETS, type LocalPlatformOptions } from '../local';

const USAGE =
  'usage: propack local start [--port N] [--preset instant|aws-2023|aws-2021] [--data-dir DIR] [--account-concurrency N] [--time-scale X] [--cpu-share lambda|host] [--faults crash=P,error=P,timeout=P,throttle=P,s3-error=P,slow-cold=P] [--seed N] [--drain-timeout S]';

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
  const { drainSeconds = 10, ...opts } = parsed;
  let platform;
  try {
    platform = await startLocalPlatform(opts);
  } catch (e) {
    process.stderr.write(`propack local: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  // Endpoints and the path of endpoint.json (mode 0600, holds the key): never the secret itself.
  process.stdout.write(
    JSON.stringify({
      lambda: platform.lambdaEndpoint,
      s3: platform.s3Endpoint,
      stepfunctions: platform.stepFunctionsEndpoint,
      region: platform.region,
      endpointFile: platform.endpointFile,
    }) + '\n',
  );
  await new Promise<void>((resolve) => {
    const first = () => {
      process.off('SIGINT', first);
      process.off('SIGTERM', first);
      // A second signal stops at once (workers and the S3 child exit when their IPC channel closes).
      process.on('SIGINT', () => process.exit(130));
      process.on('SIGTERM', () => process.exit(143));
      resolve();
    };
    process.on('SIGINT', first);
    process.on('SIGTERM', first);
  });
  const deadlineMs = drainSeconds * 1000;
  process.stderr.write(
    `propack local: stopping: waiting up to ${drainSeconds} s for running invocations and queued events (a second signal stops at once)\n`,
  );
  let hung: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    platform.stop(deadlineMs),
    new Promise<'hung'>((r) => {
      hung = setTimeout(() => r('hung'), deadlineMs + 5000);
    }),
  ]);
  clearTimeout(hung);
  if (outcome === 'hung') {
    process.stderr.write(`propack local: did not stop within ${drainSeconds + 5} s; exiting\n`);
    process.exit(1);
  }
  if (outcome.droppedEvents > 0)
    process.stderr.write(
      `propack local: dropped ${outcome.droppedEvents} queued Event invocation(s) at the ${drainSeconds} s drain deadline\n`,
    );
  // Everything is closed; should anything still hold the event loop, do not hang on it.
  setTimeout(() => process.exit(0), 2000).unref();
  return 0;
}

/** Parses the flags of `local start`; a string is the one-line reason they are wrong. */
export function parseArgs(args: string[]): (LocalPlatformOptions & { drainSeconds?: number }) | string {
  if (args[0] !== 'start') return `unknown subcommand "${args[0] ?? ''}"; ${USAGE}`;
  const opts: LocalPlatformOptions & { drainSeconds?: number } = {};
  for (let i = 1; i < args.length; i += 2) {
    const flag = args[i],
      value = args[i + 1];
    if (value === undefined) return `${flag} needs a value; ${USAGE}`;
    const num = Number(value);
    switch (flag) {
      case '--port':
        // Lambda on N, S3 on N+1, Step Functions on N+2.
        if (!Number.isInteger(num) || num < 0 || num > 65533) return `--port must be an integer from 0 to 65533, got "${value}"`;
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
      case '--drain-timeout':
        if (!(num >= 0) || num > 3600) return `--drain-timeout must be a number of seconds from 0 to 3600, got "${value}"`;
        opts.drainSeconds = num;
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
