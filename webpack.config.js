// @ts-check
'use strict';
const fs = require('fs');
const path = require('path');
const webpack = require('webpack');
const { UniqueOutputFiles } = require('./scripts/unique-output-files');

/** One instance shared by every configuration below: the build fails if two of them write the same file. */
const uniqueOutputs = new UniqueOutputFiles();

/** Shared TypeScript rule: transpile only; `npm run typecheck` does the type checking once. */
const tsRule = { test: /\.ts$/, exclude: /node_modules/, use: [{ loader: 'ts-loader', options: { transpileOnly: true } }] };

/**
 * A node bundle named `name`. Every configuration writes into dist/, so nothing may be named by a bare chunk
 * id: dynamic imports (the AWS SDK's lazy credential providers) are made eager, so no side chunk is emitted
 * (the modules are inside the file, still evaluated only when first imported), and should a chunk appear
 * anyway its file name carries the configuration's name. `uniqueOutputs` fails the build on any collision.
 * @type {(name: string, entry: Record<string,string>, extra?: { plugins?: import('webpack').WebpackPluginInstance[], devtool?: false }) => import('webpack').Configuration}
 */
const nodeBundle = (name, entry, { plugins = [], ...extra } = {}) => ({
  name,
  target: 'node20',
  entry,
  output: { path: path.resolve(__dirname, 'dist'), filename: '[name].js', chunkFilename: `${name}.[id].js`, libraryTarget: 'commonjs2' },
  resolve: { extensions: ['.ts', '.js'] },
  module: { rules: [tsRule], parser: { javascript: { dynamicImportMode: 'eager' } } },
  devtool: 'nosources-source-map',
  node: { __dirname: false, __filename: false },
  // esbuild's API refuses to be bundled (it spawns its platform binary): it stays a run-time require, served
  // from dist/node_modules (CopyEsbuild below).
  externals: { vscode: 'commonjs vscode', esbuild: 'commonjs esbuild' },
  performance: { hints: false },
  // Node bundles are loaded from disk, never downloaded: minifying them only slows the build (and stack traces).
  optimization: { minimize: false },
  plugins: [uniqueOutputs, ...plugins],
  ...extra,
});

/**
 * Copies files into dist/ as they are, neither bundled nor evaluated: chart.js's UMD build (the HTML report
 * inlines it, and the CLI must find it without node_modules: a packaged extension ships dist/ only) and the
 * report room's stylesheets (the HTML report inlines them, the editor's panel links heatmap.css).
 */
class EmitFiles {
  /** @param {Record<string, string>} files output name → source path */
  constructor(files) {
    this.files = files;
  }

  /** @param {import('webpack').Compiler} compiler */
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('EmitFiles', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'EmitFiles', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        for (const [name, source] of Object.entries(this.files)) {
          compilation.fileDependencies.add(source);
          // Marked minimized: chart.js is minified upstream (Terser would move its licence header out), and the
          // stylesheets stay readable as written.
          compilation.emitAsset(name, new webpack.sources.RawSource(fs.readFileSync(source)), { minimized: true });
        }
      });
    });
  }
}

const reportFiles = new EmitFiles({
  'chart.umd.js': path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.js'),
  'report-page.css': path.join(__dirname, 'src', 'report', 'report-page.css'),
  'heatmap.css': path.join(__dirname, 'src', 'report', 'heatmap.css'),
});

/**
 * Builds the modules the embedded platform provides to functions as Lambda's Node.js runtime does
 * (/var/runtime/node_modules): `@aws-sdk/client-s3` and `@aws-sdk/client-lambda`, the clients ProPack ships,
 * each one CommonJS file in dist/lambda-runtime/node_modules/<name>/index.js with a package.json. Built with
 * esbuild from their ES module entry, so the output carries esbuild's export-name annotation and an ES module
 * handler's `import { S3Client } from '@aws-sdk/client-s3'` finds the named exports too.
 */
class EmitRuntimeSdk {
  /** @param {string[]} packages */
  constructor(packages) {
    this.packages = packages;
  }

  /** @param {import('webpack').Compiler} compiler */
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('EmitRuntimeSdk', (compilation) => {
      compilation.hooks.processAssets.tapPromise(
        { name: 'EmitRuntimeSdk', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        async () => {
          const esbuild = require('esbuild');
          for (const name of this.packages) {
            const pkgFile = require.resolve(`${name}/package.json`);
            const { version } = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
            const out = await esbuild.build({
              stdin: { contents: `export * from '${name}';`, resolveDir: __dirname, loader: 'js' },
              bundle: true,
              platform: 'node',
              format: 'cjs',
              target: 'node20',
              write: false,
              logLevel: 'silent',
              mainFields: ['module', 'main'],
              legalComments: 'none',
            });
            const dir = `lambda-runtime/node_modules/${name}`;
            compilation.fileDependencies.add(pkgFile);
            compilation.emitAsset(`${dir}/index.js`, new webpack.sources.RawSource(Buffer.from(out.outputFiles[0].contents)), {
              minimized: true,
            });
            compilation.emitAsset(
              `${dir}/package.json`,
              new webpack.sources.RawSource(`${JSON.stringify({ name, version, main: 'index.js' }, null, 2)}\n`),
              { minimized: true },
            );
          }
        },
      );
    });
  }
}

/**
 * Copies esbuild's JavaScript API and this machine's binary package (e.g. @esbuild/linux-x64) into
 * dist/node_modules after the build: the bundles in dist/ `require('esbuild')` from there, and the .vsix ships
 * dist/ (vsce --no-dependencies packages no node_modules). A plain file copy keeps the binary executable.
 */
class CopyEsbuild {
  /** @param {import('webpack').Compiler} compiler */
  apply(compiler) {
    compiler.hooks.afterEmit.tap('CopyEsbuild', () => {
      const target = path.resolve(__dirname, 'dist', 'node_modules');
      const platformPkg = `@esbuild/${process.platform}-${process.arch}`;
      for (const name of ['esbuild', platformPkg]) {
        const from = path.dirname(require.resolve(`${name}/package.json`));
        const to = path.join(target, name);
        fs.rmSync(to, { recursive: true, force: true });
        fs.cpSync(from, to, { recursive: true, filter: (src) => !/[\\/](install\.js|README\.md)$/.test(src) });
      }
    });
  }
}

module.exports = [
  nodeBundle('extension', { extension: './src/extension/extension.ts' }, { plugins: [new CopyEsbuild()] }),
  nodeBundle(
    'cli',
    {
      cli: './src/cli/main.ts',
      'bench-model': './benchmarks/perf/model-accuracy.ts',
      'bench-platform': './benchmarks/perf/platform.ts',
      // Child-process entries of the local platform (src/local/entry-files.ts finds them next to the bundle).
      'local-worker': './src/local/worker-bootstrap.ts',
      'local-s3': './src/local/s3-child.ts',
    },
    {
      plugins: [new webpack.BannerPlugin({ banner: '#!/usr/bin/env node', raw: true, entryOnly: true, include: /^cli\.js$/ })],
    },
  ),
  // Function bundles: self-contained single files (runtime + handler + jpeg-js + S3 client) that Lambda
  // loads as index.js (no side chunk: nodeBundle makes dynamic imports eager).
  nodeBundle(
    'functions',
    {
      runtime: './src/runtime/shim.ts',
      'functions/video/index': './benchmarks/video/function.ts',
      'functions/sort/index': './benchmarks/sort/function.ts',
      'functions/stateless-cost/index': './benchmarks/stateless-cost/function.ts',
    },
    {
      devtool: false,
      plugins: [
        new EmitRuntimeSdk(['@aws-sdk/client-s3', '@aws-sdk/client-lambda']),
        // Python, shipped as written: the packed runtime zipped into Python packages, and the local
        // platform's Python worker (src/local/entry-files.ts finds it next to the bundle).
        new EmitFiles({
          'propack_runtime.py': path.join(__dirname, 'src', 'runtime', 'python', 'propack_runtime.py'),
          'local-python-worker.py': path.join(__dirname, 'src', 'local', 'python-worker.py'),
        }),
      ],
    },
  ),
  {
    // Named so `webpack --config-name web` rebuilds the browser bundles alone (seconds, not minutes).
    name: 'web',
    target: 'web',
    // report-page: the HTML report's script; it uses the inlined chart.js UMD global, not a bundled copy.
    entry: { webview: './webview/main.ts', 'report-page': './webview/report-page.ts' },
    output: { path: path.resolve(__dirname, 'dist'), filename: '[name].js', chunkFilename: 'web.[id].js' },
    resolve: { extensions: ['.ts', '.js'] },
    module: { rules: [tsRule] },
    devtool: false,
    performance: { hints: false },
    plugins: [uniqueOutputs, reportFiles],
  },
];
