import { describe, expect, it } from 'vitest'
import { buildGraph, shapeSize } from '../../model/graph'
import { FloatNetwork, convDims, initParams } from '../float/float-network'
import { dequantizedParams, quantizeModel } from '../network/quantize-model'
import { QNetwork } from '../network/qnetwork'
import { resolveFormats, DEFAULT_FORMATS, type NumericFormatsSpec } from '../network/formats'
import { MemoryTracker } from '../network/memory'
import { tpsgd, tpsgdDefaults } from './tpsgd'
import { localGradient, targetTable } from './tpsgd-local'
import { backwardNode } from '../network/int-backward'
import { backprop, backpropDefaults } from './backprop'
import { resolveScope } from '../network/trainable'
import { newPhaseWork } from '../../core/op'
import * as la from '../float/linalg'
import { tinyCnn, tinyMlp, quadrantTask } from '../../testing/training-fixtures'
import type { ModelSpec } from '../../model/spec'

function build(spec: ModelSpec, B: number, formats: Partial<NumericFormatsSpec> = {}) {
  const graph = buildGraph(spec)
  const params = initParams(graph, 11)
  params.b.forEach((b) => b?.fill(0.05))
  const data = quadrantTask(64, 4)
  const model = quantizeModel(graph, params, resolveFormats({ ...DEFAULT_FORMATS, ...formats }), data.images, 64)
  return { graph, model, net: new QNetwork(model, B), data }
}

describe('target projection SGD', () => {
  // the hidden dense of the MLP and the first conv of the CNN (targets broadcast over H, W)
  for (const [spec, node] of [[tinyMlp, 1], [tinyCnn, 0]] as const) {
    it(`the local gradient of one layer equals the float gradient of the same local loss (${spec.name}, node ${node})`, () => {
      const B = 8
      const { graph, model, net, data } = build(spec, B, { weightBits: 16, activationBits: 16, gradientBits: 16, accumulatorBits: 64 })
      const images = data.images.subarray(0, B * 64), labels = data.labels.subarray(0, B)
      const work = newPhaseWork()
      net.forward(images, B, work.forward)
      const table = targetTable(net, node, 3, 0.25, 4)
      const delta = localGradient(net, node, B, labels, table, 4, 'half-even', work.backward)
      const g = backwardNode(net, node, B, delta, { needDx: false, weights: true, biases: true, rounding: 'half-even' }, () => new Float64Array(0), work.backward)
      // float: J = (1/2B) Σ ‖h − t‖² on the float network at the dequantized weights, t the same real targets
      const n = graph[node]
      const fnet = new FloatNetwork(graph, dequantizedParams(model), B)
      fnet.forward(images, B)
      const h = fnet.acts[node]
      const out = model.nodes[node].out
      const C = n.outShape[n.outShape.length - 1], per = shapeSize(n.outShape)
      const d = new Float64Array(B * per)
      for (let k = 0; k < B * per; k++) {
        const t = (table[(k % C) * 4 + labels[Math.floor(k / per)]] - out.zeroPoints[0]) * out.scales[0]
        d[k] = h[k] > 0 ? (h[k] - t) / B : 0 // ReLU′
      }
      const x = n.inputs[0] < 0 ? Float64Array.from(images) : fnet.acts[n.inputs[0]]
      const want = new Float64Array(g.dW!.length)
      if (n.kind === 'dense') la.denseBackwardWeight(d, B, C, x, n.inShape[0], want)
      else la.conv2dBackwardWeight(d, x, convDims(n, B), want)
      const wantB = new Float64Array(C)
      la.sumChannels(d, C, wantB)
      const scale = Math.max(...want.map(Math.abs))
      for (let j = 0; j < want.length; j++) expect(Math.abs(g.dW![j] * g.dWScale! - want[j])).toBeLessThan(0.01 * scale)
      const sb = Math.max(...wantB.map(Math.abs))
      for (let c = 0; c < C; c++) expect(Math.abs(g.dB![c] * g.dBScale! - wantB[c])).toBeLessThan(0.01 * sb)
    })
  }

  it('reduces the loss of a separable task (MLP, all layers, 16-bit weights)', () => {
    const B = 16
    const { net, data } = build(tinyMlp, B)
    const tr = tpsgd.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 2, tracker: new MemoryTracker(), maxBatch: B }, { ...tpsgdDefaults, lr: 0.1 })
    const losses: number[] = []
    let correct = 0
    for (let s = 0; s < 60; s++) {
      const k = (s * B) % 64
      const r = tr.step(data.images.subarray(k * 64, (k + B) * 64), data.labels.subarray(k, k + B), B, s)
      losses.push(r.loss)
      if (s >= 56) correct += r.correct
    }
    const mean = (a: number[]) => a.reduce((x, y) => x + y) / a.length
    expect(mean(losses.slice(-4))).toBeLessThan(0.6 * mean(losses.slice(0, 4)))
    expect(correct / (4 * B)).toBeGreaterThan(0.75)
  })

  it('memory: saved activations at most the output layer\'s input, one local gradient at a time, below backprop', () => {
    const B = 16
    const { graph, net, data } = build(tinyCnn, B)
    const run = (alg: typeof tpsgd | typeof backprop) => {
      const tracker = new MemoryTracker()
      const ctx = { net, trainable: resolveScope(net, { kind: 'all' }), seed: 2, tracker, maxBatch: B }
      const r = alg === tpsgd ? tpsgd.create(ctx, tpsgdDefaults).step(data.images.subarray(0, B * 64), data.labels.subarray(0, B), B, 0) : backprop.create(ctx, backpropDefaults).step(data.images.subarray(0, B * 64), data.labels.subarray(0, B), B, 0)
      expect(tracker.totalNow).toBe(0)
      return r.memory
    }
    const tp = run(tpsgd), bp = run(backprop)
    const dense = graph.filter((n) => n.kind === 'dense')
    const outInput = (B * dense[1].inShape[0] * 8) / 8 // 8-bit activations
    const largestLocal = Math.max(...graph.filter((n) => n.index !== dense[1].index && n.weightShape).map((n) => (B * shapeSize(n.outShape) * 16) / 8))
    expect(tp.maxByCategory.savedActivations).toBeGreaterThanOrEqual(outInput)
    expect(tp.maxByCategory.savedActivations).toBeLessThanOrEqual(outInput + B) // + the output's 1-bit masks (none here)
    expect(tp.maxByCategory.activationGradients).toBeLessThanOrEqual(Math.max(largestLocal, (B * 4 * 16) / 8))
    expect(tp.maxByCategory.savedActivations).toBeLessThan(bp.maxByCategory.savedActivations / 4)
    expect(tp.peakTotal).toBeLessThan(bp.peakTotal)
  })

  it('is reproducible from its seed (bit-identical weights after steps)', () => {
    const run = () => {
      const B = 8
      const { model, net, data } = build(tinyCnn, B)
      const tr = tpsgd.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 9, tracker: new MemoryTracker(), maxBatch: B }, { ...tpsgdDefaults, rounding: 'stochastic', optimizer: 'momentum' })
      for (let s = 0; s < 3; s++) tr.step(data.images.subarray(s * B * 64, (s + 1) * B * 64), data.labels.subarray(s * B, (s + 1) * B), B, s)
      return model.nodes.flatMap((p) => (p.w ? [...p.w.data, ...(p.b ?? [])] : []))
    }
    const a = run()
    expect(run()).toEqual(a)
  })
})
