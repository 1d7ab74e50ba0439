// Lint for the whole workspace. The module-boundary rule is the architecture made executable:
// tags in each project.json say what a project is (type:*) and whom it belongs to (scope:*).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import nx from '@nx/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const TEST_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', '**/test/**/*.ts', '**/bench/**/*.ts'];

// What each kind of project may depend on, in production code.
const typeConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:domain'] },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:platform', 'type:testing'] },
  { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:testing'] },
];

// The scopes are read from the projects' own tags, so a new service needs no edit here.
const root = new URL('.', import.meta.url).pathname;
const projectScopes = ['apps', 'ml', 'tools']
  .filter((parent) => existsSync(`${root}${parent}`))
  .flatMap((parent) => readdirSync(`${root}${parent}`).map((child) => `${root}${parent}/${child}/project.json`))
  .filter((file) => existsSync(file))
  .flatMap((file) => JSON.parse(readFileSync(file, 'utf8')).tags ?? [])
  .filter((tag) => tag.startsWith('scope:') && tag !== 'scope:shared')
  .map((tag) => tag.slice('scope:'.length));

// A service sees only its own code and shared libraries; shared libraries see only shared ones.
const scopeConstraints = [...new Set(projectScopes)]
  .map((scope) => ({ sourceTag: `scope:${scope}`, onlyDependOnLibsWithTags: [`scope:${scope}`, 'scope:shared'] }))
  .concat([{ sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] }]);

const withTesting = (constraints) =>
  constraints.map((c) =>
    c.sourceTag.startsWith('type:') && c.sourceTag !== 'type:contracts'
      ? { ...c, onlyDependOnLibsWithTags: [...new Set([...c.onlyDependOnLibsWithTags, 'type:testing'])] }
      : c,
  );

const boundaries = (depConstraints) => [
  'error',
  { enforceBuildableLibDependency: false, allow: [], banTransitiveDependencies: false, depConstraints },
];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/coverage/**', '.nx/**', 'tmp/**', 'libs/contracts/src/gen/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    rules: {
      '@nx/enforce-module-boundaries': boundaries([...typeConstraints, ...scopeConstraints]),
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Tests and benchmarks may use the testing library; production code may not.
    files: TEST_FILES,
    rules: {
      '@nx/enforce-module-boundaries': boundaries([...withTesting(typeConstraints), ...scopeConstraints]),
      'no-console': 'off',
    },
  },
  {
    // Command-line tools talk to a person on the terminal.
    files: ['tools/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // The web app: React's rules of hooks, on top of the TypeScript rules above.
    files: ['apps/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // The service worker runs in the browser, outside the bundle.
    files: ['apps/web/public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { self: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
