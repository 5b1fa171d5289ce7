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
  externals: { vscode: 'commonjs vscode' },
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

module.exports = [
  nodeBundle('extension', { extension: './src/extension/extension.ts' }),
  nodeBundle('cli', {
    cli: './src/cli/main.ts',
    'bench-model': './benchmarks/perf/model-accuracy.ts',
    'bench-platform': './benchmarks/perf/platform.ts',
    // Child-process entries of the local platform (src/local/entry-files.ts finds them next to the bundle).
    'local-worker': './src/local/worker-bootstrap.ts',
    'local-s3': './src/local/s3-child.ts',
  }, {
    plugins: [new webpack.BannerPlugin({ banner: '#!/usr/bin/env node', raw: true, entryOnly: true, include: /^cli\.js$/ })],
  }),
  // Function bundles: self-contained single files (runtime + handler + jpeg-js + S3 client) that Lambda
  // loads as index.js (no side chunk: nodeBundle makes dynamic imports eager).
  nodeBundle('functions', {
    runtime: './src/runtime/shim.ts',
    'functions/video/index': './benchmarks/video/function.ts',
    'functions/sort/index': './benchmarks/sort/function.ts',
    'functions/stateless-cost/index': './benchmarks/stateless-cost/function.ts',
  }, {
    devtool: false,
  }),
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
