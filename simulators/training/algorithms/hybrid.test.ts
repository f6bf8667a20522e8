import { describe, expect, it } from 'vitest'
import { buildGraph, shapeSize } from '../../model/graph'
import { initParams } from '../float/float-network'
import { quantizeModel } from '../network/quantize-model'
import { QNetwork } from '../network/qnetwork'
import { resolveFormats, DEFAULT_FORMATS } from '../network/formats'
import { MemoryTracker } from '../network/memory'
import { hybrid, hybridDefaults } from './hybrid'
import { backprop, backpropDefaults } from './backprop'
import { resolveHyperparameters } from './algorithm'
import { resolveScope } from '../network/trainable'
import { tinyCnn, tinyMlp, quadrantTask } from '../../testing/training-fixtures'
import type { ModelSpec } from '../../model/spec'

/** x LSBs of a 16-bit weight as the fraction of full scale zo-spsa's hyperparameters are given in */
const lsb16 = (x: number) => x / 32767

function build(spec: ModelSpec, B: number) {
  const graph = buildGraph(spec)
  const params = initParams(graph, 11)
  params.b.forEach((b) => b?.fill(0.05))
  const data = quadrantTask(64, 4)
  const model = quantizeModel(graph, params, resolveFormats(DEFAULT_FORMATS), data.images, 64)
  return { graph, model, net: new QNetwork(model, B), data }
}

describe('hybrid backprop + zeroth-order (ElasticZO)', () => {
  it('documents every default, and validates backpropLayers', () => {
    expect(resolveHyperparameters(hybrid, { backpropLayers: 2 }, 'hp').backpropLayers).toBe(2)
    expect(() => resolveHyperparameters(hybrid, { backpropLayers: 0 }, 'hp')).toThrow(/backpropLayers/)
    expect(Object.keys(hybridDefaults).sort()).toEqual(hybrid.hyperparameters.map((d) => d.name).sort())
  })

  it('reduces the loss of a separable task (MLP: output layer by backprop, hidden layer by ZO)', () => {
    const B = 16
    const { net, data } = build(tinyMlp, B)
    const tr = hybrid.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 2, tracker: new MemoryTracker(), maxBatch: B }, { ...hybridDefaults, lr: 0.1, perturbations: 2, epsilonFraction: lsb16(256), lrFraction: lsb16(128) })
    const losses: number[] = []
    let correct = 0
    for (let s = 0; s < 60; s++) {
      const k = (s * B) % 64
      const r = tr.step(data.images.subarray(k * 64, (k + B) * 64), data.labels.subarray(k, k + B), B, s)
      expect(r.forwardPasses).toBe(5)
      losses.push(r.loss)
      if (s >= 56) correct += r.correct
    }
    const mean = (a: number[]) => a.reduce((x, y) => x + y) / a.length
    expect(mean(losses.slice(-4))).toBeLessThan(0.6 * mean(losses.slice(0, 4)))
    expect(correct / (4 * B)).toBeGreaterThan(0.75)
  })

  it('memory: saved activations only for the last k layers, fewer than full backprop', () => {
    const B = 16
    const { graph, net, data } = build(tinyCnn, B)
    const run = (k: number | 'bp') => {
      const tracker = new MemoryTracker()
      const ctx = { net, trainable: resolveScope(net, { kind: 'all' }), seed: 2, tracker, maxBatch: B }
      const tr = k === 'bp' ? backprop.create(ctx, backpropDefaults) : hybrid.create(ctx, { ...hybridDefaults, backpropLayers: k })
      const r = tr.step(data.images.subarray(0, B * 64), data.labels.subarray(0, B), B, 0)
      expect(tracker.totalNow).toBe(0)
      return r
    }
    const dense = graph.filter((n) => n.kind === 'dense')
    const h1 = run(1), h2 = run(2), bp = run('bp')
    // k = 1: the output layer's input only (it has no activation, so no masks)
    expect(h1.memory.maxByCategory.savedActivations).toBe(B * dense[1].inShape[0])
    // k = 2: also the hidden dense's input and the 1-bit ReLU mask of its output
    expect(h2.memory.maxByCategory.savedActivations).toBe(B * dense[0].inShape[0] + B * dense[1].inShape[0] + (B * shapeSize(dense[0].outShape)) / 8)
    expect(h2.memory.maxByCategory.savedActivations).toBeLessThan(bp.memory.maxByCategory.savedActivations)
    expect(h1.memory.maxByCategory.activationGradients).toBeLessThan(bp.memory.maxByCategory.activationGradients)
    expect(h1.memory.maxByCategory.perturbationState).toBeGreaterThan(0) // the ZO front
    expect(h1.memory.peakTotal).toBeLessThan(bp.memory.peakTotal)
    expect([h1.forwardPasses, h1.backwardPasses]).toEqual([3, 1])
    // k covering every trained layer is plain backprop: no ZO passes
    expect(run(4).forwardPasses).toBe(1)
  })

  it('is reproducible from its seed (bit-identical weights after steps)', () => {
    const run = () => {
      const B = 8
      const { model, net, data } = build(tinyCnn, B)
      const tr = hybrid.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 9, tracker: new MemoryTracker(), maxBatch: B }, { ...hybridDefaults, backpropLayers: 2, perturbations: 2, rounding: 'stochastic', optimizer: 'momentum' })
      for (let s = 0; s < 3; s++) tr.step(data.images.subarray(s * B * 64, (s + 1) * B * 64), data.labels.subarray(s * B, (s + 1) * B), B, s)
      return model.nodes.flatMap((p) => (p.w ? [...p.w.data, ...(p.b ?? [])] : []))
    }
    const a = run()
    expect(run()).toEqual(a)
  })
})
