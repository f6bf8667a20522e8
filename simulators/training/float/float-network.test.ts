import { describe, expect, it } from 'vitest'
import { buildGraph } from '../../model/graph'
import { FloatNetwork, initParams, zeroParamsLike, type FloatParams } from './float-network'
import { softmaxCrossEntropyFloat } from './float-loss'
import type { ModelSpec } from '../../model/spec'
import { fill } from '../../core/rng'

const tiny: ModelSpec = {
  schemaVersion: 1, name: 'tiny-res', task: 'classification', input: { shape: [6, 6, 2] },
  layers: [
    { type: 'conv2d', id: 'c1', filters: 3, kernel: [3, 3], padding: 'same', activation: 'relu' },
    { type: 'depthwiseConv2d', kernel: [3, 3], multiplier: 2, padding: 'same', stride: [2, 2], activation: 'relu6' },
    { type: 'conv2d', filters: 6, kernel: [1, 1] },
    { type: 'add', from: 'c1', shortcut: [{ type: 'conv2d', filters: 6, kernel: [1, 1], stride: [2, 2] }], activation: 'relu' },
    { type: 'maxPool2d', kernel: [2, 2], padding: 'same' },
    { type: 'avgPool2d', kernel: [2, 2], stride: [1, 1], padding: 'same' },
    { type: 'flatten' },
    { type: 'dense', units: 5, activation: 'relu' },
    { type: 'dense', units: 4 },
  ],
}

function lossOf(net: FloatNetwork, x: Float64Array, labels: number[], B: number): number {
  return softmaxCrossEntropyFloat(net.forward(x, B), labels, B, 4).loss
}

describe('float network', () => {
  it('backward equals central differences of the loss along random directions, for every parameter tensor', () => {
    const graph = buildGraph(tiny)
    const params = initParams(graph, 3)
    // shift biases off zero so no activation sits on a kink
    params.b.forEach((b, i) => b && b.forEach((_, j) => (b[j] = 0.01 * ((i * 7 + j * 3) % 5) + 0.003)))
    const B = 3
    const net = new FloatNetwork(graph, params, B)
    const x = fill({ seed: 1, step: 0, tensor: 0 }, 'gaussian', new Float64Array(B * 72))
    const labels = [0, 3, 1]
    const logits = net.forward(x, B)
    const dLogits = new Float64Array(B * 4)
    softmaxCrossEntropyFloat(logits, labels, B, 4, dLogits)
    const grads = zeroParamsLike(params)
    net.backward(dLogits, grads)
    const eps = 1e-6
    for (const kind of ['w', 'b'] as const) {
      params[kind].forEach((p, i) => {
        if (!p) return
        const dir = fill({ seed: 9, step: i, tensor: kind === 'w' ? 0 : 1 }, 'gaussian', new Float64Array(p.length))
        const orig = Float64Array.from(p)
        const shifted = (s: number) => { for (let j = 0; j < p.length; j++) p[j] = orig[j] + s * dir[j]; return lossOf(net, x, labels, B) }
        const numeric = (shifted(eps) - shifted(-eps)) / (2 * eps)
        p.set(orig)
        const g = (grads as FloatParams)[kind][i]!
        const analytic = g.reduce((s, v, j) => s + v * dir[j], 0)
        expect(Math.abs(numeric - analytic)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(analytic)))
      })
    }
  })
})
