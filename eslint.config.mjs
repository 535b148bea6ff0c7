// ESLint (flat config): the recommended rules of ESLint and typescript-eslint, a few type-aware
// rules for the asynchronous handler code, and the one architectural rule of this repository:
// lib/shared/ and lambda/ are bundled into the Lambda, and cli/ into the plan command, so they must not import aws-cdk-lib.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      'node_modules/', 'cdk.out/', 'coverage/', 'assets/', 'dist/',
      // build output: tsc/jsii compile lib/ in place; integration snapshots and their temp dirs
      'lib/**/*.js', 'lib/**/*.d.ts', 'test/**/*.js', 'test/**/*.d.ts', 'bench/**/*.js', 'bench/**/*.d.ts',
      '**/*.snapshot/', '**/cdk-integ.out.*/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      'eqeqeq': ['error', 'always'],
      'no-return-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Type-aware rules, for TypeScript only: a forgotten `await` in a handler is a silent bug.
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        // tsconfig.dev.json covers lib/, lambda/, cli/, test/, bench/ and scripts/ (tsconfig.json only lib/).
        project: './tsconfig.dev.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['lib/shared/**/*.ts', 'lambda/**/*.ts', 'cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'],
          message: 'lib/shared/ and lambda/ are bundled into the Lambda handler, cli/ into the plan command: keep aws-cdk-lib and constructs out of them.',
        }],
      }],
    },
  },
  {
    // Tests and benchmarks read synthesized templates and SDK payloads, which are untyped JSON.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
