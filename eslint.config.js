// @ts-check
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const GRPC_ONLY_AT_THE_EDGE = {
  name: '@grpc/grpc-js',
  message: 'Only gRPC edge code (*.grpc.ts, libs/grpc, apps) imports grpc-js; use @checkwire/grpc.',
};
const SQL_ONLY_IN_DATA_ACCESS = ['kysely', 'pg'].map((name) => ({
  name,
  message: 'Only repositories (*.repository.ts) and libs/db talk to PostgreSQL.',
}));

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '.data/**', '.nx/**', 'libs/proto/src/gen/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          banTransitiveDependencies: false,
          depConstraints: [
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:sdk',
                'type:feature',
                'type:util',
                'type:generated',
                'type:testing',
              ],
            },
            {
              sourceTag: 'type:feature',
              onlyDependOnLibsWithTags: [
                'type:sdk',
                'type:data-access',
                'type:util',
                'type:generated',
                'type:testing',
              ],
            },
            {
              // A data-access lib may build on the database lib (auth keeps its tokens there).
              sourceTag: 'type:data-access',
              onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:testing'],
            },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:generated'],
            },
            // Util libs build on util libs only (the testing lib in their tests).
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:testing'] },
            {
              // What handler authors import (lc-sdk): built on plumbing and contracts only.
              sourceTag: 'type:sdk',
              onlyDependOnLibsWithTags: ['type:util', 'type:generated', 'type:testing'],
            },
            { sourceTag: 'type:generated', onlyDependOnLibsWithTags: [] },
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: [
                'type:sdk',
                'type:util',
                'type:data-access',
                'type:generated',
                'type:feature',
                'type:testing',
              ],
            },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // Benchmarks measure every part of the system.
            { sourceTag: 'scope:all', onlyDependOnLibsWithTags: ['*'] },
            {
              sourceTag: 'scope:scoring',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:scoring'],
            },
            { sourceTag: 'scope:jobs', onlyDependOnLibsWithTags: ['scope:shared', 'scope:jobs'] },
            // The runner is a client of scoring and the scheduler; its tests start those.
            {
              sourceTag: 'scope:runner',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:runner', 'scope:scheduler'],
            },
            {
              // The scheduler calls LC handlers (its tests serve them with the LC SDK).
              sourceTag: 'scope:scheduler',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:scheduler', 'scope:lc'],
            },
            // LimaCharlie services reach jobs and scoring over gRPC, never through their code.
            { sourceTag: 'scope:lc', onlyDependOnLibsWithTags: ['scope:shared', 'scope:lc'] },
          ],
        },
      ],
      'no-restricted-imports': [
        'error',
        { paths: [GRPC_ONLY_AT_THE_EDGE, ...SQL_ONLY_IN_DATA_ACCESS] },
      ],
    },
  },
  {
    // Where grpc-js is the point: the edge, the plumbing, apps, tools and tests.
    files: ['**/*.grpc.ts', 'libs/grpc/**', 'apps/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: SQL_ONLY_IN_DATA_ACCESS }],
    },
  },
  {
    // Where SQL is the point: repositories, the db lib, test setup, tools and tests.
    // libs/checks logs in to the databases under check (the services), not to Checkwire's own.
    files: ['**/*.repository.ts', 'libs/db/**', 'libs/testing/**', 'libs/checks/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [GRPC_ONLY_AT_THE_EDGE] }],
    },
  },
  {
    files: ['**/test/**', '**/*.spec.ts', 'tools/**'],
    rules: {
      // Tests and tools drive the system from outside: any client library is fair game.
      'no-restricted-imports': 'off',
      // Tests and tools poke at untyped wire data on purpose.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Tool configuration: default exports are the tools' convention; the shared Vitest preset
    // lives at the root, outside any project.
    files: [
      '**/vitest.config.ts',
      '**/vite.config.ts',
      'eslint.config.js',
      'libs/testing/src/global-setup.ts',
    ],
    rules: { 'no-restricted-syntax': 'off', '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
