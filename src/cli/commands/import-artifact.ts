/** `propack import-artifact <dir> --app <name> [--scaling-apps a,b,c] [--platform aws|funcx] --out <profile.json>` */
import { ArtifactError } from '../../core/artifact';
import { measurementCaveat } from '../../core/profile';
import type { Profile } from '../../core/types';
import { importArtifact, importFuncx } from '../../engine/artifact-import';
import { FileError } from '../../engine/files';
import { saveProfile } from '../../engine/profile-store';
import { choice, parseArgs, positiveInt, required, UsageError, type ParsedArgs } from '../args';

export const IMPORT_HELP = `Usage: propack import-artifact <dir> --app <name> [--scaling-apps a,b,c] --out <profile.json> [--json]
       propack import-artifact <dir> --platform funcx [--workers 96|48|1] [--app statelesscost] --out <profile.json>

Reads ProPack's artifact layout (scaling_performance/<app>/..., packed_performance/<app>/...) and writes
a propack.profile/v1 file.
  --app NAME            the app whose packing profile and durations to import (video, sort, statelesscost, ...)
  --scaling-apps LIST   build the scaling curve from these apps' runs (ProPack's classic choice:
                        video,sort,statelesscost); default: the app's own runs
  --platform P          aws (default): ProPack's AWS Lambda runs; funcx: a funcX endpoint's scaling runs
                        (funcX/data/results.txt) with the AWS packing of --app (default statelesscost), as
                        ProPack's paper modelled funcX. Its cost is the AWS Lambda price of the same compute
                        (funcX bills no GB-s), and the profile and every prediction from it say "modelled"
  --workers W           funcx: the endpoint's workers, which runs to use and its concurrency limit (default 96)
  --out FILE            where to write the profile (folders are created; written atomically)
  --json                print a JSON summary instead of a sentence`;

/** The profile the flags ask for: an AWS app, or a funcX endpoint (scaling on funcX, packing from AWS). */
function importFor(args: ParsedArgs, cmd: string, dir: string, scalingApps: string[] | undefined): Profile {
  const platform = choice(args, cmd, 'platform', ['aws', 'funcx'] as const, 'aws');
  if (platform === 'aws') {
    if (args.flags.has('workers')) throw new UsageError(`${cmd}: --workers needs --platform funcx`);
    return importArtifact(dir, { app: required(args, cmd, 'app'), scalingApps });
  }
  if (scalingApps) throw new UsageError(`${cmd}: --scaling-apps does not apply to --platform funcx (its scaling runs are funcX's)`);
  return importFuncx(dir, { app: args.flags.get('app') ?? 'statelesscost', workers: positiveInt(args, cmd, 'workers', 1_000_000, 96) });
}

/** Runs the command; returns the exit code. */
export function runImportArtifact(argv: string[], out: (s: string) => void): number {
  const cmd = 'import-artifact';
  const args = parseArgs(cmd, argv, { values: ['app', 'scaling-apps', 'out', 'platform', 'workers'], booleans: ['json'], positionals: 1 });
  const dir = args.positionals[0];
  if (!dir) throw new UsageError(`${cmd}: the artifact folder is required (propack import-artifact <dir> --app NAME --out FILE)`);
  const outPath = required(args, cmd, 'out');
  const scalingApps = args.flags
    .get('scaling-apps')
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (args.flags.has('scaling-apps') && (!scalingApps || scalingApps.length === 0)) {
    throw new UsageError(`${cmd}: --scaling-apps needs a comma-separated list of apps`);
  }
  try {
    const profile = importFor(args, cmd, dir, scalingApps);
    saveProfile(outPath, profile);
    const caveat = measurementCaveat(profile);
    const summary = {
      out: outPath,
      function: profile.function.name,
      scalingRuns: profile.scaling.runs.length,
      packingDegrees: profile.packing.samples.length,
      clientOverheadS: profile.packing.clientOverheadS,
      ...(profile.source.platform ? { platform: profile.source.platform } : {}),
      ...(profile.concurrencyLimit !== undefined ? { concurrencyLimit: profile.concurrencyLimit } : {}),
      ...(caveat ? { modelled: profile.source.modelled } : {}),
    };
    out(
      args.booleans.has('json')
        ? JSON.stringify(summary)
        : `Wrote ${outPath}: ${summary.scalingRuns} scaling runs, packing degrees 1..${summary.packingDegrees}, client overhead ${summary.clientOverheadS} s` +
            (caveat ? `\n  note: ${caveat}` : ''),
    );
    return 0;
  } catch (e) {
    if (e instanceof FileError || e instanceof ArtifactError) throw new UsageError(`${cmd}: ${e.message}`);
    throw e;
  }
}
