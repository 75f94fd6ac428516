// ESLint flat config: type-aware typescript-eslint, plus the repository's boundary rules
// (apps may import libs; a lib never imports an app, and reaches another lib only through its
// `@app/…` index).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Every lib folder: a relative import reaching into one of them from another lib is refused. */
const LIBS = readdirSync(join(import.meta.dirname, 'libs'));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-output/**', '.dist-build-*/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      curly: ['error', 'multi-line'],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'no-control-regex': 'off',
    },
  },
  {
    // A lib never imports an app, and imports another lib only through its `@app/…` index.
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(\\.\\./)+apps/', message: 'a lib never imports an app' },
            {
              // tsconfig's baseUrl makes these resolve too: they would bypass the rules above.
              regex: '^(apps|libs)/',
              message:
                "no paths from the repository root: a lib never imports an app, and imports a lib as '@app/<lib>'",
            },
            {
              regex: '^@app/[^/]+/.+',
              message: "import another lib through its index ('@app/<lib>'), never a deep path",
            },
            {
              regex: `^(\\.\\./){2,}(${LIBS.join('|')})/`,
              message: "import another lib through its index ('@app/<lib>')",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
  },
);
