// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What lib/core must never touch: it is the pure engine (see STYLE.md). */
const impure = {
  paths: [
    { name: 'amqplib', message: 'lib/core is pure: no RabbitMQ.' },
    { name: 'node:fs', message: 'lib/core is pure: no I/O.' },
    { name: 'fs', message: 'lib/core is pure: no I/O.' },
    { name: 'node:child_process', message: 'lib/core is pure: no I/O.' },
    { name: 'node:vm', message: 'never vm for expressions.' },
    { name: 'vm', message: 'never vm for expressions.' },
  ],
  patterns: [
    { group: ['@aws-sdk/*'], message: 'lib/core is pure: AWS belongs in lib/adapters.' },
    { group: ['@middy/*'], message: 'lib/core is pure: middy belongs in functions/.' },
    { group: ['**/adapters/**', '**/app/**', '**/functions/**'], message: 'lib/core depends on nothing outside itself.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.emu/**', '.data/**', 'dist/**', 'ui/dist/**', '.serverless/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['lib/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', impure],
      'no-restricted-properties': ['error',
        { object: 'process', property: 'env', message: 'lib/core is pure: configuration comes in as arguments.' },
        { object: 'Date', property: 'now', message: 'lib/core is pure: time comes from the clock argument.' },
        { object: 'Math', property: 'random', message: 'lib/core is pure: ids derive from the instance id and counters.' },
      ],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'lib/core is pure: no process access.' },
        { name: 'fetch', message: 'lib/core is pure: no I/O.' },
        { name: 'setTimeout', message: 'lib/core is pure: no timers.' },
      ],
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'lib/core is pure: time comes from the clock argument.' },
      ],
    },
  },
);
