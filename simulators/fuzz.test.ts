/**
 * Fuzzing every parser of user files (experiment, sweep, model description, hardware profile) with
 * arbitrary JSON and with mutations of the valid built-in files. Each input must either parse, or be
 * rejected with field errors (`{ ok: false, errors }`: a path and a short message each); a parser must
 * never throw (a TypeError or RangeError is a crash), and each call must end within a second (a hang
 * check, not a benchmark: a correct rejection takes well under a millisecond).
 *
 * The inputs come from fc.sample with fixed seeds, so a failure reproduces exactly; every failure is
 * collected, not just the first, so the report says how many inputs broke and why.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { FieldError } from './core/schema'
import { parseModelSpec } from './model/validate'
import { analyzeShapes, summarizeModel } from './model/shapes'
import { buildGraph } from './model/graph'
import { builtinModels, BUILTIN_MODEL_NAMES } from './model/builtin'
import { parseExperiment } from './experiment/validate'
import { TINY_EXPERIMENT } from './experiment/tiny-experiment'
import { parseSweep } from './sweep/trials'
import { DEFAULT_SWEEP } from './sweep/spec'
import { parseProfile } from './hardware/profiles/parse-profile'
import { PRESET_FILES } from './hardware/profiles/presets/index'
import { getPreset } from './hardware/profiles/library'
import { baseDataset, buildTask } from './experiment/task'
import { pretrain } from './experiment/pretrain'
import { runOne } from './experiment/runner'
import { resolveModel } from './model/builtin'

type Json = unknown
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

/** Hang bound per call (ms) and message bound (chars). */
const MAX_MS = 1000
const MAX_MESSAGE = 2000
// inputs per parser; FUZZ_PARSER_RUNS=n draws a longer sample from the same seeds (the default keeps `npm test` fast)
const RUNS = Number(process.env.FUZZ_PARSER_RUNS ?? 2000)

// ---- valid starting points ----------------------------------------------------------------------

const models: Json[] = BUILTIN_MODEL_NAMES.map((n) => clone(builtinModels[n]))
const profiles: Json[] = PRESET_FILES.map(clone)
const experiments: Json[] = [
  {},
  clone(TINY_EXPERIMENT),
  { ...clone(TINY_EXPERIMENT), model: clone(builtinModels['dscnn-mnist']), profiles: ['nrf52840', clone(PRESET_FILES[0])] },
  {
    data: { dataset: 'synthetic', classes: [1, 3, 5], shots: 4 },
    formats: { weightBits: 8, activationBits: 8, accumulatorBits: 32, rounding: 'half-even' },
    runs: [
      { label: 'last', algorithm: 'backprop', scope: { kind: 'last', layers: 1 }, formats: { weightBits: 16 }, steps: 3 },
      { algorithm: 'tpsgd', scope: { kind: 'biases' } },
    ],
    profiles: ['alif-e7-hp'],
    deviceFormats: 'requested',
  },
]
const sweeps: Json[] = [
  clone(DEFAULT_SWEEP),
  {
    name: 's', experiment: clone(TINY_EXPERIMENT), devices: ['nrf52840', clone(PRESET_FILES[1])],
    grid: { weightBits: [8, 16], rounding: ['half-away', 'half-even'] },
    runs: [{ algorithm: 'zo-spsa' }, { algorithm: 'backprop' }],
    hyperparameterGrid: { 'zo-spsa': { perturbations: [1, 2] } },
    seeds: [1, 2], sample: { count: 5, seed: 3 },
    constraints: { minAccuracy: 0.5, mustFit: false, requiredFormats: { weightBits: 8 }, rankBy: 'time' },
  },
]

// ---- hostile values -----------------------------------------------------------------------------

const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__']

/** Every string in the valid files (layer types, enum values, ids): mutations that stay near-valid. */
const knownStrings = (() => {
  const out = new Set<string>()
  const walk = (v: unknown): void => {
    if (typeof v === 'string') { if (v.length < 40) out.add(v) } else if (Array.isArray(v)) v.forEach(walk)
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.add(k); walk(x) }
  }
  ;[...models, ...profiles, ...experiments, ...sweeps].forEach(walk)
  return [...out]
})()

function deepArray(depth: number): unknown { let v: unknown = 0; for (let i = 0; i < depth; i++) v = [v]; return v }
function deepObject(depth: number): unknown { let v: unknown = 1; for (let i = 0; i < depth; i++) v = { a: v }; return v }
const deepJson = (depth: number) => JSON.parse(`${'{"x":['.repeat(depth)}0${']}'.repeat(depth)}`) as unknown

/** Values built on demand (too big to hold in a fast-check constant pool by the thousand). */
const BUILT: Record<string, () => unknown> = {
  deepArray3000: () => deepArray(3000),
  deepObject3000: () => deepObject(3000),
  deepJson2500: () => deepJson(2500),
  longArray: () => Array.from({ length: 100_000 }, (_, i) => i % 7),
  longString: () => 'x'.repeat(200_000),
  wideObject: () => Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])),
  protoObject: () => JSON.parse('{"__proto__": {"kind": "all"}, "constructor": 1, "toString": "x"}'),
  shape2p31: () => [2 ** 31, 28, 1],
  vector2p31: () => [2 ** 31],
}

const special = fc.constantFrom<unknown>(
  2 ** 31, 2 ** 32, 2 ** 53, 2 ** 24 + 1, 1e308, -1e308, -0, 0, -1, 0.5, 1, 2, 3, 28, 65536, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE,
  'NaN', 'Infinity', '-0', '1e308', '', ' ', null, true, false, [], {}, [0], [2 ** 31, 28], [1, 1, 1, 1], ['same'],
  ...PROTO_NAMES,
)
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: special },
  { weight: 3, arbitrary: fc.constantFrom(...knownStrings) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(...Object.keys(BUILT)).map((k) => ({ built: k })) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...PROTO_NAMES, ...knownStrings), special, { maxKeys: 3 }) },
)
const materialise = (v: unknown): unknown => (v && typeof v === 'object' && 'built' in v && typeof (v as { built: unknown }).built === 'string' && Object.keys(v).length === 1 ? BUILT[(v as { built: string }).built]() : clone(v))

type Mutation = { op: 'replace' | 'nudge' | 'delete' | 'addKey' | 'wrap' | 'duplicate'; at: number; key: string; value: unknown }
const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('replace', 'replace', 'replace', 'nudge', 'nudge', 'nudge', 'delete', 'addKey', 'addKey', 'wrap', 'duplicate'),
  at: fc.nat(),
  key: fc.constantFrom(...PROTO_NAMES, ...knownStrings, 'x y', ''),
  value,
})

/** Every container (object or array) and key in `root`, as [parent, key] pairs, iteratively. */
function slots(root: unknown): [Record<string | number, unknown>, string | number][] {
  const out: [Record<string | number, unknown>, string | number][] = []
  const stack: unknown[] = [root]
  while (stack.length) {
    const v = stack.pop()
    if (!v || typeof v !== 'object') continue
    const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v)
    for (const k of keys) { out.push([v as Record<string | number, unknown>, k]); stack.push((v as Record<string | number, unknown>)[k]) }
  }
  return out
}

function mutate(base: unknown, ms: readonly Mutation[]): unknown {
  const root = { doc: clone(base) }
  for (const m of ms) {
    const all = slots(root.doc)
    const [parent, key] = all.length && !(m.at % 13 === 0) ? all[m.at % all.length] : [root as Record<string, unknown>, 'doc']
    const v = materialise(m.value)
    const cur = parent[key]
    switch (m.op) {
      case 'replace': parent[key] = v; break
      // a near-valid change: a number a little off (or doubled), another string of the files
      case 'nudge':
        if (typeof cur === 'number') parent[key] = [cur + 1, cur - 1, cur * 2, Math.floor(cur / 2), 2 ** 31][m.at % 5]
        else if (typeof cur === 'string') parent[key] = knownStrings[m.at % knownStrings.length]
        else if (Array.isArray(cur) && cur.length) cur.pop()
        break
      case 'delete': if (Array.isArray(parent)) parent.splice(key as number, 1); else delete parent[key]; break
      case 'addKey':
        // defineProperty: an own "__proto__" key, as JSON.parse makes it
        Object.defineProperty(cur && typeof cur === 'object' && !Array.isArray(cur) ? cur : (parent[key] = {}), m.key, { value: v, enumerable: true, writable: true, configurable: true })
        break
      case 'wrap': parent[key] = m.at % 2 ? [cur] : { [m.key]: cur }; break
      case 'duplicate': if (Array.isArray(cur)) cur.push(...cur.slice(0, 3)); else parent[key] = [cur, cur]; break
    }
  }
  return root.doc
}

const mutated = (bases: readonly Json[]) => fc.record({ base: fc.nat({ max: bases.length - 1 }), ms: fc.array(mutation, { minLength: 1, maxLength: 4 }) })
  .map(({ base, ms }) => () => mutate(bases[base], ms))
const arbitraryJson = fc.jsonValue({ maxDepth: 6 }).map((v) => () => v)
/** Arbitrary objects over the files' own key names, so the fuzzer reaches past the first field check. */
const keyedJson = fc.dictionary(fc.constantFrom(...knownStrings, ...PROTO_NAMES), fc.oneof(value, fc.jsonValue({ maxDepth: 2 })), { maxKeys: 8 }).map((v) => () => materialise(v))

// ---- the harness --------------------------------------------------------------------------------

type Parse = (raw: unknown) => { ok: boolean; errors?: FieldError[] }
/** where an input came from: a mutated valid file, keyed JSON, arbitrary JSON, a built hostile shape, a valid file */
type InputKind = 'mutated' | 'keyed' | 'arbitrary' | 'hostile' | 'valid'
interface Outcome {
  tried: number; accepted: number; failures: string[]; maxMs: number; slowest?: string; slowestInput?: unknown
  /** for FUZZ_STATS: inputs per kind, calls that threw or passed MAX_MS, and the slowest rejection */
  byKind: Partial<Record<InputKind, number>>; threw: number; hung: number
  slowestRejection: { ms: number; kind?: InputKind; excerpt?: string }
}

function describeInput(raw: unknown): string {
  try { const s = JSON.stringify(raw); return s.length > 300 ? `${s.slice(0, 300)}…` : s } catch { return '(unserialisable)' }
}

/** Runs `parse` on `input()`; returns what is wrong with the outcome, if anything. */
function check(parse: Parse, raw: unknown, kind: InputKind, accepted: (r: { ok: true }) => void, out: Outcome): void {
  out.tried++
  out.byKind[kind] = (out.byKind[kind] ?? 0) + 1
  const t0 = performance.now()
  let r: ReturnType<Parse> | undefined
  try {
    r = parse(raw)
  } catch (e) {
    out.threw++
    out.failures.push(`threw ${(e as Error)?.name}: ${String((e as Error)?.message).slice(0, 200)} — input ${describeInput(raw)}`)
    return
  } finally {
    const ms = performance.now() - t0
    if (ms > out.maxMs) { out.maxMs = ms; out.slowest = describeInput(raw).slice(0, 160); out.slowestInput = raw }
    if (r && !r.ok && ms > out.slowestRejection.ms) out.slowestRejection = { ms, kind, excerpt: describeInput(raw).slice(0, 120) }
    if (ms > MAX_MS) out.hung++
    if (ms > MAX_MS) out.failures.push(`took ${ms.toFixed(0)} ms — input ${describeInput(raw)}`)
  }
  if (r.ok) {
    out.accepted++
    try { accepted(r as { ok: true }) } catch (e) { out.failures.push(`accepted, then ${(e as Error).name}: ${(e as Error).message.slice(0, 200)} — input ${describeInput(raw)}`) }
    return
  }
  if (!Array.isArray(r.errors) || r.errors.length === 0) { out.failures.push(`rejected without errors — input ${describeInput(raw)}`); return }
  for (const e of r.errors) {
    if (typeof e.path !== 'string' || typeof e.message !== 'string' || e.message.trim() === '') out.failures.push(`malformed error ${describeInput(e)}`)
    else if (e.message.length + e.path.length > MAX_MESSAGE) out.failures.push(`error of ${e.message.length + e.path.length} chars at ${e.path.slice(0, 80)}`)
  }
}

function fuzz(parse: Parse, bases: readonly Json[], seed: number, accepted: (r: { ok: true }) => void = () => {}): Outcome {
  const out: Outcome = { tried: 0, accepted: 0, failures: [], maxMs: 0, byKind: {}, threw: 0, hung: 0, slowestRejection: { ms: 0 } }
  const inputs = [
    ...fc.sample(mutated(bases), { seed, numRuns: Math.round(RUNS * 0.7) }).map((make) => [make, 'mutated'] as const),
    ...fc.sample(keyedJson, { seed: seed + 1, numRuns: Math.round(RUNS * 0.15) }).map((make) => [make, 'keyed'] as const),
    ...fc.sample(arbitraryJson, { seed: seed + 2, numRuns: Math.round(RUNS * 0.15) }).map((make) => [make, 'arbitrary'] as const),
  ]
  for (const [make, kind] of inputs) check(parse, make(), kind, accepted, out)
  // the hostile shapes on their own, as whole documents
  for (const make of Object.values(BUILT)) check(parse, make(), 'hostile', accepted, out)
  for (const base of bases) check(parse, base, 'valid', accepted, out)
  return out
}

function report(name: string, o: Outcome): void {
  // FUZZ_DUMP=dir writes every failure, one a line, for triage
  if (process.env.FUZZ_DUMP) {
    writeFileSync(join(process.env.FUZZ_DUMP, `${name}.txt`), o.failures.join('\n'))
    try { writeFileSync(join(process.env.FUZZ_DUMP, `${name}.slowest.json`), JSON.stringify(o.slowestInput)) } catch { /* too deep to write */ }
  }
  console.log(`${name}: ${o.tried} inputs, ${o.accepted} accepted, ${o.failures.length} failures, slowest call ${o.maxMs.toFixed(1)} ms${process.env.FUZZ_DUMP ? ` (${o.slowest})` : ''}`)
  // FUZZ_STATS=1: the figures of issue 14's closing note, one line per parser
  if (process.env.FUZZ_STATS) {
    const kinds = Object.entries(o.byKind).map(([k, n]) => `${k} ${n}`).join(', ')
    const sr = o.slowestRejection
    console.log(`FUZZ_STATS ${name}: ${o.tried} inputs (${kinds}); ${o.accepted} accepted, ${o.tried - o.accepted - o.threw} rejected with field errors; ${o.threw} crashes (threw), ${o.hung} hangs (> ${MAX_MS} ms); slowest rejection ${sr.ms.toFixed(1)} ms (${sr.kind ?? '—'} input: ${sr.excerpt ?? '—'})`)
  }
  expect(o.failures.slice(0, 10), `${o.failures.length} of ${o.tried} inputs broke ${name}`).toEqual([])
}

describe('parsers under fuzzing: a result or field errors, never a crash or a hang', () => {
  it('model descriptions', () => {
    const o = fuzz(parseModelSpec as Parse, models, 14_001, (r) => {
      const spec = (r as unknown as { spec: Parameters<typeof analyzeShapes>[0] }).spec
      summarizeModel(spec)
      buildGraph(spec)
    })
    report('parseModelSpec', o)
    expect(o.accepted).toBeGreaterThan(50)
  })

  it('hardware profiles', () => {
    const o = fuzz(parseProfile as Parse, profiles, 14_002)
    report('parseProfile', o)
    expect(o.accepted).toBeGreaterThan(50)
  })

  it('experiments', () => {
    const o = fuzz(parseExperiment as Parse, experiments, 14_003)
    report('parseExperiment', o)
    expect(o.accepted).toBeGreaterThan(50)
  })

  it('sweeps', () => {
    const o = fuzz(parseSweep as Parse, sweeps, 14_004)
    report('parseSweep', o)
    expect(o.accepted).toBeGreaterThan(50)
  })
})

describe('an accepted experiment runs', () => {
  // Random formats, algorithms, scopes, classes and devices on a tiny synthetic task: whatever validates
  // must train (a step or two) without an error. A handful per `npm test`, at a fixed seed; raise
  // numRuns to search (180 of these, 0 failures, when the exactness check was added).
  const arb = fc.record({
    model: fc.constantFrom('mlp-mnist', 'dscnn-mnist'),
    init: fc.constantFrom('pretrained', 'scratch'),
    formats: fc.record({
      weightBits: fc.integer({ min: 2, max: 32 }), activationBits: fc.integer({ min: 2, max: 32 }), gradientBits: fc.integer({ min: 2, max: 32 }),
      accumulatorBits: fc.constantFrom(16, 24, 32, 40, 48, 64), accumulatorOverflow: fc.constantFrom('saturate', 'wrap'),
      weightGranularity: fc.constantFrom('per-tensor', 'per-channel'), rounding: fc.constantFrom('half-away', 'half-even', 'floor'),
    }),
    runs: fc.tuple(fc.record({ algorithm: fc.constantFrom('backprop', 'zo-spsa', 'forward-ad', 'tpsgd', 'hybrid'), scope: fc.constantFrom({ kind: 'all' }, { kind: 'biases' }, { kind: 'last', layers: 1 }) })),
    classes: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 3 }), { nil: undefined }),
    batch: fc.integer({ min: 1, max: 4 }), steps: fc.integer({ min: 0, max: 2 }),
    profiles: fc.subarray(['nrf52840', 'alif-e7-hp', 'adi-max78000']), deviceFormats: fc.constantFrom('nearest', 'requested'),
  })
  it('random valid experiments train without an error', () => {
    let ran = 0
    for (const x of fc.sample(arb, { seed: 14_005, numRuns: 8 })) {
      const { classes, ...rest } = x
      const raw = { ...rest, seed: 3, data: { dataset: 'synthetic', pretrainPerClass: 4, shots: 2, testPerClass: 2, ...(classes && { classes }) }, pretrain: { epochs: 1, batch: 16 }, evalEvery: 1 }
      const r = parseExperiment(raw)
      if (!r.ok) continue
      const graph = buildGraph(resolveModel(r.spec.model))
      const task = buildTask(r.spec, baseDataset(r.spec, undefined))
      const params = pretrain(graph, task.source, r.spec.pretrain, r.spec.seed)
      for (const run of r.plan) runOne({ spec: r.spec, run, graph, params, task, profiles: run.devices.map((d) => getPreset(d.profile)) }, () => {})
      ran++
    }
    expect(ran).toBeGreaterThan(4)
  })
})
