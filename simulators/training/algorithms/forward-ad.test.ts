import { describe, expect, it } from 'vitest'
import { buildGraph } from '../../model/graph'
import { FloatNetwork, initParams, zeroParamsLike, type FloatParams } from '../float/float-network'
import { dequantizedParams, quantizeModel, type QuantizedModel } from '../network/quantize-model'
import { QNetwork } from '../network/qnetwork'
import { resolveFormats, DEFAULT_FORMATS, type NumericFormatsSpec } from '../network/formats'
import { MemoryTracker } from '../network/memory'
import { directionAddress, directionCode, forwardAd, forwardAdDefaults, forwardAdTrainer, type ForwardAdHyperparameters } from './forward-ad'
import { zoSpsa, zoSpsaDefaults } from './zo-spsa'
import { resolveScope } from '../network/trainable'
import { softmaxCrossEntropyFloat } from '../float/float-loss'
import type { NodeGrads } from '../network/int-backward'
import { channelOfWeight } from '../network/update'
import { tinyCnn, tinyMlp, quadrantTask } from '../../testing/training-fixtures'
import type { ModelSpec } from '../../model/spec'

const WIDE: Partial<NumericFormatsSpec> = { weightBits: 16, activationBits: 16, gradientBits: 16, accumulatorBits: 64 }

function build(spec: ModelSpec, B: number, formats: Partial<NumericFormatsSpec> = {}) {
  const graph = buildGraph(spec)
  const params = initParams(graph, 11)
  params.b.forEach((b) => b?.fill(0.05))
  const data = quadrantTask(64, 4)
  const model = quantizeModel(graph, params, resolveFormats({ ...DEFAULT_FORMATS, ...formats }), data.images, 64)
  return { graph, model, net: new QNetwork(model, B), data }
}

/** The float network's parameter gradient at the model's dequantized weights. */
function floatGradient(model: QuantizedModel, images: Float32Array, labels: Uint8Array, B: number): FloatParams {
  const fp = dequantizedParams(model)
  const fnet = new FloatNetwork(model.graph, fp, B)
  const dl = new Float64Array(B * 4)
  softmaxCrossEntropyFloat(fnet.forward(images, B), labels, B, 4, dl)
  const fg = zeroParamsLike(fp)
  fnet.backward(dl, fg)
  return fg
}

/** Runs one step with the estimate recorded instead of applied: real gradients per node. */
function recordStep(spec: ModelSpec, B: number, hp: Partial<ForwardAdHyperparameters>, formats: Partial<NumericFormatsSpec> = {}) {
  const { model, net, data } = build(spec, B, formats)
  const images = data.images.subarray(0, B * 64), labels = data.labels.subarray(0, B)
  const recorded = new Map<number, { w: Float64Array; b: Float64Array }>()
  const sink = { apply(i: number, g: NodeGrads) { recorded.set(i, { w: Float64Array.from(g.dW!, (v) => v * g.dWScale!), b: Float64Array.from(g.dB!, (v) => v * g.dBScale!) }); return { changed: 0, eligible: 0 } } }
  const full = { ...forwardAdDefaults, ...hp }
  const observed: number[] = []
  const report = forwardAdTrainer({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 5, tracker: new MemoryTracker(), maxBatch: B }, full, sink, (d) => observed.push(...d)).step(images, labels, B, 0)
  return { model, net, recorded, observed, report, fg: floatGradient(model, images, labels, B), hp: full }
}

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let ab = 0, aa = 0, bb = 0
  for (let i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i] }
  return ab / Math.sqrt(aa * bb)
}

describe('forward-mode AD (fixed point)', () => {
  it('one direction: the integer directional derivative equals the float ∇L·v within quantization error', () => {
    // tinyCnn exercises conv, depthwise, residual add, max and average pooling, flatten and dense tangents
    for (const spec of [tinyMlp, tinyCnn]) {
      const B = 8
      const { model, net, recorded, observed, fg, hp } = recordStep(spec, B, { directions: 1, epsilonLsb: 64, zBits: 12 }, WIDE)
      // ∇_θ L · K with θ in weight LSBs: the float gradient times s_w, against the regenerated direction
      let want = 0
      for (const i of recorded.keys()) {
        const sw = model.nodes[i].w!.quant.scales
        const chan = channelOfWeight(net, i)
        const aw = directionAddress(5, 0, i, false), ab = directionAddress(5, 0, i, true)
        fg.w[i]!.forEach((v, j) => { want += v * sw[chan(j)] * directionCode(hp, aw, fg.w[i]!.length, 0, j) })
        fg.b[i]!.forEach((v, c) => { want += v * sw[sw.length === 1 ? 0 : c] * directionCode(hp, ab, fg.b[i]!.length, 0, c) })
      }
      const dL = observed[0]
      expect(Math.abs(dL - want)).toBeLessThan(0.002 * Math.abs(want))
    }
  })

  // d ≈ 1,660 parameters (tinyMlp): an m-direction estimate has expected cosine ≈ √(m / (m + d)) with ∇_θ
  const cosineWithGradient = (m: number) => {
    const { model, net, recorded, fg } = recordStep(tinyMlp, 32, { directions: m, epsilonLsb: 64, zBits: 12 })
    const est: number[] = [], want: number[] = []
    for (const [i, r] of recorded) {
      const sw = model.nodes[i].w!.quant.scales
      const chan = channelOfWeight(net, i)
      r.w.forEach((v, j) => { est.push(v * sw[chan(j)]); want.push(fg.w[i]![j] * sw[chan(j)]) })
      r.b.forEach((v, c) => { est.push(v * sw[sw.length === 1 ? 0 : c]); want.push(fg.b[i]![c] * sw[sw.length === 1 ? 0 : c]) })
    }
    return cosine(est, want)
  }

  it('the m-direction estimate agrees with the true gradient statistically (m = 400: √(m/(m+d)) ≈ 0.44)', () => {
    const c400 = cosineWithGradient(400)
    expect(c400).toBeGreaterThan(0.3)
    expect(c400).toBeLessThan(0.6)
    const c16 = cosineWithGradient(16)
    expect(c16).toBeGreaterThan(0.03)
    expect(c400).toBeGreaterThan(c16)
  })

  it('reduces the loss of a separable task (MLP, last layer, 16-bit weights)', () => {
    const B = 16
    const { net, data } = build(tinyMlp, B)
    const tr = forwardAd.create({ net, trainable: resolveScope(net, { kind: 'last', layers: 1 }), seed: 2, tracker: new MemoryTracker(), maxBatch: B }, { ...forwardAdDefaults, directions: 4, lr: 0.05 })
    const losses: number[] = []
    for (let s = 0; s < 60; s++) {
      const k = (s * B) % 64
      losses.push(tr.step(data.images.subarray(k * 64, (k + B) * 64), data.labels.subarray(k, k + B), B, s).loss)
    }
    const mean = (a: number[]) => a.reduce((x, y) => x + y) / a.length
    expect(mean(losses.slice(-10))).toBeLessThan(0.8 * mean(losses.slice(0, 10)))
  })

  it('memory: no saved activations; a tangent beside every live activation (about 2× inference at equal widths)', () => {
    const B = 16
    const run = (alg: 'fad' | 'zo', gradientBits: number) => {
      const { net, data } = build(tinyCnn, B, { gradientBits })
      const tracker = new MemoryTracker()
      const ctx = { net, trainable: resolveScope(net, { kind: 'all' }), seed: 2, tracker, maxBatch: B }
      const tr = alg === 'fad' ? forwardAd.create(ctx, { ...forwardAdDefaults, directions: 2 }) : zoSpsa.create(ctx, zoSpsaDefaults)
      const r = tr.step(data.images.subarray(0, B * 64), data.labels.subarray(0, B), B, 0)
      expect(tracker.totalNow).toBe(0) // every step buffer freed (SGD keeps no state)
      return r
    }
    const inference = run('zo', 16).memory.peak.scratch
    for (const bits of [8, 16]) {
      const fad = run('fad', bits)
      expect(fad.forwardPasses).toBe(2)
      expect(fad.backwardPasses).toBe(0)
      expect(fad.memory.maxByCategory.savedActivations).toBe(0)
      expect(fad.memory.maxByCategory.perturbationState).toBeGreaterThan(0)
      expect(fad.memory.maxByCategory.weightGradients).toBeGreaterThan(0) // one layer's estimate during the update
      // the primal working set is inference's; tangents have the activations' shapes at the gradient width
      // (the network input has none), so they add at most bits/8 × the inference set, here exactly that at the peak
      expect(fad.memory.peak.scratch).toBe(inference)
      expect(fad.memory.peak.activationGradients).toBe((inference * bits) / 8)
    }
  })

  it('is reproducible from its seed (bit-identical weights after steps)', () => {
    const run = () => {
      const B = 8
      const { model, net, data } = build(tinyCnn, B)
      const tr = forwardAd.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 9, tracker: new MemoryTracker(), maxBatch: B }, { ...forwardAdDefaults, directions: 2, rounding: 'stochastic', optimizer: 'momentum' })
      for (let s = 0; s < 3; s++) tr.step(data.images.subarray(0, B * 64), data.labels.subarray(0, B), B, s)
      return model.nodes.flatMap((p) => (p.w ? [...p.w.data, ...(p.b ?? [])] : []))
    }
    const a = run()
    expect(run()).toEqual(a)
  })
})
