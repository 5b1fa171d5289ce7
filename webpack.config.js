// @ts-check
'use strict';
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

module.exports = [
  nodeBundle({ extension: './src/extension/extension.ts' }),
  nodeBundle({
    cli: './src/cli/main.ts',
    'bench-model': './benchmarks/perf/model-accuracy.ts',
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
    target: 'web',
    entry: { webview: './webview/main.ts' },
    output: { path: path.resolve(__dirname, 'dist'), filename: '[name].js' },
    resolve: { extensions: ['.ts', '.js'] },
    module: { rules: [tsRule] },
    devtool: false,
    performance: { hints: false },
  },
];
