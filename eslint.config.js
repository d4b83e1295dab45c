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
      // zod's `z` export is one object holding every schema kind and locale, so a bundler keeps all of it
      // (~460 KB in each Lambda); `import * as z` lets esbuild keep only the schema kinds used (~100 KB).
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
          message: "import * as z from 'zod' (the named z keeps all of zod in every bundle)",
        },
      ],
      'no-console': 'off',
    },
  },
  { files: ['**/*.{js,mjs,cjs}'], languageOptions: { globals: nodeGlobals } },
  // The dashboard's browser modules: browser globals only, no Node.
  { files: ['cli/dashboard/assets/*.js'], languageOptions: { globals: browserGlobals } },
);
