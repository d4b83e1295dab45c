// typescript-eslint needs the TypeScript 5 compiler API; TypeScript 7 (the project's tsc) ships none.
import './scripts/typescript-api/register.mjs';
import js from '@eslint/js';

const { default: tseslint } = await import('typescript-eslint');

const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'Buffer', 'URL', 'setTimeout', 'clearTimeout', 'module', 'require', '__dirname'].map((g) => [g, 'readonly']),
);

const browserGlobals = Object.fromEntries(
  ['document', 'window', 'location', 'history', 'fetch', 'URL', 'Node', 'sessionStorage', 'console'].map((g) => [g, 'readonly']),
);

export default tseslint.config(
  {
    ignores: ['**/node_modules/', 'cdk.out/', 'dist/', '.hardline/', 'coverage/', 'test/.artifacts/', 'shared/controls/facts.generated.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  { files: ['**/*.{js,mjs,cjs}'], languageOptions: { globals: nodeGlobals } },
  // The dashboard's browser modules: browser globals only, no Node.
  { files: ['cli/dashboard/assets/*.js'], languageOptions: { globals: browserGlobals } },
);
