// npm run lint: typescript-eslint's recommended type-checked rules on the package (lib/), where
// `any` is an error (a generated or third-party type that forces it gets an eslint-disable comment
// saying why). The example, the benchmarks and the tests get the untyped recommended rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layers from './eslint-layers.mjs';

export default tseslint.config(
  { ignores: ['imports/**', 'node_modules/**', 'dist/**', 'build/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  {
    files: ['lib/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The import direction (eslint-layers.mjs): apps -> cli -> infra -> constructs ->
    // synth/gateway-api/explain/analysis -> model/contract -> private; apps/ only through public entries.
    files: ['lib/**/*.ts', 'apps/**/*.ts'],
    plugins: { layers },
    rules: { 'layers/direction': 'error' },
  },
  {
    // The example and the benchmarks: the untyped recommended rules.
    files: ['apps/**/*.ts', 'bench/**/*.ts'],
    extends: [...tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      // The benchmark worker loads modules with require() to measure what loading them costs.
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['test/**/*.ts'],
    extends: [...tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
