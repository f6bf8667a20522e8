import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { loadModelSpec, parseModelSpec } from './validate'
import { ModelSpecError } from './errors'
import type { FieldError } from '../core/schema'
import { analyzeShapes } from './shapes'
import { BUILTIN_MODEL_NAMES, builtinModels, getBuiltinModel } from './builtin'

type Json = Record<string, unknown>
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T
const cnn = (): Json => clone(builtinModels['cnn-mnist']) as unknown as Json
const resnet = (): Json => clone(builtinModels['resnet8-cifar10']) as unknown as Json
const layer = (spec: Json, i: number): Json => (spec.layers as Json[])[i]

function errorsOf(raw: unknown): FieldError[] {
  const r = parseModelSpec(raw)
  if (r.ok) throw new Error('expected errors, the description validated')
  return r.errors
}

/** Mutate a copy of `base` and expect an error at exactly `path` whose message contains `text`. */
function expectError(base: () => Json, mutate: (s: Json) => void, path: string, text: string | RegExp): void {
  const s = base()
  mutate(s)
  const errors = errorsOf(s)
  const hit = errors.find((e) => e.path === path)
  expect(hit, `errors were ${JSON.stringify(errors)}`).toBeDefined()
  expect(hit?.message).toMatch(text)
}

describe('parseModelSpec', () => {
  it('accepts every built-in, unchanged', () => {
    for (const name of BUILTIN_MODEL_NAMES) {
      const r = parseModelSpec(clone(builtinModels[name]))
      expect(r.ok, name).toBe(true)
      if (r.ok) expect(r.spec).toEqual(builtinModels[name])
    }
    expect(getBuiltinModel('mlp-mnist')).not.toBe(builtinModels['mlp-mnist'])
  })

  it('rejects a document that is not an object', () => {
    for (const v of [null, 3, 'model', [], undefined]) expect(errorsOf(v)[0].path).toBe('')
  })

  const cases: [string, () => Json, (s: Json) => void, string, string | RegExp][] = [
    ['unknown top-level field', cnn, (s) => { s.author = 'x' }, 'author', 'unknown field'],
    ['unknown layer field', cnn, (s) => { layer(s, 2).filtrs = 3 }, 'layers[2].filtrs', 'unknown field'],
    ['unknown field, odd key', cnn, (s) => { layer(s, 2)['a b'] = 3 }, 'layers[2]["a b"]', 'unknown field'],
    ['unknown input field', cnn, (s) => { (s.input as Json).layout = 'NHWC' }, 'input.layout', 'unknown field'],
    ['schema version', cnn, (s) => { s.schemaVersion = 2 }, 'schemaVersion', /unsupported.*supported versions: 1/],
    ['missing schema version', cnn, (s) => { delete s.schemaVersion }, 'schemaVersion', 'supported versions: 1'],
    ['missing name', cnn, (s) => { delete s.name }, 'name', 'required'],
    ['empty name', cnn, (s) => { s.name = ' ' }, 'name', 'empty'],
    ['source type', cnn, (s) => { s.source = 3 }, 'source', 'string'],
    ['task', cnn, (s) => { s.task = 'regression' }, 'task', /'classification', 'reconstruction'/],
    ['input rank', cnn, (s) => { (s.input as Json).shape = [28, 28] }, 'input.shape', '[H, W, C]'],
    ['input dimension', cnn, (s) => { (s.input as Json).shape = [28, 0, 1] }, 'input.shape[1]', 'positive integer'],
    ['missing layers', cnn, (s) => { delete s.layers }, 'layers', 'required'],
    ['no layers', cnn, (s) => { s.layers = [] }, 'layers', 'at least one'],
    ['layer not an object', cnn, (s) => { (s.layers as unknown[])[1] = 'conv' }, 'layers[1]', 'layer object'],
    ['unknown layer type', cnn, (s) => { layer(s, 0).type = 'conv3d' }, 'layers[0].type', /conv3d.*known types: dense, conv2d, depthwiseConv2d/],
    ['missing required field', cnn, (s) => { delete layer(s, 0).filters }, 'layers[0].filters', 'required for a conv2d'],
    ['non-integer units', cnn, (s) => { layer(s, 5).units = 1.5 }, 'layers[5].units', 'positive integer'],
    ['zero filters', cnn, (s) => { layer(s, 0).filters = 0 }, 'layers[0].filters', 'positive integer'],
    ['kernel element', cnn, (s) => { layer(s, 0).kernel = [3, 0] }, 'layers[0].kernel[1]', 'positive integer'],
    ['kernel length', cnn, (s) => { layer(s, 0).kernel = [3] }, 'layers[0].kernel', '[height, width]'],
    ['stride type', cnn, (s) => { layer(s, 1).stride = [2, '2'] }, 'layers[1].stride[1]', 'positive integer'],
    ['padding word', cnn, (s) => { layer(s, 0).padding = 'full' }, 'layers[0].padding', /'same', 'valid' or \[top, left, bottom, right\]/],
    ['padding length', cnn, (s) => { layer(s, 0).padding = [1, 1, 1] }, 'layers[0].padding', 'top, left, bottom, right'],
    ['padding element', cnn, (s) => { layer(s, 0).padding = [1, -1, 1, 1] }, 'layers[0].padding[1]', 'non-negative integer'],
    ['activation', cnn, (s) => { layer(s, 0).activation = 'gelu' }, 'layers[0].activation', /'relu', 'relu6', 'none'/],
    ['bias', cnn, (s) => { layer(s, 0).bias = 'yes' }, 'layers[0].bias', 'true or false'],
    ['multiplier zero', () => clone(builtinModels['dscnn-mnist']) as unknown as Json, (s) => { layer(s, 1).multiplier = 0 }, 'layers[1].multiplier', 'positive integer'],
    ['multiplier fraction', () => clone(builtinModels['dscnn-mnist']) as unknown as Json, (s) => { layer(s, 1).multiplier = 1.5 }, 'layers[1].multiplier', 'positive integer'],
    ['field of another layer type', cnn, (s) => { layer(s, 1).filters = 4 }, 'layers[1].filters', 'unknown field'],
    ['duplicate id', resnet, (s) => { layer(s, 1).id = 'stem' }, 'layers[1].id', /duplicate id 'stem'.*layers\[0\]/],
    ['empty id', resnet, (s) => { layer(s, 1).id = '' }, 'layers[1].id', 'empty'],
    ['add from a later layer', resnet, (s) => { layer(s, 3).from = 'stack2' }, 'layers[3].from', /'stack2' names no earlier layer/],
    ['add from itself', resnet, (s) => { layer(s, 3).from = 'stack1' }, 'layers[3].from', 'no earlier layer'],
    ['add from a missing id', resnet, (s) => { layer(s, 3).from = 'nope' }, 'layers[3].from', 'no earlier layer'],
    ['add without from', resnet, (s) => { delete layer(s, 3).from }, 'layers[3].from', 'required'],
    ['shortcut not an array', resnet, (s) => { layer(s, 6).shortcut = {} }, 'layers[6].shortcut', 'array'],
    ['error inside a shortcut', resnet, (s) => { ((layer(s, 6).shortcut as Json[])[0]).kernel = [0, 1] }, 'layers[6].shortcut[0].kernel[0]', 'positive integer'],
    ['add nested in a shortcut', resnet, (s) => { (layer(s, 6).shortcut as Json[]).push({ type: 'add', from: 'stem' }) }, 'layers[6].shortcut[1].type', 'cannot be nested'],
    // shape errors surface through validation too
    ['dense on an image', cnn, (s) => { (s.layers as Json[]).splice(4, 1) }, 'layers[4]', /dense needs a vector input.*flatten/],
    ['conv on a vector', () => clone(builtinModels['fc-autoencoder-ad']) as unknown as Json, (s) => { (s.layers as Json[]).unshift({ type: 'conv2d', filters: 2, kernel: [1, 1] }) }, 'layers[0]', 'conv2d needs an image input'],
    ['window larger than input', cnn, (s) => { layer(s, 2).kernel = [15, 15]; layer(s, 2).padding = 'valid' }, 'layers[2]', 'does not fit'],
    ['add operand shapes', resnet, (s) => { delete layer(s, 6).shortcut }, 'layers[6]', /add 'stack2'.*\[16, 16, 32\].*\[32, 32, 16\].*'stack1'/],
    ['shortcut output shape', resnet, (s) => { ((layer(s, 6).shortcut as Json[])[0]).filters = 16 }, 'layers[6]', /add 'stack2'.*after its shortcut/],
    ['classification head', cnn, (s) => { (s.layers as Json[]).splice(4, 2) }, 'layers[3]', 'vector of at least 2 logits'],
    ['reconstruction size', () => clone(builtinModels['fc-autoencoder-ad']) as unknown as Json, (s) => { layer(s, 9).units = 64 }, 'layers[9]', 'as many values as its input'],
  ]
  it.each(cases)('%s: names the field', (_, base, mutate, path, text) => expectError(base, mutate, path, text))

  it('collects every error instead of stopping at the first', () => {
    const s = cnn()
    s.schemaVersion = 9
    layer(s, 0).kernel = [3, -1]
    layer(s, 2).filtrs = 1
    layer(s, 5).units = 0
    expect(errorsOf(s).map((e) => e.path)).toEqual(expect.arrayContaining(['schemaVersion', 'layers[0].kernel[1]', 'layers[2].filtrs', 'layers[5].units']))
  })

  it('does not share objects with its input', () => {
    const raw = cnn()
    const r = parseModelSpec(raw)
    expect(r.ok).toBe(true)
    layer(raw, 0).filters = 99
    if (r.ok) expect(r.spec.layers[0]).toMatchObject({ filters: 8 })
  })
})

describe('loadModelSpec', () => {
  it('returns the spec or throws one error listing every field error', () => {
    expect(loadModelSpec(cnn()).name).toBe('cnn-mnist')
    const s = cnn()
    layer(s, 0).kernel = [3, 0]
    layer(s, 2).filtrs = 1
    let thrown: unknown
    try { loadModelSpec(s) } catch (e) { thrown = e }
    expect(thrown).toBeInstanceOf(ModelSpecError)
    expect((thrown as Error).message).toMatch(/'cnn-mnist'[\s\S]*layers\[0\]\.kernel\[1\][\s\S]*layers\[2\]\.filtrs: unknown field/)
    expect((thrown as ModelSpecError).errors).toHaveLength(2)
  })
})

// --- Fuzz: random mutations of valid descriptions never throw, and every error points into the document ---

type Seg = string | number

/** Parses `layers[3].kernel[1]`, `layers[2]["a b"]`, `input.shape`; null when the path is malformed. */
function parsePath(path: string): Seg[] | null {
  if (path === '') return []
  const re = /^(?:([A-Za-z_$][\w$]*)|\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/
  const segs: Seg[] = []
  let rest = path
  while (rest.length > 0) {
    const m = re.exec(rest)
    if (!m || (m[1] !== undefined && segs.length > 0)) return null
    segs.push(m[1] ?? m[2] ?? (m[3] !== undefined ? Number(m[3]) : (JSON.parse(m[4]) as string)))
    rest = rest.slice(m[0].length)
  }
  return segs
}

/** Every segment but the last must exist; the last may be missing (a required field) under an object. */
function pathPointsInto(doc: unknown, path: string): boolean {
  const segs = parsePath(path)
  if (segs === null) return false
  let node: unknown = doc
  for (let i = 0; i < segs.length; i++) {
    if (typeof node !== 'object' || node === null) return false
    const s = segs[i]
    if (Array.isArray(node) !== (typeof s === 'number')) return false
    const has = Object.prototype.hasOwnProperty.call(node, s)
    if (!has) return i === segs.length - 1 && typeof s === 'string'
    node = (node as Record<Seg, unknown>)[s]
  }
  return true
}

/** All (container, key) locations in a JSON tree. */
function locations(v: unknown, out: [Json | unknown[], Seg][] = []): [Json | unknown[], Seg][] {
  if (Array.isArray(v)) v.forEach((x, i) => { out.push([v, i]); locations(x, out) })
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) { out.push([v as Json, k]); locations(x, out) }
  return out
}

const smallValue = fc.oneof(
  fc.integer({ min: -3, max: 40 }), fc.double(), fc.boolean(), fc.constant(null),
  fc.constantFrom('same', 'valid', 'relu', 'none', 'dense', 'conv2d', 'add', 'stem', 'stack1', 'x'),
  fc.array(fc.integer({ min: -1, max: 5 }), { maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }),
)
const mutation = fc.record({ kind: fc.constantFrom('set', 'delete', 'add'), at: fc.nat(), key: fc.string({ maxLength: 6 }), value: smallValue })

describe('fuzz', () => {
  it('random mutations of valid descriptions validate or give errors with paths into the document; never throw', () => {
    fc.assert(fc.property(fc.constantFrom(...BUILTIN_MODEL_NAMES), fc.array(mutation, { minLength: 1, maxLength: 4 }), (name, muts) => {
      const doc = clone(builtinModels[name]) as unknown
      for (const m of muts) {
        const locs = locations(doc)
        const [container, key] = locs[m.at % locs.length]
        if (m.kind === 'set') (container as Record<Seg, unknown>)[key] = clone(m.value)
        else if (m.kind === 'delete') { if (Array.isArray(container)) container.splice(key as number, 1); else delete container[key as string] }
        else if (!Array.isArray(container)) container[m.key] = clone(m.value)
      }
      const r = parseModelSpec(doc)
      if (r.ok) {
        expect(analyzeShapes(r.spec).errors).toEqual([])
      } else {
        expect(r.errors.length).toBeGreaterThan(0)
        for (const e of r.errors) expect(pathPointsInto(doc, e.path), `${e.path}: ${e.message}`).toBe(true)
      }
    }), { numRuns: 400 })
  })
})
