// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

/**
 * Workflow code is replayed and must be deterministic: no Node built-ins, no database or HTTP clients,
 * no Nest, no persistence library. Breaking this is a lint error, not a review comment.
 */
/** Not even a type may come from these: what the workflows share with them lives in @county/domain's contracts. */
const WORKFLOW_FORBIDDEN_TYPE_IMPORTS = ['@county/persistence'];
const WORKFLOW_FORBIDDEN_IMPORTS = [
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`),
  'typeorm',
  'pg',
  'axios',
  'undici',
  'node-fetch',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@county/persistence',
  '@county/activities',
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.data/**',
      '.tools/**',
      'coverage/**',
      'test/output/**',
      'eslint.config.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Type-aware rules: each file is checked with the types of its own project (the nearest tsconfig.json, or the
    // root solution's tsconfig.typecheck.json for tests and specs). A promise nobody awaits loses its errors and
    // its ordering: await it, or mark a deliberate fire-and-forget with `void` and a comment saying why.
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    // The staff console runs in the browser: browser globals, not Node's.
    files: ['apps/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          // `import type` is erased at compile time, so the activities' interface may be shared. The
          // persistence library's may not: the projection contract types live in @county/domain.
          paths: WORKFLOW_FORBIDDEN_IMPORTS.map((name) =>
            WORKFLOW_FORBIDDEN_TYPE_IMPORTS.includes(name)
              ? {
                  name,
                  message:
                    'Workflow code must not depend on the persistence library, not even for types: the projection contract (ProjectedChange, CallProjection, NotificationInput) is in @county/domain.',
                }
              : {
                  name,
                  allowTypeImports: true,
                  message: 'Workflow code must be deterministic: do I/O in an activity (libs/activities) instead.',
                },
          ),
          patterns: [
            { group: ['@nestjs/*'], message: 'Workflow code must not depend on Nest.', allowTypeImports: true },
            {
              group: ['**/libs/persistence/**', '**/libs/activities/**'],
              message: 'Workflow code must not reach the database.',
            },
          ],
        },
      ],
    },
  },
);
