import { describe, expect, it } from 'vitest'
import { buildGraph } from '../../model/graph'
import { FloatNetwork, initParams } from '../float/float-network'
import { quantizeModel } from './quantize-model'
import { QNetwork } from './qnetwork'
import { resolveFormats, DEFAULT_FORMATS } from './formats'
import { MemoryTracker } from './memory'
import { newWork } from '../../core/work'
import { dequantize } from '../../core/quant'
import { fill } from '../../core/rng'
import type { ModelSpec } from '../../model/spec'

const spec: ModelSpec = {
  schemaVersion: 1, name: 't', task: 'classification', input: { shape: [8, 8, 1] },
  layers: [
    { type: 'conv2d', id: 'c1', filters: 4, kernel: [3, 3], padding: 'same', activation: 'relu' },
    { type: 'depthwiseConv2d', kernel: [3, 3], padding: 'same', activation: 'relu6' },
    { type: 'add', from: 'c1', activation: 'relu' },
    { type: 'maxPool2d', kernel: [2, 2] },
    { type: 'flatten' },
    { type: 'dense', units: 16, activation: 'relu' },
    { type: 'dense', units: 5 },
  ],
}

function setup(weightBits: number, activationBits: number) {
  const graph = buildGraph(spec)
  const params = initParams(graph, 5)
  const B = 16
  const x = fill({ seed: 2, step: 0, tensor: 0 }, 'uniform', new Float64Array(B * 64))
  const images = Float32Array.from(x)
  const model = quantizeModel(graph, params, resolveFormats({ ...DEFAULT_FORMATS, weightBits, activationBits, accumulatorBits: 64 }), images, B) // 64-bit: never saturates, compares rounding only
  return { graph, params, B, images, model }
}

describe('integer network', () => {
  it('16-bit weights, 16-bit activations: logits match the float model closely', () => {
    const { graph, params, B, images, model } = setup(16, 16)
    const f = new FloatNetwork(graph, params, B).forward(images, B)
    const q = new QNetwork(model, B).forward(images, B, newWork())
    const real = dequantize(q.data, q.shape, q.quant)
    let maxErr = 0, maxAbs = 0
    for (let i = 0; i < real.length; i++) { maxErr = Math.max(maxErr, Math.abs(real[i] - f[i])); maxAbs = Math.max(maxAbs, Math.abs(f[i])) }
    expect(maxErr).toBeLessThan(0.002 * maxAbs)
  })

  it('8-bit activations: logits within a few output steps of the float model', () => {
    const { graph, params, B, images, model } = setup(8, 8)
    const f = new FloatNetwork(graph, params, B).forward(images, B)
    const q = new QNetwork(model, B).forward(images, B, newWork())
    const real = dequantize(q.data, q.shape, q.quant)
    let maxAbs = 0
    f.subarray(0, real.length).forEach((v) => (maxAbs = Math.max(maxAbs, Math.abs(v))))
    for (let i = 0; i < real.length; i++) expect(Math.abs(real[i] - f[i])).toBeLessThan(0.08 * maxAbs)
  })

  it('is deterministic and counts its work', () => {
    const { B, images, model } = setup(16, 8)
    const w1 = newWork(), w2 = newWork()
    const a = Array.from(new QNetwork(model, B).forward(images, B, w1).data)
    const b = Array.from(new QNetwork(model, B).forward(images, B, w2).data)
    expect(a).toEqual(b)
    expect(w1).toEqual(w2)
    // conv 8·8·4·(valid 3×3 taps) + depthwise + dense 64·16 + 16·5 per sample
    expect(w1.macs).toBeGreaterThan(B * (64 * 16 + 16 * 5))
  })

  it('declares its buffers: inference keeps only a ping-pong working set', () => {
    const { B, images, model } = setup(16, 8)
    const t = new MemoryTracker()
    new QNetwork(model, B).forward(images, B, newWork(), t)
    expect(t.totalNow).toBe(0) // everything freed at the end
    // peak: the residual source (8·8·4) + the depthwise output + the add output, 1 byte each
    expect(t.peak.scratch).toBe(B * (8 * 8 * 4) * 3)
    expect(t.peak.savedActivations).toBe(0)
  })
})
