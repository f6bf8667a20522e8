// Pins three steps of every algorithm (and of the options whose code paths differ) to the values the engine
// computed before the steps were made allocation-free (issue 12: buffers planned once, perturbations
// regenerated in place). Any change of arithmetic — a draw, a rounding, an order of accumulation, a clamp — moves
// a loss, a weight or a Work count and fails here. The golden file was written by this test
// (GOLDEN_WRITE=1 npx vitest run simulators/training/algorithms/step-golden.test.ts) on main at 36e8477,
// before any of those changes; it is data nobody edits by hand.
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildGraph } from '../../model/graph'
import { getBuiltinModel } from '../../model/builtin'
import { initParams } from '../float/float-network'
import { quantizeModel } from '../network/quantize-model'
import { QNetwork } from '../network/qnetwork'
import { resolveFormats, DEFAULT_FORMATS } from '../network/formats'
import { MemoryTracker } from '../network/memory'
import { resolveScope, type TrainableScope } from '../network/trainable'
import { resolveHyperparameters } from './algorithm'
import { trainingAlgorithms } from './registry'
import { tinyCnn, quadrantTask } from '../../testing/training-fixtures'
import { syntheticDataset } from '../../data/synthetic'
import type { ModelSpec } from '../../model/spec'

const GOLDEN = new URL('./step-golden.json', import.meta.url)

interface Case { name: string; algorithm: string; model: 'cnn-mnist' | 'tiny-cnn'; scope: TrainableScope; hp: Record<string, unknown> }

const all: TrainableScope = { kind: 'all' }
const CASES: Case[] = [
  ...[...trainingAlgorithms.keys()].map((algorithm): Case => ({ name: `${algorithm} defaults`, algorithm, model: 'cnn-mnist', scope: all, hp: {} })),
  { name: 'zo-spsa magnitude, rademacher, 3 directions', algorithm: 'zo-spsa', model: 'cnn-mnist', scope: all, hp: { estimate: 'magnitude', distribution: 'rademacher', perturbations: 3, diffClip: 2 } },
  { name: 'zo-spsa sparse, stochastic, no biases', algorithm: 'zo-spsa', model: 'cnn-mnist', scope: all, hp: { density: 0.3, rounding: 'stochastic', perturbBiases: false } },
  { name: 'zo-spsa momentum-guided, kernel-normalised', algorithm: 'zo-spsa', model: 'cnn-mnist', scope: all, hp: { momentumGuided: 0.6, kernelNormalization: true, perturbations: 2 } },
  { name: 'zo-spsa sharpness-aware, 2 directions', algorithm: 'zo-spsa', model: 'cnn-mnist', scope: all, hp: { sharpnessFraction: 0.01, perturbations: 2, zBits: 6 } },
  { name: 'zo-spsa saturating perturbations (W8, ε = 0.3)', algorithm: 'zo-spsa', model: 'tiny-cnn', scope: all, hp: { epsilonFraction: 0.3, lrFraction: 0.05 } },
  { name: 'backprop adam, stochastic', algorithm: 'backprop', model: 'cnn-mnist', scope: all, hp: { optimizer: 'adam', rounding: 'stochastic', lr: 0.01 } },
  { name: 'backprop momentum without QAS, last layer', algorithm: 'backprop', model: 'cnn-mnist', scope: { kind: 'last', layers: 1 }, hp: { optimizer: 'momentum', qas: false, lr: 0.001 } },
  { name: 'backprop tiny-cnn (residual, pools, depthwise)', algorithm: 'backprop', model: 'tiny-cnn', scope: all, hp: {} },
  { name: 'backprop sparse update', algorithm: 'backprop', model: 'tiny-cnn', scope: { kind: 'sparse', biasLayers: 3, weights: [{ layer: 1, ratio: 0.5 }, { layer: 3, ratio: 0.25 }] }, hp: {} },
  { name: 'forward-ad rademacher, 2 directions, no biases', algorithm: 'forward-ad', model: 'cnn-mnist', scope: all, hp: { distribution: 'rademacher', directions: 2, perturbBiases: false } },
  { name: 'forward-ad tiny-cnn', algorithm: 'forward-ad', model: 'tiny-cnn', scope: all, hp: {} },
  { name: 'tpsgd tiny-cnn', algorithm: 'tpsgd', model: 'tiny-cnn', scope: all, hp: {} },
  { name: 'hybrid 2 backprop layers, magnitude', algorithm: 'hybrid', model: 'cnn-mnist', scope: all, hp: { backpropLayers: 2, estimate: 'magnitude', perturbations: 2 } },
  { name: 'hybrid tiny-cnn', algorithm: 'hybrid', model: 'tiny-cnn', scope: all, hp: {} },
]

/** FNV-1a over the decimal text of each value: any changed code or count changes the hash. */
function hash(values: Iterable<number | string>): string {
  let h = 0x811c9dc5
  for (const v of values) {
    const s = `${v},`
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0
  }
  return h.toString(16).padStart(8, '0')
}

const B = 4
const STEPS = 3

function run(c: Case) {
  const alg = trainingAlgorithms.get(c.algorithm)!
  const spec: ModelSpec = c.model === 'tiny-cnn' ? tinyCnn : getBuiltinModel('cnn-mnist')
  const graph = buildGraph(spec)
  const params = initParams(graph, 5)
  const data = c.model === 'tiny-cnn' ? quadrantTask(32, 4) : syntheticDataset({ seed: 2, perClass: 2, size: 28 })
  const px = shapeOf(graph[0].inShape)
  const formats = resolveFormats(c.model === 'tiny-cnn' ? { ...DEFAULT_FORMATS, weightBits: 8 } : DEFAULT_FORMATS)
  const model = quantizeModel(graph, params, formats, data.images, 16)
  const net = new QNetwork(model, B)
  const trainer = alg.create({ net, trainable: resolveScope(net, c.scope), seed: 7, tracker: new MemoryTracker(), maxBatch: B }, resolveHyperparameters(alg, c.hp, 'hyperparameters'))
  const steps = []
  for (let s = 0; s < STEPS; s++) {
    const at = s * B
    const r = trainer.step(data.images.subarray(at * px, (at + B) * px), data.labels.subarray(at, at + B), B, s)
    const params = model.nodes.flatMap((p) => [...(p.w ? p.w.data : []), ...(p.b ?? [])])
    steps.push({ loss: r.loss, correct: r.correct, updated: r.updated, params: hash(params), work: hash(Object.values(r.work).flatMap((w) => Object.values(w))), memory: r.memory.peakTotal })
  }
  return steps
}

const shapeOf = (s: readonly number[]) => s.reduce((a, b) => a * b, 1)

describe('training steps are bit-identical to the values pinned before they were made allocation-free', () => {
  if (process.env.GOLDEN_WRITE) {
    it('writes the golden file', () => {
      writeFileSync(GOLDEN, JSON.stringify(Object.fromEntries(CASES.map((c) => [c.name, run(c)])), null, 1) + '\n')
    })
    return
  }
  const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, unknown>
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
    expect(golden[name], `no golden entry for "${name}"`).toBeDefined()
    expect(run(c)).toEqual(golden[name])
  })
})
