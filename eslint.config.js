// @ts-check
// Flat config. The import bans per folder enforce docs/architecture.md's table: a file's folder
// names its runtime, and lint refuses an import that runtime cannot have.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_')); // `node:*` is caught by the pattern below
const nodeBuiltinPatterns = [
  { group: ['node:*'], message: 'Node built-ins cannot run here (see docs/architecture.md).' },
];

/** @param {string} message */
const banNames = (names, message) => names.map((name) => ({ name, message }));

const electronOnlyInMain = banNames(
  ['electron'],
  'Only src-main/electron/ (and src-preload/) may import electron; everything else must run under plain Node.',
);
const serverPackages = banNames(
  ['better-sqlite3', 'socket.io', 'ws', 'tsx'],
  'Server-side package: not allowed in this folder (see docs/architecture.md).',
);
const uiPackages = banNames(
  ['react', 'react-dom', 'react-dom/client', 'maplibre-gl', 'recharts'],
  'UI package: only src-renderer/ may use it.',
);
/** @param {string[]} folders */
const crossFolder = (folders) =>
  folders.map((f) => ({
    group: [`**/${f}`, `**/${f}/**`],
    message: `Importing from ${f}/ crosses a process boundary (see docs/architecture.md).`,
  }));

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'release/**',
      '.data/**',
      'test-results/**',
      'bench/results/**',
      'tests/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.es2023 },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only (STYLE.md).' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.node },
    },
  },
  {
    // Config files must default-export their configuration.
    files: ['*.config.ts', '*.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  // ---- per-folder import bans (docs/architecture.md, "Folders") ----
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...banNames(nodeBuiltins, 'src-shared runs anywhere: no Node built-ins.'),
            ...electronOnlyInMain,
            ...serverPackages,
            ...uiPackages,
            ...banNames(['socket.io-client'], 'src-shared is environment-neutral: no transports.'),
          ],
          patterns: [
            ...nodeBuiltinPatterns,
            ...crossFolder(['src-node', 'src-main', 'src-preload', 'src-renderer', 'src-server']),
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', 'require'].map(
          (name) => ({
            name,
            message: 'src-shared runs anywhere: no DOM or Node globals.',
          }),
        ),
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...banNames(
              nodeBuiltins,
              'The renderer is a browser: no Node built-ins; ask main through the bridge.',
            ),
            ...electronOnlyInMain,
            ...serverPackages,
          ],
          patterns: [
            ...nodeBuiltinPatterns,
            ...crossFolder(['src-node', 'src-main', 'src-preload', 'src-server']),
          ],
        },
      ],
    },
  },
  {
    files: ['src-preload/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...banNames(nodeBuiltins, 'The preload is sandboxed: no Node built-ins.'),
            ...serverPackages,
            ...uiPackages,
          ],
          patterns: [
            ...nodeBuiltinPatterns,
            ...crossFolder(['src-node', 'src-main', 'src-renderer', 'src-server']),
          ],
        },
      ],
    },
  },
  {
    // Node-only code that the console's main process and the server both use: plain Node, so
    // neither electron nor anything of the processes that import it.
    files: ['src-node/**'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...electronOnlyInMain, ...uiPackages],
          patterns: crossFolder(['src-main', 'src-preload', 'src-renderer', 'src-server']),
        },
      ],
    },
  },
  {
    files: ['src-main/**'],
    ignores: ['src-main/electron/**'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...electronOnlyInMain, ...uiPackages],
          patterns: crossFolder(['src-renderer', 'src-preload', 'src-server']),
        },
      ],
    },
  },
  {
    files: ['src-main/electron/**'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: uiPackages, patterns: crossFolder(['src-renderer', 'src-preload', 'src-server']) },
      ],
    },
  },
  {
    files: ['src-server/**'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...electronOnlyInMain, ...uiPackages],
          patterns: crossFolder(['src-main', 'src-preload', 'src-renderer']),
        },
      ],
    },
  },
  {
    files: ['scripts/**', 'tests/**', 'bench/**'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': ['error', { paths: electronOnlyInMain }],
    },
  },
);
