import { describe, expect, it } from 'vitest'
import { buildGraph } from '../../model/graph'
import { FloatNetwork, initParams, zeroParamsLike } from '../float/float-network'
import { dequantizedParams, quantizeModel } from '../network/quantize-model'
import { QNetwork } from '../network/qnetwork'
import { resolveFormats, DEFAULT_FORMATS } from '../network/formats'
import { MemoryTracker } from '../network/memory'
import { zoSpsa, zoSpsaDefaults, type ZoSpsaHyperparameters } from './zo-spsa'
import { backprop, backpropDefaults } from './backprop'
import { resolveScope } from '../network/trainable'
import { softmaxCrossEntropyFloat } from '../float/float-loss'
import { tinyCnn, tinyMlp, quadrantTask } from '../../testing/training-fixtures'
import type { ModelSpec } from '../../model/spec'
import { address, drawZ, quantizeZ } from '../network/perturbation'
import { softmaxCrossEntropy } from '../../kernels/loss'
import { newPhaseWork } from '../../core/op'
import { maxValue, minValue } from '../../core/int-format'
import { resolveHyperparameters } from './algorithm'

/** x LSBs of a 16-bit weight as the fraction of full scale zo-spsa's hyperparameters are given in */
const lsb16 = (x: number) => x / 32767

function build(spec: ModelSpec, B: number, activationBits = 8) {
  const graph = buildGraph(spec)
  const params = initParams(graph, 11)
  params.b.forEach((b) => b?.fill(0.05))
  const data = quadrantTask(64, 4)
  const model = quantizeModel(graph, params, resolveFormats({ ...DEFAULT_FORMATS, activationBits, accumulatorBits: 64 }), data.images, 64) // 64-bit: never saturates, these tests are about the estimate
  return { graph, model, net: new QNetwork(model, B), data }
}

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let ab = 0, aa = 0, bb = 0
  for (let i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i] }
  return ab / Math.sqrt(aa * bb)
}

/** One step's weight change of the first dense layer, against the float gradient there. */
function stepAgainstGradient(hp: Partial<ZoSpsaHyperparameters>): number {
  const B = 32
  const { graph, model, net, data } = build(tinyMlp, B, 16)
  const dense = graph.findIndex((n) => n.kind === 'dense')
  const images = data.images.subarray(0, B * 64), labels = data.labels.subarray(0, B)
  const fp = dequantizedParams(model)
  const fnet = new FloatNetwork(graph, fp, B)
  const dl = new Float64Array(B * 4)
  softmaxCrossEntropyFloat(fnet.forward(images, B), labels, B, 4, dl)
  const fg = zeroParamsLike(fp)
  fnet.backward(dl, fg)
  const before = Float64Array.from(model.nodes[dense].w!.data)
  const tr = zoSpsa.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 5, tracker: new MemoryTracker(), maxBatch: B }, { ...zoSpsaDefaults, ...hp })
  tr.step(images, labels, B, 0)
  const delta = Float64Array.from(model.nodes[dense].w!.data, (v, j) => before[j] - v)
  // descent direction in codes is the gradient w.r.t. the code: g_real · s_w (per channel)
  const sw = model.nodes[dense].w!.quant.scales
  const inner = graph[dense].weightShape![1]
  const gCode = fg.w[dense]!.map((v, j) => v * sw[sw.length === 1 ? 0 : Math.floor(j / inner)])
  return cosine(delta, gCode)
}

describe('zeroth-order SPSA', () => {
  // With d ≈ 1,660 trained parameters, an m-direction estimate has an expected cosine with the
  // gradient of about √(m / (m + d)): 0.44 for m = 400, 0.19 for m = 64, 0.02 for m = 1.
  it('the magnitude estimate points along the true gradient on average (m = 400)', () => {
    expect(stepAgainstGradient({ perturbations: 400, estimate: 'magnitude', epsilonFraction: lsb16(64), zBits: 12, lrFraction: lsb16(1e6), rounding: 'stochastic' })).toBeGreaterThan(0.3)
  })

  it('the signed estimate agrees with the gradient on average (m = 400)', () => {
    expect(stepAgainstGradient({ perturbations: 400, estimate: 'sign', epsilonFraction: lsb16(64), zBits: 12, lrFraction: lsb16(64), rounding: 'stochastic' })).toBeGreaterThan(0.25)
  })

  it('more directions correlate better (m = 64 against m = 1)', () => {
    const c1 = stepAgainstGradient({ perturbations: 1, estimate: 'magnitude', epsilonFraction: lsb16(64), zBits: 12, lrFraction: lsb16(1e6), rounding: 'stochastic' })
    const c64 = stepAgainstGradient({ perturbations: 64, estimate: 'magnitude', epsilonFraction: lsb16(64), zBits: 12, lrFraction: lsb16(1e6), rounding: 'stochastic' })
    expect(c64).toBeGreaterThan(0.1)
    expect(c64).toBeGreaterThan(c1)
  })

  it('reduces the loss of a separable task (MLP, last layer, 16-bit weights)', () => {
    const B = 16
    const { net, data } = build(tinyMlp, B)
    const tr = zoSpsa.create({ net, trainable: resolveScope(net, { kind: 'last', layers: 1 }), seed: 2, tracker: new MemoryTracker(), maxBatch: B }, { ...zoSpsaDefaults, perturbations: 4, epsilonFraction: lsb16(256), lrFraction: lsb16(512) })
    const losses: number[] = []
    for (let s = 0; s < 150; s++) {
      const k = (s * B) % 64
      losses.push(tr.step(data.images.subarray(k * 64, (k + B) * 64), data.labels.subarray(k, k + B), B, s).loss)
    }
    const mean = (a: number[]) => a.reduce((x, y) => x + y) / a.length
    expect(mean(losses.slice(-20))).toBeLessThan(0.9 * mean(losses.slice(0, 20)))
  })

  it('needs inference memory only: no saved activations or gradients, far less than backprop at batch 16', () => {
    const B = 16
    const { net, data } = build(tinyCnn, B)
    const zoT = new MemoryTracker()
    const zo = zoSpsa.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 2, tracker: zoT, maxBatch: B }, zoSpsaDefaults).step(data.images.subarray(0, B * 64), data.labels.subarray(0, B), B, 0)
    const bpT = new MemoryTracker()
    const bp = backprop.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 2, tracker: bpT, maxBatch: B }, backpropDefaults).step(data.images.subarray(0, B * 64), data.labels.subarray(0, B), B, 0)
    expect(zo.memory.maxByCategory.savedActivations).toBe(0)
    expect(zo.memory.maxByCategory.activationGradients).toBe(0)
    expect(zo.memory.maxByCategory.perturbationState).toBeGreaterThan(0)
    expect(zo.forwardPasses).toBe(2)
    expect(bp.memory.peakTotal).toBeGreaterThan(zo.memory.peakTotal)
    expect(zoT.totalNow).toBe(0)
  })

  it('is reproducible from its seed (bit-identical weights after steps)', () => {
    const run = () => {
      const B = 8
      const { model, net, data } = build(tinyCnn, B)
      const tr = zoSpsa.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 9, tracker: new MemoryTracker(), maxBatch: B }, { ...zoSpsaDefaults, perturbations: 2, rounding: 'stochastic', density: 0.5, momentumGuided: 0.5, kernelNormalization: true, sharpnessFraction: lsb16(4) })
      for (let s = 0; s < 3; s++) tr.step(data.images.subarray(0, B * 64), data.labels.subarray(0, B), B, s)
      return model.nodes.flatMap((p) => (p.w ? [...p.w.data, ...(p.b ?? [])] : []))
    }
    expect(run()).toEqual(run())
  })

  it('perturbs in place and restores every code exactly, even when ε saturates 8-bit weights (η = 0)', () => {
    const B = 8
    const graph = buildGraph(tinyCnn)
    const data = quadrantTask(64, 4)
    const model = quantizeModel(graph, initParams(graph, 11), resolveFormats({ ...DEFAULT_FORMATS, weightBits: 8 }), data.images, 64)
    const net = new QNetwork(model, B)
    const before = model.nodes.flatMap((p) => (p.w ? [...p.w.data, ...(p.b ?? [])] : []))
    const tracker = new MemoryTracker()
    // ε = half of full scale: most K are tens of LSBs, so many codes clamp at −128 or 127
    const tr = zoSpsa.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 3, tracker, maxBatch: B }, { ...zoSpsaDefaults, perturbations: 3, epsilonFraction: 0.5, lrFraction: 0 })
    const r = tr.step(data.images.subarray(0, B * 64), data.labels.subarray(0, B), B, 0)
    expect(model.nodes.flatMap((p) => (p.w ? [...p.w.data, ...(p.b ?? [])] : []))).toEqual(before)
    // the losses differ from the unperturbed ones, so the forward passes did see moved codes
    expect(r.loss).not.toBe(0)
    // no perturbed layer copy: perturbation state is the seeds and losses (12 B a direction) plus
    // the saturation log (8 B per clamped code), and the log was needed here
    const weights = model.nodes.reduce((a, p) => a + (p.w ? p.w.data.length : 0), 0)
    expect(r.memory.maxByCategory.perturbationState).toBeGreaterThan(3 * 12)
    expect(r.memory.maxByCategory.perturbationState).toBeLessThanOrEqual(3 * 12 + 8 * weights + 8 * 64)
    expect(tracker.totalNow).toBe(0)
  })

  it('the saturation log at the default ε holds only codes near the limits, far below a layer copy', () => {
    const B = 8
    const { model, net, data } = build(tinyCnn, B, 16)
    const r = zoSpsa.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 2, tracker: new MemoryTracker(), maxBatch: B }, zoSpsaDefaults).step(data.images.subarray(0, B * 64), data.labels.subarray(0, B), B, 0)
    // |K| ≤ 2^(zBits−1) − 1 = 2047 LSB, so only codes within 2047 of ±32767 can clamp (per-channel
    // scales put each channel's largest weight at full scale, so some always do)
    const near = model.nodes.reduce((a, p) => a + (p.w ? p.w.data.filter((w) => Math.abs(w) > 32767 - 2047).length : 0), 0)
    const log = r.memory.maxByCategory.perturbationState - 12 // one seed (8 B) and one loss (4 B)
    expect(log % 8).toBe(0)
    expect(log).toBeGreaterThan(0)
    expect(log).toBeLessThanOrEqual(8 * near)
    const largestLayer = Math.max(...model.nodes.map((p) => (p.w ? 2 * p.w.data.length : 0)))
    expect(log).toBeLessThan(largestLayer / 4)
  })

  /** one step from the same start; returns the change of every trained code */
  const oneStep = (hp: Partial<ZoSpsaHyperparameters>, steps = 1) => {
    const B = 16
    const { model, net, data } = build(tinyMlp, B, 16)
    const codes = () => model.nodes.flatMap((p) => (p.w ? [...p.w.data, ...(p.b ?? [])] : []))
    const before = codes()
    const tr = zoSpsa.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 4, tracker: new MemoryTracker(), maxBatch: B }, { ...zoSpsaDefaults, rounding: 'nearest', ...hp })
    for (let s = 0; s < steps; s++) tr.step(data.images.subarray(0, B * 64), data.labels.subarray(0, B), B, s)
    return codes().map((v, j) => v - before[j])
  }
  const changedFraction = (d: number[]) => d.filter((v) => v !== 0).length / d.length

  it('sparse updates change only about the chosen fraction of the codes (density 0.1 against 1)', () => {
    const dense = changedFraction(oneStep({ lrFraction: lsb16(64) }))
    const sparse = changedFraction(oneStep({ lrFraction: lsb16(64), density: 0.1 }))
    expect(dense).toBeGreaterThan(0.5)
    expect(sparse).toBeGreaterThan(0.05)
    expect(sparse).toBeLessThan(0.15)
  })

  it('momentum-guided sampling moves the weights differently from unguided sampling after two steps', () => {
    const none = oneStep({ lrFraction: lsb16(64) }, 2)
    const guided = oneStep({ lrFraction: lsb16(64), momentumGuided: 0.9 }, 2)
    expect(guided).not.toEqual(none)
  })

  /** the change of every trained weight code after one step at step index `at`, from the same start */
  const stepAt = (hp: Partial<ZoSpsaHyperparameters>, at: number, steps?: number) => {
    const B = 16
    const { model, net, data } = build(tinyMlp, B, 16)
    const before = model.nodes.map((p) => (p.w ? Int32Array.from(p.w.data) : undefined))
    zoSpsa.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 4, tracker: new MemoryTracker(), maxBatch: B, steps }, { ...zoSpsaDefaults, rounding: 'nearest', perturbBiases: false, ...hp })
      .step(data.images.subarray(0, B * 64), data.labels.subarray(0, B), B, at)
    return { model, deltas: model.nodes.map((p, i) => (p.w ? Array.from(p.w.data, (v, j) => v - before[i]![j]) : undefined)) }
  }

  it('a decay schedule takes the step of η·factor: step decay (γ = ½, T = 1) at step 2 equals η/4 without decay', () => {
    const mag = { estimate: 'magnitude' as const, epsilonFraction: lsb16(64) }
    const decayed = stepAt({ ...mag, lrFraction: lsb16(4e6), lrDecay: 'step', lrDecaySteps: 1, lrDecayFactor: 0.5 }, 2).deltas
    const quarter = stepAt({ ...mag, lrFraction: lsb16(1e6) }, 2).deltas
    const full = stepAt({ ...mag, lrFraction: lsb16(4e6) }, 2).deltas
    expect(decayed).toEqual(quarter)
    expect(decayed).not.toEqual(full)
    // cosine over the run's own 10 steps: at step 5 the factor is ½ (T from the context's step count)
    expect(stepAt({ ...mag, lrFraction: lsb16(4e6), lrDecay: 'cosine' }, 5, 10).deltas).toEqual(stepAt({ ...mag, lrFraction: lsb16(2e6) }, 5).deltas)
  })

  it('a decay whose horizon is the run\'s step count fails clearly where that count is unknown', () => {
    expect(() => stepAt({ lrDecay: 'cosine' }, 0)).toThrow(/lrDecaySteps/)
  })

  it('bad schedule settings are errors naming the field and the reason', () => {
    const f = 'runs[1].hyperparameters'
    expect(() => resolveHyperparameters(zoSpsa, { lrDecay: 'linear' }, f)).toThrow(/runs\[1\]\.hyperparameters\.lrDecay must be one of none, cosine, step, inverse-sqrt, got "linear"/)
    expect(() => resolveHyperparameters(zoSpsa, { lrDecaySteps: 2.5 }, f)).toThrow(/lrDecaySteps must be an integer from 0/)
    expect(() => resolveHyperparameters(zoSpsa, { lrDecayFactor: 1.5 }, f)).toThrow(/lrDecayFactor must be a number from 0 to 1/)
    expect(() => resolveHyperparameters(zoSpsa, { lrScaling: 'fan-in' }, f)).toThrow(/lrScaling must be one of uniform, per-layer/)
    // the magnitude estimate's useful step (≈ 4·10⁶ LSB at W16, issue 13 §1) is inside the bounds
    expect(resolveHyperparameters(zoSpsa, { estimate: 'magnitude', lrFraction: 4e6 / 32767 }, f).lrFraction).toBeCloseTo(122.07, 2)
  })

  it('per-layer scaling multiplies each channel\'s step by the head\'s mean scale over its own (the same real step)', () => {
    const mag = { estimate: 'magnitude' as const, epsilonFraction: lsb16(64), lrFraction: lsb16(4e6) }
    const uniform = stepAt(mag, 0)
    const perLayer = stepAt({ ...mag, lrScaling: 'per-layer' }, 0)
    const { model } = uniform
    const dense = model.nodes.flatMap((p, i) => (p.w ? [i] : []))
    const head = dense[dense.length - 1]
    const hs = model.nodes[head].w!.quant.scales
    const ref = hs.reduce((a, v) => a + v, 0) / hs.length
    let checked = 0, differs = 0
    for (const i of dense) {
      const w = model.nodes[i].w!
      const inner = w.data.length / w.quant.scales.length
      uniform.deltas[i]!.forEach((du, j) => {
        const f = ref / w.quant.scales[Math.floor(j / inner)]
        const dp = perLayer.deltas[i]![j]
        // both are round(·) of the same real-valued step, one times f: they differ by at most ½ + f/2
        expect(Math.abs(dp - f * du)).toBeLessThanOrEqual(0.5 + f / 2 + 1e-9)
        checked++
        if (dp !== du) differs++
      })
    }
    expect(checked).toBeGreaterThan(1000)
    // the first layer's scales differ from the head's, so the option changes many steps
    expect(differs / checked).toBeGreaterThan(0.3)
  })

  it('clipping the loss difference bounds the magnitude step: a 1e-6 nat clip shrinks it against no clip', () => {
    const free = oneStep({ estimate: 'magnitude', epsilonFraction: lsb16(64), lrFraction: lsb16(4e6) })
    const clipped = oneStep({ estimate: 'magnitude', epsilonFraction: lsb16(64), lrFraction: lsb16(4e6), diffClip: 1e-6 })
    const size = (d: number[]) => d.reduce((a, v) => a + Math.abs(v), 0)
    expect(size(free)).toBeGreaterThan(0)
    expect(size(clipped)).toBeLessThan(size(free))
  })

  it('the magnitude step is the finite-difference formula −round(η·(ℓ+ − ℓ−)/(2ε)·K/ε), ℓ± from separately perturbed copies', () => {
    const B = 16
    const hp = { ...zoSpsaDefaults, estimate: 'magnitude' as const, perturbBiases: false, epsilonFraction: lsb16(64), lrFraction: lsb16(4e6) }
    const { graph, model, net, data } = build(tinyMlp, B, 16)
    const images = data.images.subarray(0, B * 64), labels = data.labels.subarray(0, B)
    const head = graph.length - 1 - [...graph].reverse().findIndex((n) => n.kind === 'dense')
    const w0 = Int32Array.from(model.nodes[head].w!.data)
    const eps = hp.epsilonFraction * 32767
    const K = Array.from(w0, (_, j) => quantizeZ({ ...hp, epsilonLsb: eps }, drawZ({ ...hp, epsilonLsb: eps }, address(7, 0, head, 0, false), j)))
    const lo = minValue(model.formats.weight), hi = maxValue(model.formats.weight)
    const sat = (v: number) => Math.min(hi, Math.max(lo, v))
    // ℓ± on an independent copy whose head codes are set to sat(w ± K) by hand
    const lossAt = (sign: number) => {
      const copy = build(tinyMlp, B, 16)
      copy.model.nodes[head].w!.data.set(w0.map((w, j) => sat(w + sign * K[j])))
      return softmaxCrossEntropy(copy.net.forward(images, B, newPhaseWork().forward, new MemoryTracker()), labels, newPhaseWork().forward).loss
    }
    const g = (lossAt(1) - lossAt(-1)) / (2 * eps)
    const expected = Array.from(w0, (w, j) => sat(w - Math.round(hp.lrFraction * 32767 * g * K[j] / eps)))
    zoSpsa.create({ net, trainable: resolveScope(net, { kind: 'last', layers: 1 }), seed: 7, tracker: new MemoryTracker(), maxBatch: B }, hp).step(images, labels, B, 0)
    const got = Array.from(model.nodes[head].w!.data)
    expect(got.some((v, j) => v !== w0[j])).toBe(true)
    // Math.round against half-even: they differ only at exact .5, allow one LSB there
    got.forEach((v, j) => expect(Math.abs(v - expected[j])).toBeLessThanOrEqual(1))
    expect(got.filter((v, j) => v !== expected[j]).length).toBeLessThanOrEqual(2)
  })
})
