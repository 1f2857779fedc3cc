// One lint for the whole house: typescript-eslint everywhere, Vue's rules in the renderer, and no bare strings in
// templates (every word a user reads goes through vue-i18n).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';

export default tseslint.config(
  // AssemblyScript (*.as.ts: decorators on functions, v128) is checked by its own compiler, build/compile-wasm.mjs.
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'core/ops/wasm/kernels.generated.ts', '**/*.as.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser }, globals: globals.browser },
    rules: {
      'vue/no-bare-strings-in-template': [
        'error',
        { allowlist: ['(', ')', ',', '.', '&', '+', '-', '=', '*', '/', '#', '%', '!', '?', ':', '[', ']', '{', '}', '<', '>', '·', '×', '|', '←', '→', '✕', '▸', '●', '✓', '✗', '…', '−'] },
      ],
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/require-default-prop': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['renderer/**/*.ts'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['electron/**/*.ts', 'electron/**/*.cjs', 'e2e/**/*.ts', 'build/**/*.mjs', '*.config.ts', '*.config.js', '**/*.test.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    // core/ imports nothing outside itself: no Node, no DOM, no packages.
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts', 'core/test-support/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\.)', message: 'core/ imports nothing outside itself (core/boundary.test.ts checks relative paths)' }] },
      ],
    },
  },
  {
    // The page's wall: it reaches core only through what electron/contract/core-exports.ts re-exports (the page's
    // tests may check against core directly).
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    ignores: ['renderer/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(\\.\\./)+core/', message: 'the page imports core only through electron/contract/core-exports.ts' }] },
      ],
    },
  },
  {
    // The one named exception: the guide's scenes (a few cells each) run core's stack inside the page, synchronously,
    // because the host answers only a page's newest forward request and a burst of scene requests would cancel the lab's.
    files: ['renderer/src/guide/run-scene.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
