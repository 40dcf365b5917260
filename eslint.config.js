// ESLint (flat config), run by `npm test` before the tests (test/check.sh). Syntax-only linting: type-aware rules
// over the whole tree would re-do the work `tsc --noEmit` already does in the same step, at several times the cost.
import { createRequire } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const require = createRequire(import.meta.url);

/**
 * eslint-plugin-office-addins 4.0.10 (the newest) bundles @typescript-eslint/utils 8.8, which subclasses ESLint's
 * removed `FlatESLint` and so throws on load under ESLint 10. Its rules only use RuleCreator and the AST types, which
 * the current @typescript-eslint/utils (the one typescript-eslint itself uses) still provides: point the plugin's
 * copy at that one before loading the rules. The plugin's own configs (prettier, eslint-plugin-react) are not used.
 */
function officeAddinsRules() {
  const pluginRequire = createRequire(require.resolve('eslint-plugin-office-addins'));
  const eslintTsRequire = createRequire(require.resolve('typescript-eslint'));
  const bundled = pluginRequire.resolve('@typescript-eslint/utils');
  const current = eslintTsRequire.resolve('@typescript-eslint/utils');
  if (bundled !== current) {
    eslintTsRequire('@typescript-eslint/utils');
    require.cache[bundled] = require.cache[current];
  }
  return pluginRequire('./rules').default;
}

const officeAddins = { meta: { name: 'eslint-plugin-office-addins' }, rules: officeAddinsRules() };

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'cdk.out/', '.data/', 'test-artifacts/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // A disable comment that no longer suppresses anything is an exception without a reason: fail on it.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // `_name` marks a parameter an interface requires but this implementation does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Exception: tests read JSON answers and CloudFormation templates as `any`; the assertion that follows is what
    // checks their shape, and a type written for each would only restate it.
    files: ['**/*.test.{ts,tsx}', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['addin/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // The Excel adapter is the only code that touches Office.js (DESIGN §3): the load/sync rules apply there.
    files: ['addin/excel/host.ts'],
    plugins: { 'office-addins': officeAddins },
    rules: {
      'office-addins/call-sync-after-load': 'error',
      'office-addins/call-sync-before-read': 'error',
      'office-addins/load-object-before-read': 'error',
      'office-addins/no-context-sync-in-loop': 'error',
      'office-addins/no-empty-load': 'error',
      'office-addins/no-navigational-load': 'error',
      'office-addins/test-for-null-using-isNullObject': 'error',
    },
  },
  {
    // The pane's entry points are where Office.onReady belongs; no module should assign Office.initialize.
    files: ['addin/**/*.{ts,tsx}'],
    plugins: { 'office-addins': officeAddins },
    rules: { 'office-addins/no-office-initialize': 'error' },
  },
);
