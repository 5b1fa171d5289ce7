import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'scripts/**/*.mjs',
      'webpack.config.js',
      'dist/**',
      'out/**',
      'node_modules/**',
      '.tools/**',
      'test-results/**',
      'propack-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'vscode',
            '@aws-sdk/*',
            'node:*',
            'fs',
            'path',
            'http',
            'child_process',
            '../platform/*',
            '../engine/*',
            '../local/*',
            '../cli/*',
            '../extension/*',
          ],
        },
      ],
    },
  },
  {
    // The report room is pure and browser-safe: it may import core and itself only (docs/report.md).
    files: ['src/report/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./[^/]+$|\\.\\./core/[^/]+$)',
              message: 'src/report may import only src/core and src/report (pure, browser-safe).',
            },
          ],
        },
      ],
    },
  },
  {
    // Browser code imports only the report room, the host/page protocol and chart.js; webview/tsconfig.json
    // compiles it with the DOM and without Node's types as a second check.
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./[^/]+$|\\.\\./src/report/[^/]+$|\\.\\./src/extension/protocol$|chart\\.js$)',
              message: 'webview/ may import only src/report, src/extension/protocol and chart.js.',
            },
          ],
        },
      ],
    },
  },
  {
    // The protocol is imported by the page too, so it stays browser-safe: core and the report room only.
    files: ['src/extension/protocol.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.\\./core/[^/]+$|\\.\\./report/[^/]+$)',
              message: 'the protocol is browser code too: it may import only src/core and src/report.',
            },
          ],
        },
      ],
    },
  },
  {
    // Unit tests are pure: what starts the platform, the CLI or another process is a component test
    // (test/component, helpers in test/support), run as its own part of the suite.
    files: ['test/unit/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'child_process',
                'node:child_process',
                '**/src/local',
                '**/src/local/*',
                '**/src/cli/main',
                '**/support/handler-platform',
                '**/support/s3',
                '**/support/cli',
                '**/test/component/**',
              ],
              message: 'test/unit is pure: a test that starts the platform, the CLI or a process belongs in test/component.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/engine/**/*.ts', 'src/platform/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['vscode', '../extension/*', '../cli/*', '../local/*'] }] },
  },
);
