// The build check of webpack.config.js: two configurations of one multi-compiler build that would write the
// same file fail the build, and the one that collided writes nothing (so it cannot overwrite the other's file).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import webpack from 'webpack';
import { REPO_ROOT } from '../../support/fixtures';

type Plugin = { apply(compiler: webpack.Compiler): void };
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the plugin is the build's own CommonJS file, as webpack.config.js loads it
const { UniqueOutputFiles } = require(join(REPO_ROOT, 'scripts', 'unique-output-files.js')) as { UniqueOutputFiles: new () => Plugin };

const work = mkdtempSync(join(tmpdir(), 'propack-unique-outputs-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Sources under a fresh folder: two entries that each load `lazy.js` through a dynamic import (a lazy chunk). */
function sources(name: string): string {
  const dir = join(work, name, 'src');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'lazy.js'), 'module.exports = "lazy";\n');
  for (const entry of ['first', 'second'])
    writeFileSync(join(dir, `${entry}.js`), `console.log("entry ${entry}");\nimport("./lazy.js").then((m) => console.log(m));\n`);
  return dir;
}

/** One small node configuration writing into `out` with the shared check. */
function config(
  name: string,
  src: string,
  entry: string,
  out: string,
  check: Plugin,
  output: webpack.Configuration['output'] = {},
): webpack.Configuration {
  return {
    name,
    mode: 'development',
    target: 'node20',
    devtool: false,
    context: src,
    entry: { [entry]: `./${entry}.js` },
    output: { path: out, filename: '[name].js', ...output },
    plugins: [check],
    infrastructureLogging: { level: 'none' },
  };
}

function build(configs: webpack.Configuration[]): Promise<webpack.MultiStats> {
  return new Promise((resolve, reject) => {
    webpack(configs, (err, stats) => {
      if (err || !stats) reject(err ?? new Error('webpack gave no stats'));
      else resolve(stats);
    });
  });
}

const errorsOf = (stats: webpack.MultiStats): string[] => stats.stats.flatMap((s) => s.compilation.errors.map((e) => e.message));

test('two configurations writing the same entry file fail the build; the loser writes nothing', async () => {
  const src = sources('same-file');
  const out = join(work, 'same-file', 'dist');
  const check = new UniqueOutputFiles();
  // Both name their bundle out.js; development mode emits despite errors unless the check stops it.
  const stats = await build([
    config('alpha', src, 'first', out, check, { filename: 'out.js' }),
    config('beta', src, 'second', out, check, { filename: 'out.js' }),
  ]);
  assert.ok(stats.hasErrors());
  const errors = errorsOf(stats);
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(
    errors[0],
    /^UniqueOutputFiles: configuration "(alpha|beta)" \(entries (first|second)\) and configuration "(alpha|beta)" \(entries (first|second)\) both write .*out\.js; one would overwrite the other/,
  );
  const loser = stats.stats.find((s) => s.hasErrors());
  const winner = stats.stats.find((s) => !s.hasErrors());
  assert.ok(loser && winner);
  const bundle = readFileSync(join(out, 'out.js'), 'utf8');
  const winnerEntry = winner.compilation.name === 'alpha' ? 'first' : 'second';
  const loserEntry = winnerEntry === 'first' ? 'second' : 'first';
  assert.ok(bundle.includes(`entry ${winnerEntry}`) && !bundle.includes(`entry ${loserEntry}`), "out.js is the winner's, not overwritten");
});

test('two configurations whose lazy chunks are both named [id].js collide (the fromIni bug of issue 12)', async () => {
  const src = sources('chunks');
  const out = join(work, 'chunks', 'dist');
  const check = new UniqueOutputFiles();
  // Different entry files, the same chunk file names: webpack itself sees no conflict inside either build.
  const stats = await build([
    config('extension', src, 'first', out, check, { chunkFilename: '[id].js' }),
    config('cli', src, 'second', out, check, { chunkFilename: '[id].js' }),
  ]);
  const errors = errorsOf(stats);
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(
    errors[0],
    /configuration "(extension|cli)" \(entries (first|second)\) and configuration "(extension|cli)".* both write .*\.js; one would overwrite the other/,
  );
  assert.match(errors[0], /output\.chunkFilename|dynamicImportMode/, 'the error says how to fix it');
});

test('the same sources with per-configuration chunk names build cleanly', async () => {
  const src = sources('distinct');
  const out = join(work, 'distinct', 'dist');
  const check = new UniqueOutputFiles();
  const stats = await build([
    config('extension', src, 'first', out, check, { chunkFilename: 'extension.[id].js' }),
    config('cli', src, 'second', out, check, { chunkFilename: 'cli.[id].js' }),
  ]);
  assert.deepEqual(errorsOf(stats), []);
  const files = readdirSync(out).sort();
  assert.ok(files.includes('first.js') && files.includes('second.js'));
  assert.ok(files.some((f) => /^extension\.\S+\.js$/.test(f)) && files.some((f) => /^cli\.\S+\.js$/.test(f)), files.join(', '));
});

test('a configuration that rebuilds does not collide with its own earlier files', async () => {
  const src = sources('rebuild');
  const out = join(work, 'rebuild', 'dist');
  const check = new UniqueOutputFiles();
  const configs = [config('extension', src, 'first', out, check, { chunkFilename: 'extension.[id].js' })];
  const compiler = webpack(configs);
  const run = (): Promise<webpack.MultiStats> =>
    new Promise((resolve, reject) => compiler.run((err, stats) => (err || !stats ? reject(err ?? new Error('no stats')) : resolve(stats))));
  assert.deepEqual(errorsOf(await run()), []);
  assert.deepEqual(errorsOf(await run()), []);
  await new Promise<void>((resolve, reject) => compiler.close((err) => (err ? reject(err) : resolve())));
});
