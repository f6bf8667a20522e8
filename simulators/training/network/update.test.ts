/**
 * Adam where its formula is undefined (issue 14: ε = 0 is a documented value, and with a zero gradient
 * m̂/(√v̂ + ε) is 0/0 — the NaN that reached BigInt() in the kernels' wide tier as a bias code).
 * References are independent: the textbook quotient where it is defined, and for t = 1 with β1 = β2 = 0
 * Adam's step is η·g/|g| = η·sign(g) (Kingma & Ba 2015, Algorithm 1), which gives each code change exactly.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildGraph } from '../../model/graph'
import { initParams } from '../float/float-network'
import { quantizeModel } from './quantize-model'
import { QNetwork } from './qnetwork'
import { resolveFormats, DEFAULT_FORMATS } from './formats'
import { MemoryTracker } from './memory'
import { resolveScope } from './trainable'
import { Updater, adamRatio } from './update'
import { newWork } from '../../core/work'
import { tinyMlp, quadrantTask } from '../../testing/training-fixtures'

describe('adamRatio', () => {
  it('is the textbook m̂ / (√v̂ + ε) wherever that is a number', () => {
    fc.assert(fc.property(fc.double({ min: -1e30, max: 1e30, noNaN: true }), fc.double({ min: 0, max: 1e30, noNaN: true }), fc.double({ min: 1e-12, max: 1, noNaN: true }), (m, v, eps) => {
      expect(adamRatio(m, v, eps)).toBe(m === 0 ? 0 : m / (Math.sqrt(v) + eps))
    }), { seed: 14_201, numRuns: 300 })
  })
  it('defines the cases IEEE arithmetic leaves as NaN or infinite', () => {
    expect(adamRatio(0, 0, 0)).toBe(0) // no gradient yet: no step
    expect(adamRatio(-0, 0, 0)).toBe(0)
    expect(adamRatio(1e-30, 0, 0)).toBe(Infinity) // g² underflowed float32: the weight saturates
    expect(adamRatio(-1e-30, 0, 0)).toBe(-Infinity)
    expect(adamRatio(Infinity, Infinity, 0)).toBe(1)
    expect(adamRatio(-Infinity, Infinity, 1e-8)).toBe(-1)
    expect(adamRatio(3, Infinity, 0)).toBe(0)
  })
})

describe('Updater with Adam, ε = 0', () => {
  it('leaves codes with a zero gradient unchanged, moves the others by round(η·sign(g)/unit), never writes NaN', () => {
    const graph = buildGraph(tinyMlp)
    const data = quadrantTask(16, 4)
    const model = quantizeModel(graph, initParams(graph, 3), resolveFormats({ ...DEFAULT_FORMATS, weightGranularity: 'per-tensor' }), data.images, 16)
    const net = new QNetwork(model, 4)
    const trainable = resolveScope(net, { kind: 'all' })
    const lr = 0.02
    const up = new Updater(net, trainable, { optimizer: 'adam', lr, momentum: 0, beta1: 0, beta2: 0, epsilon: 0, qas: true, rounding: 'nearest' }, 1, new MemoryTracker())
    const i = trainable.nodes[trainable.nodes.length - 1]
    const p = model.nodes[i]
    const sw = p.w!.quant.scales[0], sx = model.nodes[graph[i].inputs[0]]?.out.scales[0] ?? model.input.scales[0]
    // every other gradient exactly zero, the rest ±1 accumulator units
    const dW = Float64Array.from(p.w!.data, (_, j) => (j % 2 ? 0 : j % 4 ? 1 : -1))
    const dB = Float64Array.from(p.b!, (_, c) => (c % 2 ? 0 : 1))
    const w0 = p.w!.data.slice(), b0 = p.b!.slice()
    up.apply(i, { dW, dWScale: 1e-3, dB, dBScale: 1e-3 }, 0, newWork())
    const sat = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))
    const wMax = 2 ** (model.formats.weight.bits - 1) - 1
    p.w!.data.forEach((v, j) => expect(v).toBe(dW[j] === 0 ? w0[j] : sat(w0[j] - Math.round((lr * Math.sign(dW[j])) / sw), -wMax - 1, wMax)))
    p.b!.forEach((v, c) => {
      expect(Number.isInteger(v)).toBe(true)
      expect(v).toBe(dB[c] === 0 ? b0[c] : b0[c] - Math.round(lr / (sx * sw)))
    })
  })
})
