// The project's walls, as one table and one ESLint rule (`layers/direction`), in the spirit of VS Code's
// code-layering rule: every folder below is a layer, and a file may import only from its own layer and
// from the layers its row lists. Paths are resolved, so `../../training/x` from `hardware/pricing/` is
// caught whatever its spelling. Packages (Node, Electron, Vue, …) are a separate concern:
// `no-restricted-imports` in eslint.config.js. src-main/__tests__/boundaries.test.ts shows that every
// row can fail.
//
// Tests and test support (*.test.ts, *.testing.ts, simulators/testing/, __tests__/) may also import the
// whole engine, its test support included (and what their row's `testsMay` adds): a test is a consumer,
// not a floor of the house, so the inner walls are about shipping code. The outer walls hold for tests
// too: an engine test never imports the app.
import { dirname, relative, resolve, sep } from 'node:path'

const root = resolve(import.meta.dirname, '..')

const core = 'simulators/core'
const kernels = 'simulators/kernels'
const model = 'simulators/model'
const float = 'simulators/training/float'
const network = 'simulators/training/network'
const algorithms = 'simulators/training/algorithms'
const compute = 'simulators/hardware/compute'
const profiles = 'simulators/hardware/profiles'
const pricing = 'simulators/hardware/pricing'

/**
 * layer -> { may: layers its code may import, mayType: layers it may import types from, why }.
 * The longest matching folder is a file's layer. A layer not listed in `may` is a wall.
 */
export const LAYERS = {
  // ---- the engine, bottom up ----
  [core]: { may: [], why: 'core is the vocabulary every layer shares: it imports nothing of the engine' },
  [kernels]: { may: [core], why: 'integer kernels stand on core only' },
  'simulators/reference': { may: [core, kernels], why: 'float references stand on core and the kernels\' geometry' },
  'simulators/data': { may: [core], why: 'data sets stand on core only' },
  [model]: { may: [core, kernels], why: 'model descriptions and the graph stand on core and kernel geometry' },
  [float]: { may: [core, kernels, model], why: 'the float source model stands on the model graph' },
  [network]: { may: [core, kernels, model, float], why: 'the integer network never sees the algorithms that drive it' },
  [algorithms]: { may: [core, kernels, model, float, network], why: 'algorithms drive the network' },
  [compute]: { may: [core], why: 'cost models price core Ops and never import training or profiles' },
  [profiles]: { may: [core, compute], why: 'profiles are data checked against the cost models\' schemas; hardware never imports training' },
  [pricing]: { may: [core, compute, profiles], why: 'pricing and placement use profiles and cost models; hardware never imports training' },
  'simulators/experiment': { may: ['simulators'], not: ['simulators/testing', 'simulators/bench', 'simulators/sweep'], why: 'experiments assemble every engine layer' },
  'simulators/sweep': { may: ['simulators'], not: ['simulators/testing', 'simulators/bench'], why: 'sweeps vary experiments' },
  'simulators/testing': { may: ['simulators'], why: 'test support' },
  'simulators/bench': { may: ['simulators'], why: 'benchmarks' },
  simulators: { may: [], why: 'the engine\'s version file' },
  // ---- around the engine ----
  workers: { may: ['simulators'], not: ['simulators/testing'], why: 'workers host the engine; they never import src-main or the window' },
  cli: { may: ['workers', 'simulators'], not: ['simulators/testing'], why: 'the CLI is headless: workers and the engine, never the app' },
  'src-main': { may: ['workers', 'simulators'], not: ['simulators/testing'], why: 'the main process never imports the window' },
  'src-renderer': {
    may: [core, 'simulators/experiment/labels', 'simulators/sweep/analysis'],
    mayType: ['src-main/preload/api', 'simulators', 'workers'],
    // the dashboard's tests build packed step batches as a worker does
    testsMay: ['workers'],
    why: 'the window talks to main only through window.api; at run time it takes only the engine\'s vocabulary (core), run labels and the sweep views\' arithmetic, types from anywhere in the engine',
  },
  e2e: { may: ['src-main', 'workers', 'simulators'], why: 'end-to-end tests drive the built app' },
}

const layerNames = Object.keys(LAYERS).sort((a, b) => b.length - a.length)
const within = (path, folder) => path === folder || path.startsWith(`${folder}/`)
export const layerOf = (path) => layerNames.find((l) => within(path, l))

/** Test files and test support, by repo-relative path with or without its extension. */
export const isTestSupport = (path) =>
  /\.(test|bench|testing)(\.ts)?$/.test(path) || path.includes('/__tests__/') || within(path, 'simulators/testing') || within(path, 'simulators/bench')

/** Why `from` may not import `to` (repo-relative, extension-less), or undefined if it may. */
export function violation(from, to, typeOnly) {
  const a = layerOf(from), b = layerOf(to)
  if (!a || !b || a === b) return undefined
  const row = LAYERS[a]
  const allowed = (list) => (list ?? []).some((l) => within(to, l)) && !(row.not ?? []).some((l) => within(to, l))
  if (allowed(row.may) || (typeOnly && allowed(row.mayType))) return undefined
  if (isTestSupport(from) && (within(to, 'simulators') || (row.testsMay ?? []).some((l) => within(to, l)))) return undefined
  const may = [...row.may, ...(row.mayType ?? []).map((l) => `types of ${l}`)]
  return `${a} may not import ${b}${typeOnly ? ' (even types)' : ''}: ${row.why}. It may import: ${may.length ? may.join(', ') : 'nothing outside its folder'}.`
}

const repoPath = (abs) => relative(root, abs).split(sep).join('/').replace(/\.(ts|mjs|js|vue)$/, '')

const direction = {
  meta: { type: 'problem', docs: { description: 'imports follow the layer table in scripts/eslint-layers.mjs' }, schema: [] },
  create(context) {
    const file = repoPath(context.filename)
    if (!layerOf(file)) return {}
    const check = (node, source, typeOnly) => {
      const spec = source?.value
      if (typeof spec !== 'string' || !spec.startsWith('.')) return
      const to = repoPath(resolve(dirname(context.filename), spec.replace(/\?.*$/, '')))
      const why = violation(file, to, typeOnly)
      if (why) context.report({ node: source, message: why })
    }
    const allTypes = (node) => node.importKind === 'type' || node.exportKind === 'type' ||
      (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'))
    return {
      ImportDeclaration: (node) => check(node, node.source, allTypes(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source, allTypes(node)),
      ExportAllDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source, false),
    }
  },
}

export default { meta: { name: 'layers' }, rules: { direction } }
