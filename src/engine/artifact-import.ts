/** Reads ProPack's artifact folder and turns one app's measurements into a profile. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACT_CONCURRENCIES, profileFromArtifact, type ArtifactScalingApp, type TextFile } from '../core/artifact';
import { profileFromFuncx } from '../core/artifact-funcx';
import type { Profile } from '../core/types';
import { FileError, readText } from './files';

export interface ImportOptions {
  app: string;
  /** Apps whose scaling runs form the curve (ProPack's classic choice: video, sort, statelesscost). */
  scalingApps?: string[];
  /** Timestamp to record (ISO); defaults to now. */
  createdAt?: string;
}

const file = (path: string): TextFile => ({ path, text: readText(path) });

function scalingApp(dir: string, app: string): ArtifactScalingApp {
  const base = join(dir, 'scaling_performance', app);
  if (!existsSync(base)) throw new FileError(`${base}: no scaling runs for app "${app}" (expected scaling_performance/${app}/)`);
  const responses = new Map<number, TextFile>();
  for (const c of ARTIFACT_CONCURRENCIES) {
    const p = join(base, `response-concurrency${c}.txt`);
    if (existsSync(p)) responses.set(c, file(p));
  }
  return { app, scaleTime: file(join(base, 'scale_time.txt')), serviceTime: file(join(base, 'service_time.txt')), responses };
}

/** Imports one app from an artifact folder (throws FileError / ArtifactError with a one-line reason). */
export function importArtifact(dir: string, opts: ImportOptions): Profile {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new FileError(`${dir}: not a folder (expected ProPack's artifact layout)`);
  const apps = opts.scalingApps && opts.scalingApps.length > 0 ? opts.scalingApps : [opts.app];
  const packed = join(dir, 'packed_performance', opts.app);
  return profileFromArtifact({
    app: opts.app,
    scaling: apps.map((a) => scalingApp(dir, a)),
    parallel: file(join(packed, 'parallel.txt')),
    packingTime: file(join(packed, 'service_time.txt')),
    createdAt: opts.createdAt ?? new Date().toISOString(),
    tool: 'propack import-artifact',
  });
}

/** Where ProPack's funcX runs are inside the artifact folder. */
export const FUNCX_RESULTS = join('funcX', 'data', 'results.txt');

export interface FuncxImportOptions {
  /** Workers at the endpoint: which runs of results.txt to use (96, 48 or 1 in ProPack's data). */
  workers: number;
  /** The AWS app whose packing stands in for funcX's (ProPack's paper: statelesscost). */
  app: string;
  createdAt?: string;
}

/** Imports a funcX endpoint profile: funcX's scaling runs, the AWS artifact's packing of `app`. */
export function importFuncx(dir: string, opts: FuncxImportOptions): Profile {
  const createdAt = opts.createdAt ?? new Date().toISOString();
  // The same converter as an AWS import, so the packing samples and calibrated overhead are identical.
  const aws = importArtifact(dir, { app: opts.app, createdAt });
  return profileFromFuncx({
    results: file(join(dir, FUNCX_RESULTS)),
    workers: opts.workers,
    packingFrom: aws,
    createdAt,
    tool: 'propack import-artifact --platform funcx',
  });
}
