/**
 * The cases of issue 14 that crashed, hung or misled a parser, one test each, and the run-time failures
 * of specs that used to validate: each is now rejected at validation, at the field it concerns.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkBounds, excerpt, type FieldError } from './core/schema'
import { parseModelSpec } from './model/validate'
import { MAX_DIMENSION, MAX_ELEMENTS, tapsAlong } from './model/shapes'
import { builtinModels, BUILTIN_MODEL_NAMES } from './model/builtin'
import { analyzeShapes, summarizeModel } from './model/shapes'
import { buildGraph } from './model/graph'
import type { ModelSpec } from './model/spec'
import { parseExperiment } from './experiment/validate'
import { TINY_EXPERIMENT } from './experiment/tiny-experiment'
import { parseSweep } from './sweep/trials'
import { parseProfile } from './hardware/profiles/parse-profile'
import { PRESET_FILES } from './hardware/profiles/presets/index'

type Json = Record<string, unknown>
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T
const mlp = (): Json => clone(builtinModels['mlp-mnist']) as unknown as Json
const layersOf = (m: Json) => m.layers as Json[]

type Parsed = { ok: true } | { ok: false; errors: FieldError[] }
function errorsOf(r: Parsed): FieldError[] {
  if (r.ok) throw new Error('expected errors, it validated')
  return r.errors
}
/** The parse rejects `raw` with an error at `path` whose message matches `text`. */
function rejects(parse: (raw: unknown) => Parsed, raw: unknown, path: string, text: RegExp): void {
  const errors = errorsOf(parse(raw))
  const e = errors.find((x) => x.path === path)
  expect(e, JSON.stringify(errors).slice(0, 2000)).toBeDefined()
  expect(e!.message).toMatch(text)
}
const timed = <T>(f: () => T): { value: T; ms: number } => { const t0 = performance.now(); const value = f(); return { value, ms: performance.now() - t0 } }

const parsers: [string, (raw: unknown) => Parsed, () => Json][] = [
  ['model', parseModelSpec, mlp],
  ['experiment', parseExperiment, () => clone(TINY_EXPERIMENT) as Json],
  ['sweep', parseSweep, () => ({ devices: ['nrf52840'] })],
  ['profile', parseProfile, () => clone(PRESET_FILES[0]) as Json],
]

describe('bounded time: what used to hang', () => {
  it('a model input of 2^31 × 28 is rejected at once, at the dimension (it took 44 s)', () => {
    const m = mlp()
    m.input = { shape: [2 ** 31, 28, 1] }
    layersOf(m).unshift({ type: 'conv2d', filters: 4, kernel: [3, 3] })
    const { value, ms } = timed(() => parseModelSpec(m))
    expect(ms).toBeLessThan(100)
    rejects(() => value, m, 'input.shape[0]', new RegExp(`at most ${MAX_DIMENSION}`))
  })

  it('a tensor or a layer beyond 2^24 values is rejected where it appears', () => {
    const big = mlp()
    big.input = { shape: [4096, 4096, 2] }
    rejects(parseModelSpec, big, 'input.shape', /more than 16777216/)
    const wide = mlp()
    layersOf(wide)[1].units = 60000 // 784 × 60000 weights
    rejects(parseModelSpec, wide, 'layers[1]', /weights, more than 16777216/)
    const conv = mlp()
    layersOf(conv).unshift({ type: 'conv2d', filters: 30000, kernel: [1, 1] }) // 28 × 28 × 30000 outputs
    rejects(parseModelSpec, conv, 'layers[0]', /values per sample, more than 16777216/)
  })

  it('a large model within the bounds validates and builds its graph in bounded time (the tap count was oh·ow·kh·kw steps)', () => {
    const m = mlp()
    m.input = { shape: [4096, 4096, 1] }
    m.layers = [{ type: 'conv2d', filters: 1, kernel: [64, 64], padding: 'same' }, { type: 'globalAvgPool2d' }, { type: 'dense', units: 10 }]
    const { value, ms } = timed(() => parseModelSpec(m))
    expect(value.ok).toBe(true)
    const built = timed(() => buildGraph(m as unknown as ModelSpec))
    expect(ms + built.ms).toBeLessThan(1000)
    const conv = built.value[0]
    expect(conv.macsPerSample).toBe(analyzeShapes(m as unknown as ModelSpec).layers[0].macs)
  })

  it('every built-in model is well inside the bounds', () => {
    for (const name of BUILTIN_MODEL_NAMES) {
      const s = summarizeModel(builtinModels[name])
      expect(s.maxActivationElements, name).toBeLessThan(MAX_ELEMENTS / 64)
    }
  })

  it('the closed-form tap count equals the count over every (output, tap) pair', () => {
    const loop = (n: number, k: number, s: number, d: number, p: number, out: number) => {
      let taps = 0
      for (let o = 0; o < out; o++) for (let t = 0; t < k; t++) { const i = o * s - p + t * d; if (i >= 0 && i < n) taps++ }
      return taps
    }
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), (n, k, s, d, pb, pa) => {
      const out = Math.floor((n + pb + pa - d * (k - 1) - 1) / s) + 1
      if (out < 1) return
      expect(tapsAlong(n, k, s, d, pb, out)).toBe(loop(n, k, s, d, pb, out))
    }), { numRuns: 2000, seed: 14 })
  })

  it('a sweep whose grid lists 10^9 trials is refused by arithmetic, before listing them', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1 + i)
    const raw = { devices: ['nrf52840'], runs: [{ algorithm: 'zo-spsa' }], hyperparameterGrid: { 'zo-spsa': { perturbations: values, zBits: values, density: values } } }
    const { value, ms } = timed(() => parseSweep(raw))
    expect(ms).toBeLessThan(1000)
    expect(errorsOf(value)[0]).toMatchObject({ path: 'grid', message: expect.stringMatching(/makes 1000000000 trials/) })
    const sampled = timed(() => parseSweep({ ...raw, sample: { count: 10, seed: 1 } }))
    expect(sampled.ms).toBeLessThan(1000)
    expect(errorsOf(sampled.value)[0]).toMatchObject({ path: 'sample', message: expect.stringMatching(/draws from 1000000000 trials/) })
  })
})

describe('bounded depth and message size: what used to overflow the stack', () => {
  const deep = (n: number) => JSON.parse(`${'{"a":['.repeat(n)}1${']}'.repeat(n)}`) as unknown
  it.each(parsers)('%s: JSON nested 2,500 deep is refused with the path where it gets too deep', (_, parse, base) => {
    for (const at of ['description', 'layers', 'experiment', 'compute']) {
      const raw = { ...base(), [at]: deep(2500) }
      const errors = errorsOf(parse(raw))
      expect(errors).toHaveLength(1)
      expect(errors[0].message).toMatch(/nests more than 64 levels deep/)
      expect(errors[0].path.startsWith(`${at}.a[0]`)).toBe(true)
    }
    // a list nested 3,000 deep as the whole document
    let v: unknown = 0
    for (let i = 0; i < 3000; i++) v = [v]
    expect(errorsOf(parse(v))[0].message).toMatch(/nests more than 64 levels deep/)
  })

  it.each(parsers)('%s: a message quotes a short excerpt of the value, never all of it', (_, parse, base) => {
    const raw = { ...base(), schemaVersion: Array.from({ length: 200_000 }, (_, i) => i) }
    for (const e of errorsOf(parse(raw))) expect(e.message.length + e.path.length).toBeLessThan(400)
  })

  it('a list of 100,000 wrong entries is reported by its first 100 errors, quickly', () => {
    const raw = { ...clone(PRESET_FILES[0]) as Json, formats: { ...(clone(PRESET_FILES[0]) as { formats: Json }).formats, accumulatorBits: Array.from({ length: 100_000 }, (_, i) => i % 7) } }
    const { value, ms } = timed(() => parseProfile(raw))
    expect(ms).toBeLessThan(500)
    const errors = errorsOf(value)
    expect(errors).toHaveLength(101)
    expect(errors.at(-1)).toEqual({ path: '', message: 'the first 100 errors are listed; there may be more' })
  })

  it('checkBounds counts values and finds the first too-deep path; excerpt stops early', () => {
    expect(checkBounds({ a: [1, 2, { b: 3 }] })).toBeUndefined()
    expect(checkBounds({ a: [1, { b: [[1]] }] }, 3)).toEqual({ path: 'a[1].b', message: 'nests more than 3 levels deep' })
    expect(checkBounds([1, 2, 3, 4], 64, 3)?.message).toMatch(/more than 3 values/)
    expect(excerpt(Array.from({ length: 1e6 }, () => 7))).toHaveLength(80)
    expect(excerpt({ a: 'x', b: [1, -0] })).toBe('{"a":"x","b":[1,-0]}')
  })
})

describe('own properties only: names of Object.prototype members are not fields, kinds or types', () => {
  it('scope kind "constructor" (and "toString") is rejected, not trained as all', () => {
    for (const kind of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      rejects(parseExperiment, { runs: [{ algorithm: 'backprop', scope: { kind } }] }, 'runs[0].scope.kind', /must be one of "all", "last", "biases"/)
    }
  })

  it.each(parsers)('%s: unknown fields named after Object.prototype members are errors', (_, parse, base) => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__']) {
      const raw = JSON.parse(JSON.stringify(base()).replace(/^\{/, `{"${key}": 1, `)) as Json
      expect(Object.hasOwn(raw, key)).toBe(true)
      const errors = errorsOf(parse(raw))
      expect(errors.some((e) => e.path === key && /unknown field/.test(e.message)), `${key}: ${JSON.stringify(errors)}`).toBe(true)
    }
  })

  it('layer type "constructor" or "toString" is an unknown layer type', () => {
    for (const type of ['constructor', 'toString', '__proto__']) {
      const m = mlp()
      layersOf(m)[0] = { type }
      rejects(parseModelSpec, m, 'layers[0].type', /unknown layer type/)
    }
  })

  it('a hyperparameter grid keyed "__proto__" is an error, not a prototype', () => {
    const raw = JSON.parse('{"devices": ["nrf52840"], "hyperparameterGrid": {"__proto__": {"perturbations": [1, 2]}}}') as Json
    rejects(parseSweep, raw, 'hyperparameterGrid.__proto__', /no run uses the algorithm "__proto__"/)
  })

  it('hyperparameters must be an object', () => {
    for (const hyperparameters of [5, 'lr', [1]]) rejects(parseExperiment, { runs: [{ algorithm: 'backprop', hyperparameters }] }, 'runs[0].hyperparameters', /must be an object/)
  })
})

describe('specs that validated and then failed or misled at run time are rejected at validation', () => {
  it('stochastic formats rounding (the network requantizes deterministically)', () => {
    rejects(parseExperiment, { formats: { rounding: 'stochastic' } }, 'formats.rounding', /stochastic rounding is not available for activations and gradients/)
    rejects(parseExperiment, { runs: [{ algorithm: 'zo-spsa', formats: { rounding: 'stochastic' } }] }, 'runs[0].formats.rounding', /not available/)
    rejects(parseSweep, { devices: ['nrf52840'], formats: [{}, { rounding: 'stochastic' }] }, 'formats[1].rounding', /not available/)
    rejects(parseSweep, { devices: ['nrf52840'], grid: { rounding: ['half-away', 'stochastic'] } }, 'grid.rounding[1]', /not available/)
    // stochastic weight updates stay available, as a hyperparameter
    expect(parseExperiment({ runs: [{ algorithm: 'backprop', hyperparameters: { rounding: 'stochastic' } }] }).ok).toBe(true)
  })

  it('an inline model whose input is not the data set\'s 28×28×1 images (it ran and reported 10.6 %)', () => {
    const m = mlp()
    m.input = { shape: [14, 14, 1] }
    rejects(parseExperiment, { model: m }, 'model.input.shape', /takes \[14, 14, 1\] inputs; MNIST images are \[28, 28, 1\]/)
    rejects(parseExperiment, { data: { dataset: 'synthetic' }, model: m }, 'model.input.shape', /synthetic images are \[28, 28, 1\]/)
    rejects(parseExperiment, { data: { dataset: 'synthetic' }, model: 'resnet8-cifar10' }, 'model', /resnet8-cifar10 takes \[32, 32, 3\] inputs/)
    rejects(parseExperiment, { data: { dataset: 'synthetic' }, model: 'fc-autoencoder-ad' }, 'model', /reconstruction model/)
  })

  it('a last layer whose size is not the class count', () => {
    for (const units of [5, 12]) {
      const m = mlp()
      layersOf(m)[3].units = units
      rejects(parseExperiment, { model: m }, 'model.layers[3]', new RegExp(`ends in ${units} outputs; the MNIST images have 10 classes`))
    }
    rejects(parseExperiment, { data: { dataset: 'synthetic' }, model: 'mobilenetv1-vww' }, 'model', /takes \[96, 96, 3\]/)
  })

  it('formats whose sums pass 2^53 whatever the calibration (the network refused them when the run started)', () => {
    const wide = { model: 'mlp-mnist', formats: { weightBits: 32, activationBits: 28 } }
    rejects(parseExperiment, wide, 'formats', /layers\[1\]'s sums of 784 products can pass 2\^53 in a 32-bit saturating accumulator/)
    rejects(parseExperiment, { ...wide, formats: { weightBits: 25, activationBits: 32, accumulatorBits: 16, accumulatorOverflow: 'wrap' } }, 'formats', /wrapping accumulator/)
    rejects(parseExperiment, { runs: [{ algorithm: 'backprop', formats: { weightBits: 29, activationBits: 29 } }] }, 'runs[0].formats', /^backprop: with 29-bit weights/)
    rejects(parseSweep, { devices: ['nrf52840'], experiment: { model: 'mlp-mnist', deviceFormats: 'requested' }, formats: [{}, { weightBits: 32, activationBits: 28 }] }, 'formats', /can pass 2\^53/)
    // the images' zero point is known: the first layer is checked exactly (this one ran, then refused)
    rejects(parseExperiment, { model: 'mlp-mnist', formats: { weightBits: 32, activationBits: 22, accumulatorBits: 40 } }, 'formats', /layers\[1\]'s sums/)
    expect(parseExperiment({ model: 'mlp-mnist', formats: { weightBits: 16, activationBits: 16 } }).ok).toBe(true)
  })

  it('duplicate data.classes', () => {
    rejects(parseExperiment, { data: { classes: [1, 2, 1] } }, 'data.classes[2]', /repeats class 1 \(data\.classes\[0\]\)/)
  })

  it('more shots (or pretraining images) than the data set holds', () => {
    // MNIST's class 5 has 863 images: 432 in the target half, 431 in the source half
    expect(parseExperiment({ data: { shots: 431 } }).ok).toBe(true)
    rejects(parseExperiment, { data: { shots: 432 } }, 'data.shots', /432 target-domain images of class 5 .* at most 431/)
    expect(parseExperiment({ data: { shots: 440, classes: [0, 1] } }).ok).toBe(true)
    rejects(parseExperiment, { data: { pretrainPerClass: 432 } }, 'data.pretrainPerClass', /431 source-domain images of class 5/)
    // the synthetic set is generated to size, within a memory bound
    expect(parseExperiment({ data: { dataset: 'synthetic', shots: 2000 } }).ok).toBe(true)
    rejects(parseExperiment, { data: { dataset: 'synthetic', pretrainPerClass: 100000 } }, 'data', /generated in memory, at most 5000 per class/)
  })
})
