// ESLint flat config: recommended rules for JS/TS/Vue, plus the dependency-direction rules that keep the
// engine (simulators/) pure and the app layers separate. Formatting is not linted.
import { builtinModules } from 'node:module'
import { defineConfig } from 'eslint/config'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'

// --- Dependency direction -------------------------------------------------------------------------------
// keep these arrows pointing one way: src-renderer -> (types of) src-main -> workers -> simulators;
// cli -> workers -> simulators

const appLayers = (...layers) => layers.flatMap((l) => [`**/${l}`, `**/${l}/**`])
const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'))

const notFromEngine = 'The engine (simulators/) must stay pure ECMAScript: no Node, DOM, Electron, UI or worker plumbing.'

/** Runtime/UI packages the engine must not know about (tests and harnesses may still use Node). */
const uiAndRuntimePackages = {
  group: ['electron', 'electron/*', 'vue', 'vue/*', 'pinia', 'echarts', 'echarts/*', 'vue-echarts', 'comlink', 'comlink/*'],
  message: notFromEngine,
}

const restrict = (config) => ({ 'no-restricted-imports': ['error', config] })

const boundaries = [
  {
    name: 'boundaries/simulators',
    files: ['simulators/**/*.ts'],
    ignores: ['simulators/**/*.test.ts', 'simulators/**/*.bench.ts', 'simulators/testing/**', 'simulators/bench/**'],
    rules: restrict({
      paths: nodeBuiltins.map((name) => ({ name, message: notFromEngine })),
      patterns: [
        uiAndRuntimePackages,
        { group: ['node:*', 'onnxruntime-*'], message: notFromEngine },
        { group: appLayers('workers', 'src-main', 'src-renderer', 'e2e'), message: notFromEngine },
      ],
    }),
  },
  {
    // Engine tests and reference harnesses may use Node and onnxruntime, but not the app around the engine.
    name: 'boundaries/simulators-tests',
    files: ['simulators/**/*.test.ts', 'simulators/**/*.bench.ts', 'simulators/testing/**/*.ts', 'simulators/bench/**/*.ts'],
    rules: restrict({
      patterns: [
        uiAndRuntimePackages,
        { group: appLayers('workers', 'src-main', 'src-renderer', 'e2e'), message: 'Engine tests must not depend on the app.' },
      ],
    }),
  },
  {
    name: 'boundaries/workers',
    files: ['workers/**/*.ts'],
    rules: restrict({
      patterns: [
        { group: appLayers('src-main', 'src-renderer'), message: 'workers/ must not import from src-main/ or src-renderer/.' },
        { group: ['electron', 'electron/*'], message: 'Electron APIs are not available in worker threads.' },
      ],
    }),
  },
  {
    name: 'boundaries/src-renderer',
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.vue'],
    rules: restrict({
      patterns: [
        {
          // Any path into src-main/ except the preload API types (a regex: gitignore-style negation can't
          // re-include a file below an excluded directory).
          regex: '(^|/)src-main(/|$)(?!preload/api$)',
          message: 'The renderer talks to the main process only through window.api.',
        },
        {
          group: ['**/src-main/preload/api'],
          allowTypeImports: true,
          message: 'Only `import type` from the preload API (it has no runtime code).',
        },
        { group: ['electron', 'electron/*', 'node:*'], message: 'The renderer is sandboxed: no Electron or Node modules.' },
      ],
    }),
  },
  {
    name: 'boundaries/cli',
    files: ['cli/**/*.ts'],
    rules: restrict({
      patterns: [{ group: appLayers('src-main', 'src-renderer'), message: 'The CLI is headless: it uses workers/ and simulators/, never the app.' }],
    }),
  },
  {
    name: 'boundaries/src-main',
    files: ['src-main/**/*.ts'],
    rules: restrict({
      patterns: [{ group: appLayers('src-renderer'), message: 'src-main/ must not import from src-renderer/.' }],
    }),
  },
]

// --- Recommended rules -------------------------------------------------------------------------------------

export default defineConfig(
  { name: 'ignores', ignores: ['out/', 'node_modules/', 'test-results/', 'playwright-report/', 'dist/', '.cache/', 'runs/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  vue.configs['flat/recommended'],
  {
    name: 'vue/typescript',
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
    // vue-tsc type-checks these files (DOM lib included), which catches undefined names better than no-undef;
    // typescript-eslint recommends turning no-undef off for TypeScript for that reason.
    rules: { 'no-undef': 'off' },
  },
  {
    name: 'node-scripts',
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
  },
  {
    // Playwright reads a fixture's first parameter to find its dependencies; `{}` means "none".
    name: 'e2e/playwright-fixtures',
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    name: 'project-rules',
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Layout is left to the editor; these only produce noise.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  ...boundaries,
)
