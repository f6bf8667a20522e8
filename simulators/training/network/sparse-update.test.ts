import { describe, expect, it } from 'vitest'
import { buildGraph, hasWeights, shapeSize } from '../../model/graph'
import { fill } from '../../core/rng'
import { initParams } from '../float/float-network'
import { quantizeModel } from './quantize-model'
import { QNetwork } from './qnetwork'
import { resolveFormats, DEFAULT_FORMATS } from './formats'
import { MemoryTracker } from './memory'
import { frozenParameterBytes, resolveScope, type TrainableScope } from './trainable'
import { backprop, backpropDefaults, backwardPass } from '../algorithms/backprop'
import { newPhaseWork } from '../../core/op'
import { softmaxCrossEntropy } from '../../kernels/loss'
import { quantizeRealGrad } from './int-grad'
import type { NodeGrads } from './int-backward'
import { parseExperiment } from '../../experiment/validate'
import { selectByMagnitude } from './sparse-update'
import { TINY_EXPERIMENT } from '../../experiment/tiny-experiment'
import { baseDataset, buildTask } from '../../experiment/task'
import { pretrain } from '../../experiment/pretrain'
import { runOne } from '../../experiment/runner'
import { getBuiltinModel } from '../../model/builtin'
import type { ModelSpec } from '../../model/spec'

// conv (3→8), depthwise, 1×1 conv (8→6), pool, dense: every kind a sparse slice handles
const model: ModelSpec = {
  schemaVersion: 1, name: 'sparse-probe', task: 'classification', input: { shape: [6, 6, 3] },
  layers: [
    { type: 'conv2d', filters: 8, kernel: [3, 3], padding: 'same', activation: 'relu' },
    { type: 'depthwiseConv2d', kernel: [3, 3], padding: 'same', activation: 'relu6' },
    { type: 'conv2d', filters: 6, kernel: [1, 1], activation: 'relu' },
    { type: 'globalAvgPool2d' },
    { type: 'dense', units: 4 },
  ],
}
const B = 3
const formats = { ...DEFAULT_FORMATS, weightBits: 8, activationBits: 8, gradientBits: 16, accumulatorBits: 32 as const }

function setup() {
  const graph = buildGraph(model)
  const inSize = shapeSize(graph[0].inShape)
  const images = Float32Array.from(fill({ seed: 5, step: 0, tensor: 1 }, 'uniform', new Float64Array(B * inSize)))
  const q = quantizeModel(graph, initParams(graph, 3), resolveFormats(formats), images, B)
  return { graph, net: new QNetwork(q, B), images, labels: Uint8Array.from([0, 2, 3]) }
}

/** Every gradient the backward pass would apply, recorded by weight element (dW) and channel (dB), nothing applied. */
function recordGrads(scope: TrainableScope) {
  const { net, images, labels } = setup()
  const trainable = resolveScope(net, scope)
  const got = new Map<number, { w: Map<number, number>; b?: Float64Array }>()
  const sink = {
    apply(i: number, g: NodeGrads) {
      const w = new Map<number, number>()
      g.dW?.forEach((v, t) => w.set(g.dWIndex ? g.dWIndex[t] : t, v * g.dWScale!))
      got.set(i, { w, b: g.dB && Float64Array.from(g.dB, (v) => v * g.dBScale!) })
      return { changed: 0, eligible: 0 }
    },
  }
  const work = newPhaseWork()
  const logits = net.forward(images, B, work.forward)
  const d = new Float64Array(B * 4)
  softmaxCrossEntropy(logits, labels, work.forward, d)
  backwardPass({ net, trainable, seed: 1, tracker: new MemoryTracker(), maxBatch: B }, B, quantizeRealGrad(d, B * 4, net.model.formats.gradient, new Float64Array(B * 4)), sink, 0, work, () => false)
  return { got, trainable, net }
}

const sparse = (axis: 'input' | 'output'): TrainableScope => ({ kind: 'sparse', biasLayers: 3, weights: [{ layer: 1, ratio: 0.5 }, { layer: 2, ratio: 0.25 }, { layer: 3, ratio: 0.5 }], axis })

describe('sparse updates (TTE) as a backprop option', () => {
  for (const axis of ['input', 'output'] as const) {
    it(`updated ${axis}-channel slices get exactly full backprop's gradients; other layers get none`, () => {
      const full = recordGrads({ kind: 'all' }).got
      const { got, trainable, net } = recordGrads(sparse(axis))
      const weighted = net.model.graph.filter(hasWeights).map((n) => n.index)
      // layer 0 is outside the 3 bias-updated layers: the backward pass stops before it
      expect([...got.keys()].sort((a, b) => a - b)).toEqual(weighted.slice(1))
      for (const [i, g] of got) {
        const slice = trainable.slices!.get(i)!
        const n = net.model.graph[i]
        const share = slice.channels.length / slice.of
        expect(g.w.size).toBe((net.model.nodes[i].w!.data.length * share) | 0)
        for (const [j, v] of g.w) expect(v).toBe(full.get(i)!.w.get(j))
        expect(Array.from(g.b!)).toEqual(Array.from(full.get(i)!.b!))
        expect(slice.channels.length).toBe(Math.floor(slice.of * [0.5, 0.25, 0.5][weighted.indexOf(i) - 1]))
        void n
      }
    })
  }

  it('a step changes only the kept slices and the bias-updated layers; frozen weights and biases keep their codes', () => {
    const { net, images, labels } = setup()
    const scope = sparse('input')
    const trainable = resolveScope(net, scope)
    const before = net.model.nodes.map((p) => ({ w: p.w && Int32Array.from(p.w.data), b: p.b && Float64Array.from(p.b) }))
    const trainer = backprop.create({ net, trainable, seed: 1, tracker: new MemoryTracker(), maxBatch: B }, { ...backpropDefaults, lr: 5 })
    const r = trainer.step(images, labels, B, 0)
    expect(r.updated.changed).toBeGreaterThan(0)
    const weighted = net.model.graph.filter(hasWeights)
    for (const n of weighted) {
      const p = net.model.nodes[n.index], was = before[n.index]
      const slice = trainable.slices!.get(n.index)
      const kept = new Set(slice ? Array.from(slice.channels) : [])
      for (let j = 0; j < p.w!.data.length; j++) if (!kept.has(j % n.weightShape![n.weightShape!.length - 1]) || n.index === weighted[0].index) expect(p.w!.data[j]).toBe(was.w![j])
      if (n.index === weighted[0].index) expect(Array.from(p.b!)).toEqual(Array.from(was.b!))
    }
    // the kept channels follow TTE's magnitude+ rule on the weights the step started from
    const conv = weighted[2]
    expect(Array.from(trainable.slices!.get(conv.index)!.channels)).toEqual(Array.from(selectByMagnitude(conv, before[conv.index].w!, 'input', 2).channels))
  })

  it("the plan's saved activations, weight gradients and trained copies shrink as an independent count predicts", () => {
    const g = buildGraph(model)
    const [c0, dw, pw, , fc] = g
    const measure = (scope: TrainableScope) => {
      const { net, images, labels } = setup()
      const tracker = new MemoryTracker()
      const trainable = resolveScope(net, scope)
      const r = backprop.create({ net, trainable, seed: 1, tracker, maxBatch: B }, backpropDefaults).step(images, labels, B, 0)
      return { own: r.memory.maxByCategory, frozen: frozenParameterBytes(net, trainable) }
    }
    const bytes = (shape: readonly number[], bits: number) => (B * shapeSize(shape) * bits) / 8
    // only the pointwise conv's weights, a quarter of its 8 input channels (2), plus the biases of the last two layers
    const s = measure({ kind: 'sparse', biasLayers: 2, weights: [{ layer: 2, ratio: 0.25 }] })
    // saved: 2 of 8 channels of the 1×1 conv's input; 1-bit masks of the relu outputs from that conv on
    expect(s.own.savedActivations).toBe((bytes(pw.inShape, 8) * 2) / 8 + bytes(pw.outShape, 1))
    // the largest live weight gradient: the slice (6 outputs × 2 inputs) and 6 biases, at 32 bits
    expect(s.own.weightGradients).toBe((6 * 2 + 6) * 4)
    // frozen: everything but the slice and the two layers' biases
    const all = [c0, dw, pw, fc].reduce((a, n) => a + shapeSize(n.weightShape!) + 4 * n.outShape[n.outShape.length - 1], 0)
    expect(s.frozen).toBe(all - 6 * 2 - 4 * (6 + 4))
    // the same layer at ratio 1 keeps the whole input and the whole gradient
    const f = measure({ kind: 'sparse', biasLayers: 2, weights: [{ layer: 2, ratio: 1 }] })
    expect(f.own.savedActivations).toBe(bytes(pw.inShape, 8) + bytes(pw.outShape, 1))
    expect(f.own.weightGradients).toBe((6 * 8 + 6) * 4)
    // bias only: no saved input at all (bias gradients need only dY), masks remain
    const b = measure({ kind: 'sparse', biasLayers: 2, weights: [] })
    expect(b.own.savedActivations).toBe(bytes(pw.outShape, 1))
  })

  it('bad sparse scopes are refused naming the field and the reason', () => {
    const run = (scope: unknown, algorithm = 'backprop') => {
      const r = parseExperiment({ model: 'cnn-mnist', runs: [{ algorithm, scope }] })
      return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`)
    }
    expect(run({ kind: 'sparse', biasLayers: 2, weights: [{ layer: 3, ratio: 0 }] }).join()).toMatch(/runs\[0\]\.scope\.weights\[0\]\.ratio: must be a share .* got 0/)
    expect(run({ kind: 'sparse', biasLayers: 9 }).join()).toMatch(/runs\[0\]\.scope\.biasLayers: is 9; the model has \d+ layers with weights/)
    expect(run({ kind: 'sparse', biasLayers: 1, weights: [{ layer: 0, ratio: 1 }] }).join()).toMatch(/runs\[0\]\.scope\.weights\[0\]\.layer: is 0, before the bias-updated layers .*raise biasLayers/)
    expect(run({ kind: 'sparse', biasLayers: 2, weights: [{ layer: 99, ratio: 1 }] }).join()).toMatch(/weights\[0\]\.layer: is 99/)
    expect(run({ kind: 'sparse', biasLayers: 1 }, 'zo-spsa').join()).toMatch(/runs\[0\]\.scope: "sparse" is a backprop option/)
    expect(run({ kind: 'sparse', biasLayers: 2, weights: [{ layer: 2, ratio: 0.5 }], axis: 'output' })).toEqual([])
  })

  it('an experiment run with a sparse scope trains, counts only its slice as trainable, and saves less than full backprop', () => {
    const sparseScope = { kind: 'sparse', biasLayers: 2, weights: [{ layer: 4, ratio: 0.25 }] }
    const r = parseExperiment({ ...TINY_EXPERIMENT, steps: 4, evalEvery: 4, runs: [{ algorithm: 'backprop', scope: sparseScope }, { algorithm: 'backprop' }] })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    const graph = buildGraph(getBuiltinModel('dscnn-mnist'))
    const task = buildTask(r.spec, baseDataset(r.spec, undefined))
    const params = pretrain(graph, task.source, r.spec.pretrain, r.spec.seed)
    const [sp, full] = r.plan.map((run) => runOne({ spec: r.spec, run, graph, params, task, profiles: [] }, () => {}))
    const weighted = graph.filter(hasWeights)
    const [l1, l2] = weighted.slice(-2)
    // the slice: a quarter of layer 4's input channels (all of its weights' rows), both layers' biases
    const C = l1.weightShape![l1.weightShape!.length - 1]
    const expected = (shapeSize(l1.weightShape!) / C) * Math.floor(C * 0.25) + l1.outShape[l1.outShape.length - 1] + l2.outShape[l2.outShape.length - 1]
    expect(weighted.indexOf(l1)).toBe(4)
    expect(sp.trainableParameters).toBe(expected)
    expect(sp.maxByCategory.savedActivations).toBeLessThan(full.maxByCategory.savedActivations)
    expect(Number.isFinite(sp.finalLoss)).toBe(true)
  })
})
