// ESLint flat config: recommended rules for JS/TS/Vue, plus the dependency-direction rules that keep the
// engine (simulators/) pure, its layers in order and the app layers separate. Formatting is not linted.
import { builtinModules } from 'node:module'
import { defineConfig } from 'eslint/config'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import layers from './scripts/eslint-layers.mjs'

// --- Dependency direction -------------------------------------------------------------------------------
// Which folder may import which is ONE table, scripts/eslint-layers.mjs (rule `layers/direction`): the
// engine's inner layers bottom up (core -> kernels, data, model -> training/float -> training/network ->
// training/algorithms; core -> hardware/compute -> hardware/profiles -> hardware/pricing, never training;
// experiment assembles them), and around it workers -> simulators, cli and src-main -> workers and
// simulators, the renderer -> types of the preload API and the engine, and at run time only the engine's
// vocabulary (simulators/core) and run labels. The rules below keep packages where they belong.

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
    name: 'boundaries/layers',
    files: ['**/*.ts', '**/*.vue', '**/*.mjs'],
    plugins: { layers },
    rules: { 'layers/direction': 'error' },
  },
  {
    name: 'boundaries/simulators',
    files: ['simulators/**/*.ts'],
    ignores: ['simulators/**/*.test.ts', 'simulators/**/*.bench.ts', 'simulators/testing/**', 'simulators/bench/**'],
    rules: restrict({
      paths: nodeBuiltins.map((name) => ({ name, message: notFromEngine })),
      patterns: [uiAndRuntimePackages, { group: ['node:*', 'onnxruntime-*'], message: notFromEngine }],
    }),
  },
  {
    // Engine tests and reference harnesses may use Node and onnxruntime, but not the app's packages.
    name: 'boundaries/simulators-tests',
    files: ['simulators/**/*.test.ts', 'simulators/**/*.bench.ts', 'simulators/testing/**/*.ts', 'simulators/bench/**/*.ts'],
    rules: restrict({ patterns: [uiAndRuntimePackages] }),
  },
  {
    name: 'boundaries/workers',
    files: ['workers/**/*.ts'],
    rules: restrict({ patterns: [{ group: ['electron', 'electron/*'], message: 'Electron APIs are not available in worker threads.' }] }),
  },
  {
    name: 'boundaries/src-renderer',
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.vue'],
    rules: restrict({
      patterns: [{ group: ['electron', 'electron/*', 'node:*'], message: 'The renderer is sandboxed: no Electron or Node modules.' }],
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
