import { describe, expect, it } from 'vitest'
import { buildGraph } from '../../model/graph'
import { FloatNetwork, initParams, zeroParamsLike } from '../float/float-network'
import { dequantizedParams, quantizeModel } from '../network/quantize-model'
import { QNetwork } from '../network/qnetwork'
import { resolveFormats, DEFAULT_FORMATS, type NumericFormatsSpec } from '../network/formats'
import { MemoryTracker } from '../network/memory'
import { backprop, backwardPass, backpropDefaults } from './backprop'
import { resolveScope } from '../network/trainable'
import { newPhaseWork } from '../../core/op'
import { softmaxCrossEntropyFloat } from '../float/float-loss'
import { softmaxCrossEntropy } from '../../kernels/loss'
import { quantizeRealGrad } from '../network/int-grad'
import type { NodeGrads } from '../network/int-backward'
import { channelOfWeight } from '../network/update'
import { tinyCnn, tinyMlp, quadrantTask } from '../../testing/training-fixtures'
import type { ModelSpec } from '../../model/spec'

function build(spec: ModelSpec, formats: Partial<NumericFormatsSpec>, B: number) {
  const graph = buildGraph(spec)
  const params = initParams(graph, 11)
  params.b.forEach((b) => b?.fill(0.05))
  const data = quadrantTask(64, 4)
  const model = quantizeModel(graph, params, resolveFormats({ ...DEFAULT_FORMATS, ...formats }), data.images, 64)
  const net = new QNetwork(model, B)
  return { graph, model, net, data }
}

describe('fixed-point backprop', () => {
  it('weight and bias gradients agree with the float network on the same (dequantized) weights, within quantization error', () => {
    const B = 8
    const { graph, model, net, data } = build(tinyCnn, { weightBits: 16, activationBits: 16, gradientBits: 16, accumulatorBits: 64 }, B)
    const images = data.images.subarray(0, B * 64), labels = data.labels.subarray(0, B)
    // float gradients at the dequantized weights
    const fp = dequantizedParams(model)
    const fnet = new FloatNetwork(graph, fp, B)
    const logits = fnet.forward(images, B)
    const dl = new Float64Array(B * 4)
    softmaxCrossEntropyFloat(logits, labels, B, 4, dl)
    const fg = zeroParamsLike(fp)
    fnet.backward(dl, fg)
    // integer gradients, recorded instead of applied
    const recorded = new Map<number, { w: Float64Array; b: Float64Array }>()
    const sink = { apply(i: number, g: NodeGrads) { recorded.set(i, { w: Float64Array.from(g.dW!, (v) => v * g.dWScale!), b: Float64Array.from(g.dB!, (v) => v * g.dBScale!) }); return { changed: 0, eligible: 0 } } }
    const ctx = { net, trainable: resolveScope(net, { kind: 'all' }), seed: 1, tracker: new MemoryTracker(), maxBatch: B }
    const work = newPhaseWork()
    const q = net.forward(images, B, work.forward)
    const dReal = new Float64Array(B * 4)
    softmaxCrossEntropy(q, labels, work.forward, dReal)
    backwardPass(ctx, B, quantizeRealGrad(dReal, B * 4, model.formats.gradient, new Float64Array(B * 4)), sink, 0, work, () => false)
    expect([...recorded.keys()].sort()).toEqual(graph.filter((n) => fp.w[n.index]).map((n) => n.index))
    for (const [i, g] of recorded) {
      const want = fg.w[i]!
      const scale = Math.max(...want.map(Math.abs))
      for (let j = 0; j < want.length; j++) expect(Math.abs(g.w[j] - want[j])).toBeLessThan(0.02 * scale + 1e-9)
      const wb = fg.b[i]!
      const sb = Math.max(...wb.map(Math.abs))
      for (let j = 0; j < wb.length; j++) expect(Math.abs(g.b[j] - wb[j])).toBeLessThan(0.02 * sb + 1e-9)
    }
    void channelOfWeight
  })

  for (const [name, spec] of [['MLP', tinyMlp], ['CNN with residual, depthwise and pools', tinyCnn]] as const) {
    it(`learns a separable task (${name}, 16-bit weights, 8-bit activations)`, () => {
      const B = 16
      const { net, data } = build(spec, {}, B)
      const tracker = new MemoryTracker()
      const trainer = backprop.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 3, tracker, maxBatch: B }, { ...backpropDefaults, lr: 0.1 })
      const losses: number[] = []
      let correct = 0
      for (let s = 0; s < 60; s++) {
        const k = (s * B) % 64
        const r = trainer.step(data.images.subarray(k * 64, (k + B) * 64), data.labels.subarray(k, k + B), B, s)
        losses.push(r.loss)
        if (s >= 56) correct += r.correct
      }
      expect(losses.slice(-4).reduce((a, b) => a + b) / 4).toBeLessThan(losses.slice(0, 4).reduce((a, b) => a + b) / 4 * 0.6)
      expect(correct / (4 * B)).toBeGreaterThan(0.85)
    })
  }

  it('memory: saved activations and gradients appear only with backprop, and bias-only training saves no activations', () => {
    const B = 16
    const { net, data } = build(tinyCnn, {}, B)
    const run = (scope: Parameters<typeof resolveScope>[1]) => {
      const tracker = new MemoryTracker()
      const tr = backprop.create({ net, trainable: resolveScope(net, scope), seed: 3, tracker, maxBatch: B }, backpropDefaults)
      const r = tr.step(data.images.subarray(0, B * 64), data.labels.subarray(0, B), B, 0)
      expect(tracker.totalNow).toBe(0) // all step buffers freed (SGD has no state)
      return { ...r.memory.peak, weightGradients: r.memory.maxByCategory.weightGradients }
    }
    const all = run({ kind: 'all' })
    expect(all.savedActivations).toBeGreaterThan(0)
    expect(all.activationGradients).toBeGreaterThan(0)
    const biases = run({ kind: 'biases' })
    // max pooling still needs its input to route gradients; convolutions need none for bias gradients
    expect(biases.savedActivations).toBeLessThan(all.savedActivations)
    expect(biases.weightGradients).toBeLessThan(all.weightGradients)
  })
})
