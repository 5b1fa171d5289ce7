import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isValidFunctionName } from './names';
import { unzipTo } from './unzip';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

/** The subset of Lambda's FunctionConfiguration the platform keeps (JSON shape as Lambda answers it). */
export interface FunctionConfiguration {
  FunctionName: string;
  FunctionArn: string;
  Runtime: string;
  Role: string;
  Handler: string;
  CodeSize: number;
  CodeSha256: string;
  Description: string;
  Timeout: number;
  MemorySize: number;
  LastModified: string;
  Version: '$LATEST';
  State: 'Active';
  LastUpdateStatus: 'Successful';
  PackageType: 'Zip';
  Architectures: string[];
  Environment?: { Variables: Record<string, string> };
  RevisionId: string;
}

/** One deployed function: its configuration, unzipped code dir and reserved concurrency. */
export interface StoredFunction {
  config: FunctionConfiguration;
  /** Absolute path of the current unzipped code. */
  codeDir: string;
  reserved?: number;
  /** Bumped on every code or configuration change; instances of older generations are retired. */
  generation: number;
}

/** Lambda's ARN of a function name in the emulated account. */
export function functionArn(name: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
}

/** The deployment package a code dir was unzipped from (absent for functions stored before it was kept). */
export function codeZipPath(codeDir: string): string {
  return `${codeDir}.zip`;
}

/** Lambda's timestamp format (ISO with +0000). */
export function lambdaTimestamp(): string {
  return new Date().toISOString().replace('Z', '+0000');
}

/** Persists functions under `<root>/<name>/` (function.json + code-<sha>/); loads them back on restart. */
export class FunctionStore {
  readonly functions = new Map<string, StoredFunction>();
  private codeSeq = 0;

  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true });
    for (const name of readdirSync(root)) this.load(name);
  }

  /**
   * Unzips `zip` into a fresh code dir of `name` (asynchronously, within Lambda's 250 MB unzipped); returns its
   * path, SHA-256 (base64) and size. On any failure the temporary folder (and a new function's empty folder) is removed.
   */
  async writeCode(name: string, zip: Buffer): Promise<{ codeDir: string; sha: string; size: number }> {
    const sha = createHash('sha256').update(zip).digest('base64');
    const fnDir = join(this.root, name);
    const isNew = !existsSync(fnDir);
    const dir = join(fnDir, `code-${createHash('sha256').update(zip).digest('hex').slice(0, 16)}-${Date.now()}-${++this.codeSeq}`);
    const tmp = dir + '.tmp';
    try {
      await unzipTo(zip, tmp);
      renameSync(tmp, dir); // a half-unzipped package never becomes a function's code
      // The package itself is kept beside its unzipped copy: GetFunction's Code.Location serves it, byte for byte.
      writeFileSync(codeZipPath(dir), zip);
    } catch (e) {
      await rm(isNew && !this.functions.has(name) ? fnDir : tmp, { recursive: true, force: true });
      throw e;
    }
    return { codeDir: dir, sha, size: zip.length };
  }

  /** Saves a function's record (after create or any change). */
  save(fn: StoredFunction): void {
    this.functions.set(fn.config.FunctionName, fn);
    const file = join(this.root, fn.config.FunctionName, 'function.json');
    writeFileSync(file + '.tmp', JSON.stringify({ config: fn.config, codeDir: fn.codeDir, reserved: fn.reserved }));
    renameSync(file + '.tmp', file);
  }

  /** Removes a function and its code from memory and disk. */
  delete(name: string): void {
    this.functions.delete(name);
    rmSync(join(this.root, name), { recursive: true, force: true });
  }

  private load(name: string): void {
    const file = join(this.root, name, 'function.json');
    if (!isValidFunctionName(name)) return;
    if (!existsSync(file)) {
      // A CreateFunction interrupted while unzipping leaves only code-*.tmp folders: remove them.
      const dir = join(this.root, name);
      if (statSync(dir).isDirectory() && readdirSync(dir).every((d) => d.startsWith('code-')))
        rmSync(dir, { recursive: true, force: true });
      return;
    }
    let saved: Omit<StoredFunction, 'generation'>;
    try {
      saved = JSON.parse(readFileSync(file, 'utf8')) as Omit<StoredFunction, 'generation'>;
    } catch (e) {
      throw new Error(`${file} is not a readable function record (${e instanceof Error ? e.message : String(e)}); fix or delete it`, {
        cause: e,
      });
    }
    const c = saved as Partial<StoredFunction> | null;
    if (
      !c ||
      typeof c !== 'object' ||
      typeof c.codeDir !== 'string' ||
      !c.config ||
      typeof c.config !== 'object' ||
      c.config.FunctionName !== name
    ) {
      throw new Error(`${file} is not a function record of "${name}" (expected {"config": {...}, "codeDir": "..."}); fix or delete it`);
    }
    if (!existsSync(saved.codeDir)) return;
    this.functions.set(name, { ...saved, generation: 0 });
    // Old code dirs (replaced by UpdateFunctionCode while instances still ran them) are cleaned here.
    for (const d of readdirSync(join(this.root, name))) {
      const p = join(this.root, name, d);
      if (d.startsWith('code-') && p !== saved.codeDir && p !== codeZipPath(saved.codeDir)) rmSync(p, { recursive: true, force: true });
    }
  }
}
