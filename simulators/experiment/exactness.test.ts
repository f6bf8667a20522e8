// Validation's exactness verdict (exactness.ts) against the engine's own refusal at run start: the integer
// network built from a calibrated model (quantize-model.ts, qnetwork.ts checkExactness), which sees the
// real zero points. Where the model decides the zero point, validation must refuse exactly what the run
// would refuse; the one-bit band of layers reading a signed tensor is left to the run, and counted.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildGraph, hasWeights } from '../model/graph'
import type { ModelSpec } from '../model/spec'
import { initParams } from '../training/float/float-network'
import { quantizeModel } from '../training/network/quantize-model'
import { QNetwork } from '../training/network/qnetwork'
import { DEFAULT_FORMATS, resolveFormats, type NumericFormatsSpec } from '../training/network/formats'
import { minValue } from '../core/int-format'
import { inexactAt, nonNegativeOutputs } from './exactness'
import { parseExperiment } from './validate'

const SIDE = 8
const activation = fc.constantFrom('relu', 'relu6', 'none')
/** small image models with every way a tensor's sign is set: fused activations, a standalone ReLU, a residual add, pooling */
const model = fc.record({
  filters: fc.integer({ min: 1, max: 3 }), kernel: fc.integer({ min: 1, max: 3 }), act0: activation,
  standaloneRelu: fc.boolean(),
  residual: fc.option(fc.record({ act: activation, addAct: activation }), { nil: undefined }),
  pool: fc.boolean(), global: fc.boolean(),
  hidden: fc.option(fc.record({ units: fc.integer({ min: 1, max: 4 }), act: activation }), { nil: undefined }),
}).map((m): ModelSpec => ({
  schemaVersion: 1, name: 'exactness', task: 'classification', input: { shape: [SIDE, SIDE, 1] },
  layers: [
    { type: 'conv2d', id: 'c0', filters: m.filters, kernel: [m.kernel, m.kernel], padding: 'same', activation: m.act0 },
    ...(m.standaloneRelu ? [{ type: 'relu' as const }] : []),
    ...(m.residual ? [
      { type: 'conv2d' as const, filters: m.filters, kernel: [3, 3] as [number, number], padding: 'same' as const, activation: m.residual.act },
      { type: 'add' as const, from: 'c0', activation: m.residual.addAct },
    ] : []),
    ...(m.pool ? [{ type: 'maxPool2d' as const, kernel: [2, 2] as [number, number] }] : []),
    m.global ? { type: 'globalAvgPool2d' as const } : { type: 'flatten' as const },
    ...(m.hidden ? [{ type: 'dense' as const, units: m.hidden.units, activation: m.hidden.act }] : []),
    { type: 'dense', units: 3 },
  ],
}) as ModelSpec)

/** formats drawn near the 2^53 line for these layers' 1–192 products (24–32-bit weights, 12–28-bit activations) */
const formats = fc.record({
  weightBits: fc.integer({ min: 24, max: 32 }), activationBits: fc.integer({ min: 12, max: 28 }),
  accumulatorBits: fc.constantFrom(32, 48, 64, 64), accumulatorOverflow: fc.constantFrom('saturate', 'wrap'),
}).map((f): NumericFormatsSpec => ({ ...DEFAULT_FORMATS, ...f } as NumericFormatsSpec))

const images = (n: number, size = SIDE * SIDE) => Float32Array.from({ length: n * size }, (_, i) => ((i * 2654435761) % 1009) / 1008)

/** The path of the layer the engine refuses at run start, or undefined when it builds. */
function engineRefuses(spec: ModelSpec, f: NumericFormatsSpec, seed: number): string | undefined {
  const graph = buildGraph(spec)
  const n = 4
  const q = quantizeModel(graph, initParams(graph, seed), resolveFormats(f), images(n, graph[0].inShape.reduce((a, b) => a * b, 1)), n)
  try {
    new QNetwork(q, n)
    return undefined
  } catch (e) {
    const m = /^(\S+): with .* can exceed 2\^53; training supports narrower formats$/.exec((e as Error).message)
    if (!m) throw e
    return m[1]
  }
}

describe('exactness at validation (issue 14)', () => {
  it('a zero point the model decides is the one calibration gives', () => {
    fc.assert(fc.property(model, fc.integer({ min: 0, max: 1000 }), (spec, seed) => {
      const graph = buildGraph(spec)
      const f = resolveFormats({ ...DEFAULT_FORMATS, activationBits: 8 })
      const q = quantizeModel(graph, initParams(graph, seed), f, images(4), 4)
      nonNegativeOutputs(graph).forEach((known, i) => {
        const out = q.nodes[i].out
        // a range of only zeros (a dead ReLU) gets scale 1 and zero point 0: the one exception
        if (known && out.scales[0] !== 1) expect(out.zeroPoints[0], graph[i].path).toBe(minValue(f.activation))
      })
    }), { seed: 1453, numRuns: 150 })
  })

  it('refuses at validation exactly what the run refuses where the zero point is decided; counts the band left to the run', () => {
    let agreeRefused = 0, agreeRuns = 0, band = 0, dead = 0
    fc.assert(fc.property(model, formats, fc.integer({ min: 0, max: 1000 }), (spec, f, seed) => {
      const said = inexactAt(spec, f)
      const engine = engineRefuses(spec, f, seed)
      if (said && engine) { agreeRefused++; return }
      if (!said && !engine) { agreeRuns++; return }
      const graph = buildGraph(spec)
      const known = nonNegativeOutputs(graph)
      if (engine) {
        // the run refused what validation let through: only a layer reading a signed tensor may do that
        const layer = graph.find((n) => n.path === engine)!
        expect(hasWeights(layer) && layer.inputs[0] >= 0 && !known[layer.inputs[0]], `${engine} reads a tensor whose zero point is known: ${JSON.stringify({ spec, f })}`).toBe(true)
        band++
      } else {
        // validation refused what would have run: only through a dead ReLU layer (zero point 0, not the minimum)
        const q = quantizeModel(graph, initParams(graph, seed), resolveFormats(f), images(4), 4)
        expect(q.nodes.some((_, i) => known[i] && q.nodes[i].out.scales[0] === 1), `refused a runnable spec: ${said} ${JSON.stringify({ spec, f })}`).toBe(true)
        dead++
      }
    }), { seed: 1454, numRuns: 300 })
    console.log(`exactness: ${agreeRefused} refused by both, ${agreeRuns} run by both, ${band} left to the run (signed input, band), ${dead} refused at validation through a dead ReLU`)
    expect(agreeRefused).toBeGreaterThan(20)
    expect(agreeRuns).toBeGreaterThan(20)
  })

  // conv (ReLU) → flatten → dense over 7·7·6 = 294 ReLU outputs, 32-bit weights, 14-bit activations, a
  // 64-bit wrapping accumulator: 294 · (2^14 − 1) · 2^31 ≥ 2^53 > 294 · 2^13 · 2^31. The older check
  // assumed a zero point mid-format for any layer not reading the images, let this through, and the run
  // refused it at its start.
  const relu: ModelSpec = {
    schemaVersion: 1, name: 'band', task: 'classification', input: { shape: [28, 28, 1] },
    layers: [{ type: 'conv2d', filters: 6, kernel: [3, 3], stride: [4, 4], padding: 'same', activation: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 10 }],
  } as ModelSpec
  const band = { weightBits: 32, activationBits: 14, accumulatorBits: 64, accumulatorOverflow: 'wrap' }

  it('the band case is outside 2^53 by exact integer arithmetic', () => {
    const taps = 7n * 7n * 6n // 28/4 = 7 rows and columns of 'same' outputs, 6 filters: the dense layer's products per output
    expect(taps * (2n ** 14n - 1n) * 2n ** 31n >= 2n ** 53n).toBe(true)
    expect(taps * 2n ** 13n * 2n ** 31n < 2n ** 53n).toBe(true)
  })

  it('an experiment in the band with a ReLU-fed layer is a field error at validation', () => {
    const r = parseExperiment({ model: relu, data: { dataset: 'synthetic' }, formats: band, runs: [{ algorithm: 'backprop' }] })
    expect(r.ok).toBe(false)
    const e = r.ok ? undefined : r.errors.find((x) => x.path === 'formats')
    expect(e?.message).toMatch(/layers\[2\]'s sums of 294 products can pass 2\^53 in a 64-bit wrapping accumulator/)
    // and the engine agrees: the run would have refused it at its start
    expect(engineRefuses(relu, { ...DEFAULT_FORMATS, ...band } as NumericFormatsSpec, 1)).toBe('layers[2]')
  })

  it('the same model with a signed hidden tensor stays in the band: validation passes, the run decides', () => {
    const signed = { ...relu, layers: [{ ...relu.layers[0], activation: 'none' }, ...relu.layers.slice(1)] } as ModelSpec
    expect(inexactAt(signed, { ...DEFAULT_FORMATS, ...band } as NumericFormatsSpec)).toBeUndefined()
  })
})
