// @ts-check
'use strict';
const fs = require('fs');
const path = require('path');
const webpack = require('webpack');

/** Shared TypeScript rule: transpile only; `npm run typecheck` does the type checking once. */
const tsRule = { test: /\.ts$/, exclude: /node_modules/, use: [{ loader: 'ts-loader', options: { transpileOnly: true } }] };

/** @type {(entry: Record<string,string>, extra?: object) => import('webpack').Configuration} */
const nodeBundle = (entry, extra = {}) => ({
  target: 'node20',
  entry,
  output: { path: path.resolve(__dirname, 'dist'), filename: '[name].js', libraryTarget: 'commonjs2' },
  resolve: { extensions: ['.ts', '.js'] },
  module: { rules: [tsRule] },
  devtool: 'nosources-source-map',
  node: { __dirname: false, __filename: false },
  externals: { vscode: 'commonjs vscode' },
  performance: { hints: false },
  // Node bundles are loaded from disk, never downloaded: minifying them only slows the build (and stack traces).
  optimization: { minimize: false },
  ...extra,
});

/**
 * Emits chart.js's UMD build as dist/chart.umd.js: the HTML report inlines it, and the CLI must find it
 * without node_modules (a packaged extension ships dist/ only).
 */
class EmitChartJsUmd {
  /** @param {import('webpack').Compiler} compiler */
  apply(compiler) {
    const source = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.js');
    compiler.hooks.thisCompilation.tap('EmitChartJsUmd', (compilation) => {
      compilation.hooks.processAssets.tap({ name: 'EmitChartJsUmd', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        compilation.fileDependencies.add(source);
        // Already minified upstream; marking it so keeps Terser from re-minifying it and moving its licence header out.
        compilation.emitAsset('chart.umd.js', new webpack.sources.RawSource(fs.readFileSync(source)), { minimized: true });
      });
    });
  }
}

module.exports = [
  nodeBundle({ extension: './src/extension/extension.ts' }),
  nodeBundle({
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
  // loads as index.js. Dynamic imports (the SDK's lazy credential providers) are made eager so no side
  // chunk is emitted: the modules are inside the file but still evaluated only when first imported.
  nodeBundle({
    runtime: './src/runtime/shim.ts',
    'functions/video/index': './benchmarks/video/function.ts',
    'functions/sort/index': './benchmarks/sort/function.ts',
    'functions/stateless-cost/index': './benchmarks/stateless-cost/function.ts',
  }, {
    devtool: false,
    module: { rules: [tsRule], parser: { javascript: { dynamicImportMode: 'eager' } } },
  }),
  {
    // Named so `webpack --config-name web` rebuilds the browser bundles alone (seconds, not minutes).
    name: 'web',
    target: 'web',
    // report-page: the HTML report's script; it uses the inlined chart.js UMD global, not a bundled copy.
    entry: { webview: './webview/main.ts', 'report-page': './webview/report-page.ts' },
    output: { path: path.resolve(__dirname, 'dist'), filename: '[name].js' },
    resolve: { extensions: ['.ts', '.js'] },
    module: { rules: [tsRule] },
    devtool: false,
    performance: { hints: false },
    plugins: [new EmitChartJsUmd()],
  },
];
