import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['scripts/**/*.mjs', 'webpack.config.js', 'dist/**', 'out/**', 'node_modules/**', '.tools/**', 'test-results/**', 'propack-report/**'] },
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
      'no-restricted-imports': ['error', { patterns: ['vscode', '@aws-sdk/*', 'node:*', 'fs', 'path', 'http', 'child_process', '../platform/*', '../engine/*', '../local/*', '../cli/*', '../extension/*'] }],
    },
  },
  {
    files: ['src/engine/**/*.ts', 'src/platform/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['vscode', '../extension/*', '../cli/*', '../local/*'] }] },
  },
);
