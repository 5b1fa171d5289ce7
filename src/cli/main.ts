/** The `propack` command line: a thin front end over the engine and the core. */
import { UsageError } from './args';
import { ASL_HELP, runAsl } from './commands/asl';
import { DEMO_HELP, runDemoCommand } from './commands/demo';
import { DEPLOY_HELP, runDeploy } from './commands/deploy';
import { IMPORT_HELP, runImportArtifact } from './commands/import-artifact';
import { OPTIMIZE_HELP, runOptimize } from './commands/optimize';
import { PREDICT_HELP, runPredict } from './commands/predict';
import { PROFILE_HELP, runProfileCommand } from './commands/profile';
import { REPORT_HELP, runReportCommand } from './commands/report';
import { runWhatIf, WHATIF_HELP } from './commands/whatif';
import { RUN_HELP, runRunCommand } from './commands/run';
import { runLocalCommand } from './local-command';

type Command = {
  help: string;
  summary: string;
  run: (argv: string[], out: (s: string) => void, err: (s: string) => void) => number | Promise<number>;
};

const COMMANDS: Record<string, Command> = {
  'import-artifact': { help: IMPORT_HELP, summary: "turn ProPack's AWS measurements into a profile", run: runImportArtifact },
  optimize: { help: OPTIMIZE_HELP, summary: 'choose the packing degree for a concurrency and goal', run: runOptimize },
  predict: { help: PREDICT_HELP, summary: 'predict service time, scaling time and cost for (C, p)', run: runPredict },
  deploy: { help: DEPLOY_HELP, summary: 'bundle a handler with the packed runtime and create or update the function', run: runDeploy },
  profile: { help: PROFILE_HELP, summary: 'measure a deployed function and store its profile', run: runProfileCommand },
  report: { help: REPORT_HELP, summary: 'write the HTML report of a profile and its measured runs', run: runReportCommand },
  whatif: { help: WHATIF_HELP, summary: 'simulate provisioning and cost at concurrencies beyond the profile', run: runWhatIf },
  run: { help: RUN_HELP, summary: 'run tasks packed p per invocation, journaled and resumable', run: runRunCommand },
  asl: { help: ASL_HELP, summary: 'print the Step Functions Distributed Map (ASL or SAM) of a packed run', run: runAsl },
  demo: { help: DEMO_HELP, summary: 'run the whole pipeline on the local platform and write a report', run: runDemoCommand },
  local: {
    help: `Usage: propack local start [--port N] [--preset instant|aws-2023|aws-2021] [--data-dir DIR]
                          [--account-concurrency N] [--time-scale X] [--cpu-share lambda|host]
                          [--faults SPEC] [--seed N] [--drain-timeout S]

Starts the embedded Lambda + S3 platform on 127.0.0.1, prints one JSON line with its endpoints and serves
until SIGINT/SIGTERM, then drains in-flight invocations and queued events for at most --drain-timeout
seconds (default 10; what is still queued then is dropped) and exits 0; a second signal exits at once.
--port 0 picks free ports.
--cpu-share lambda (the default) gives an instance of M MB the CPU share Lambda would (M/1,769 vCPUs, at
most 6) however many run: past what this machine's cores can serve, the platform's clock slows and every
time it reports is on that emulated clock. host lets instances share the machine's cores as they come.
--faults injects seeded faults, each a probability: crash (process killed mid-task), error (Unhandled
function error), timeout, throttle (429), s3-error (500/503), slow-cold (10x init), e.g.
--faults crash=0.05,error=0.05,timeout=0.02,throttle=0.2,s3-error=0.01 --seed 7`,
    summary: 'start the embedded local Lambda + S3 platform',
    run: (argv) => runLocalCommand(argv),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'Usage: propack <command> [options]   (propack <command> --help for details)',
    '',
    ...Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(width)}  ${c.summary}`),
    '',
    'Times are seconds, costs US dollars. Exit code 0 on success, 2 on bad input.',
  ].join('\n');
}

/** Runs the CLI with argv (without node and script); returns the exit code. */
export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(usage());
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    err(`propack: unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(cmd.help);
    return 0;
  }
  try {
    return await cmd.run(rest, out, err);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`propack ${e.message}`);
      return 2;
    }
    err(`propack ${name}: ${(e as Error).message ?? String(e)}`.split('\n')[0]);
    return 1;
  }
}

if (require.main === module) {
  // The @aws-sdk versions are pinned on purpose while we run on Node 20 (see README): skip the SDK's notice.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // A reader that stops early (`propack … | head`) closes the pipe: stop printing, but let the command finish
  // (a run keeps dispatching and saving its record) instead of dying on EPIPE with a stack trace.
  let stdoutOpen = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stdoutOpen = false;
  });
  main(
    process.argv.slice(2),
    (s) => {
      if (stdoutOpen) process.stdout.write(s + '\n');
    },
    (s) => process.stderr.write(s + '\n'),
  ).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`propack: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
