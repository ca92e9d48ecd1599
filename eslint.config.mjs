// npm run lint: typescript-eslint's recommended type-checked rules on the package (lib/) and the
// example (apps/, bench/); `any` is an error there (a generated type that forces it gets an
// eslint-disable comment saying why). Tests get the untyped recommended rules and may use `any`
// to poke at synthesized objects.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['imports/**', 'node_modules/**', 'dist/**', 'build/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  {
    files: ['lib/**/*.ts', 'apps/**/*.ts', 'bench/**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
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
