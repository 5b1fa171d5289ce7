/** `propack import-artifact <dir> --app <name> [--scaling-apps a,b,c] --out <profile.json>` */
import { ArtifactError } from '../../core/artifact';
import { importArtifact } from '../../engine/artifact-import';
import { FileError } from '../../engine/files';
import { saveProfile } from '../../engine/profile-store';
import { parseArgs, required, UsageError } from '../args';

export const IMPORT_HELP = `Usage: propack import-artifact <dir> --app <name> [--scaling-apps a,b,c] --out <profile.json> [--json]

Reads ProPack's artifact layout (scaling_performance/<app>/..., packed_performance/<app>/...) and writes
a propack.profile/v1 file.
  --app NAME            the app whose packing profile and durations to import (video, sort, statelesscost, ...)
  --scaling-apps LIST   build the scaling curve from these apps' runs (ProPack's classic choice:
                        video,sort,statelesscost); default: the app's own runs
  --out FILE            where to write the profile (folders are created; written atomically)
  --json                print a JSON summary instead of a sentence`;

/** Runs the command; returns the exit code. */
export function runImportArtifact(argv: string[], out: (s: string) => void): number {
  const cmd = 'import-artifact';
  const args = parseArgs(cmd, argv, { values: ['app', 'scaling-apps', 'out'], booleans: ['json'], positionals: 1 });
  const dir = args.positionals[0];
  if (!dir) throw new UsageError(`${cmd}: the artifact folder is required (propack import-artifact <dir> --app NAME --out FILE)`);
  const app = required(args, cmd, 'app');
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
    const profile = importArtifact(dir, { app, scalingApps });
    saveProfile(outPath, profile);
    const summary = {
      out: outPath,
      function: profile.function.name,
      scalingRuns: profile.scaling.runs.length,
      packingDegrees: profile.packing.samples.length,
      clientOverheadS: profile.packing.clientOverheadS,
    };
    out(
      args.booleans.has('json')
        ? JSON.stringify(summary)
        : `Wrote ${outPath}: ${summary.scalingRuns} scaling runs, packing degrees 1..${summary.packingDegrees}, client overhead ${summary.clientOverheadS} s`,
    );
    return 0;
  } catch (e) {
    if (e instanceof FileError || e instanceof ArtifactError) throw new UsageError(`${cmd}: ${e.message}`);
    throw e;
  }
}
