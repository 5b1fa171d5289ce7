/**
 * Converts ProPack's artifact measurements (text files, already read) into a profile. Pure: the engine
 * reads the files. Layout: scaling_performance/<app>/{scale_time,service_time}.txt,
 * scaling_performance/<app>/response-concurrency<C>.txt, packed_performance/<app>/{parallel,service_time}.txt.
 */
import { mean, median, roundTime, sampleOrderStatistics } from './stats';
import { PROFILE_SCHEMA, type Profile, type ScalingRun } from './types';

/** The concurrency levels of ProPack's scaling runs, in the order of its scale_time.txt lines. */
export const ARTIFACT_CONCURRENCIES = [100, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000];

/** Order statistics kept per run: enough to fit curves, small enough to commit. */
export const SAMPLES_PER_RUN = 101;

/** The artifact's functions: 10,000 MB (seed deploy command), x86_64, 6 vCPUs, one region. */
const ARTIFACT_FUNCTION = { memoryMb: 10000, architecture: 'x86_64' as const, region: 'us-east-1', runtime: 'python3.6', vcpus: 6 };

/** One text file: its path (for error messages) and content. */
export interface TextFile {
  path: string;
  text: string;
}

export interface ArtifactScalingApp {
  app: string;
  scaleTime: TextFile;
  serviceTime: TextFile;
  /** response-concurrency<C>.txt by C; a missing level keeps only its scale and service times. */
  responses: Map<number, TextFile>;
}

export interface ArtifactInput {
  app: string;
  scaling: ArtifactScalingApp[];
  parallel: TextFile;
  packingTime: TextFile;
  createdAt: string;
  tool: string;
}

/** An artifact file that cannot be read as ProPack wrote it. */
export class ArtifactError extends Error {
  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'ArtifactError';
  }
}

function numbersOf(f: TextFile): number[] {
  return f.text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l, i) => {
      const v = Number(l);
      if (!Number.isFinite(v)) throw new ArtifactError(f.path, `line ${i + 1} is not a number: "${l.slice(0, 40)}"`);
      return v;
    });
}

/** Parses `[t_start, t_end]` lines (epoch s); blank lines are skipped as in ProPack's own reader. */
export function parseResponses(f: TextFile): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  f.text.split(/\r?\n/).forEach((line, i) => {
    const l = line.trim();
    if (l === '') return;
    const m = /^\[\s*([-+0-9.eE]+)\s*,\s*([-+0-9.eE]+)\s*\]$/.exec(l);
    const start = m ? Number(m[1]) : NaN;
    const end = m ? Number(m[2]) : NaN;
    if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) {
      throw new ArtifactError(f.path, `line ${i + 1} is not "[t_start, t_end]" with t_end ≥ t_start: "${l.slice(0, 60)}"`);
    }
    out.push({ start, end });
  });
  return out;
}

function scalingRuns(s: ArtifactScalingApp): ScalingRun[] {
  const scale = numbersOf(s.scaleTime);
  const service = numbersOf(s.serviceTime);
  if (scale.length !== ARTIFACT_CONCURRENCIES.length) {
    throw new ArtifactError(
      s.scaleTime.path,
      `has ${scale.length} values, expected ${ARTIFACT_CONCURRENCIES.length} (C = ${ARTIFACT_CONCURRENCIES.join(', ')})`,
    );
  }
  if (service.length !== scale.length)
    throw new ArtifactError(s.serviceTime.path, `has ${service.length} values, expected ${scale.length}`);
  return ARTIFACT_CONCURRENCIES.map((c, i) => {
    const run: ScalingRun = { concurrency: c, app: s.app, scaleTimeS: scale[i], serviceTimeS: service[i] };
    const file = s.responses.get(c);
    if (!file) return run;
    const rows = parseResponses(file);
    if (rows.length === 0) throw new ArtifactError(file.path, 'has no responses');
    const first = Math.min(...rows.map((r) => r.start));
    const starts = rows.map((r) => r.start - first).sort((a, b) => a - b);
    const ends = rows.map((r) => r.end - first).sort((a, b) => a - b);
    const durations = rows.map((r) => r.end - r.start).sort((a, b) => a - b);
    run.startOffsetsS = sampleOrderStatistics(starts, SAMPLES_PER_RUN).map(roundTime);
    run.completionOffsetsS = sampleOrderStatistics(ends, SAMPLES_PER_RUN).map(roundTime);
    run.durationsS = sampleOrderStatistics(durations, SAMPLES_PER_RUN).map(roundTime);
    run.meanDurationS = roundTime(mean(durations));
    run.sampledFrom = rows.length;
    return run;
  });
}

/** Builds a `propack.profile/v1` from the artifact's files for one app. */
export function profileFromArtifact(input: ArtifactInput): Profile {
  const runs = input.scaling.flatMap(scalingRuns);
  const degrees = numbersOf(input.parallel);
  const times = numbersOf(input.packingTime);
  if (degrees.length !== times.length) {
    throw new ArtifactError(input.packingTime.path, `has ${times.length} values but ${input.parallel.path} has ${degrees.length}`);
  }
  const byDegree = new Map<number, number[]>();
  degrees.forEach((p, i) => {
    if (!Number.isInteger(p) || p < 1)
      throw new ArtifactError(input.parallel.path, `line ${i + 1}: packing degree must be a positive integer, got ${p}`);
    byDegree.set(p, [...(byDegree.get(p) ?? []), times[i]]);
  });
  if (!byDegree.has(1)) throw new ArtifactError(input.parallel.path, 'has no packing degree 1');
  const samples = [...byDegree.entries()].sort((a, b) => a[0] - b[0]).map(([degree, timesS]) => ({ degree, timesS }));
  // The packing times include the CLI round trip: calibrate it as t(1) minus the in-function median at p = 1.
  const own = runs.filter((r) => r.app === input.app && r.durationsS);
  const inFunction = own.length > 0 ? median(own.map((r) => median(r.durationsS as number[]))) : undefined;
  const t1 = median(byDegree.get(1) as number[]);
  const clientOverheadS = inFunction === undefined ? 0.7 : roundTime(Math.max(0, t1 - inFunction));
  return {
    schema: PROFILE_SCHEMA,
    function: { name: input.app, ...ARTIFACT_FUNCTION },
    source: {
      kind: 'artifact',
      createdAt: input.createdAt,
      tool: input.tool,
      detail: `ProPack AWS measurements (2021), app ${input.app}; scaling runs of ${input.scaling.map((s) => s.app).join(', ')}`,
    },
    scaling: { runs },
    packing: { samples, clientOverheadS },
  };
}
