/**
 * Pretraining the source model in float64 on clean source-domain images: plain SGD with momentum and
 * softmax cross-entropy, deterministic from the seed (He initialisation and batch order from Philox).
 * Hosts cache the result under `pretrainKey` so it runs once per configuration.
 */
import type { Dataset } from '../data/dataset'
import { batch, batchLabels } from '../data/dataset'
import { shuffle } from '../data/splits'
import type { GraphNode } from '../model/graph'
import { FloatNetwork, initParams, zeroParamsLike, type FloatParams } from '../training/float/float-network'
import { softmaxCrossEntropyFloat } from '../training/float/float-loss'
import type { ModelSpec } from '../model/spec'
import type { PretrainSpec } from './spec'

export interface PretrainProgress {
  epoch: number
  loss: number
  accuracy: number
}

/** A stable text key of everything the pretrained weights depend on. */
export function pretrainKey(model: ModelSpec, data: Dataset, p: PretrainSpec, seed: number): string {
  let h = 2166136261 // FNV-1a over the images and labels: a cheap content fingerprint
  const mix = (v: number) => { h = Math.imul(h ^ v, 16777619) >>> 0 }
  for (let i = 0; i < data.images.length; i += 7) mix(Math.round(data.images[i] * 255))
  for (let i = 0; i < data.labels.length; i++) mix(data.labels[i])
  return JSON.stringify({ v: 1, model: model.name, layers: model.layers, input: model.input, data: `${data.name}:${data.count}:${h.toString(16)}`, p, seed })
}

/** Pretrains the model whose graph (model/graph.ts buildGraph) is given. */
export function pretrain(graph: GraphNode[], data: Dataset, p: PretrainSpec, seed: number, onEpoch?: (e: PretrainProgress) => void): FloatParams {
  const steps = pretrainSteps(graph, data, p, seed, onEpoch)
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
  }
}

/**
 * The same pretraining, paused after each batch (as runner.ts runSteps pauses after each step), so a caller
 * on the main thread (the CLI's `--workers 0`) can give the event loop a turn and handle a signal mid-way.
 */
export function* pretrainSteps(graph: GraphNode[], data: Dataset, p: PretrainSpec, seed: number, onEpoch?: (e: PretrainProgress) => void): Generator<void, FloatParams, void> {
  const params = initParams(graph, seed)
  const net = new FloatNetwork(graph, params, p.batch)
  const K = graph[graph.length - 1].outShape[0]
  const grads = zeroParamsLike(params)
  const velocity = zeroParamsLike(params)
  const images = new Float32Array(p.batch * data.images.length / data.count)
  const labels = new Uint8Array(p.batch)
  const dLogits = new Float64Array(p.batch * K)
  const all = Int32Array.from({ length: data.count }, (_, i) => i)
  for (let epoch = 0; epoch < p.epochs; epoch++) {
    const order = shuffle(all, seed, epoch)
    let loss = 0, correct = 0, seen = 0
    for (let start = 0; start + p.batch <= order.length; start += p.batch) {
      const idx = order.subarray(start, start + p.batch)
      batch(data, idx, images)
      batchLabels(data, idx, labels)
      const logits = net.forward(images, p.batch)
      const r = softmaxCrossEntropyFloat(logits, labels, p.batch, K, dLogits)
      net.backward(dLogits, grads)
      for (const kind of ['w', 'b'] as const) {
        params[kind].forEach((w, i) => {
          if (!w) return
          const g = grads[kind][i]!, v = velocity[kind][i]!
          for (let j = 0; j < w.length; j++) { v[j] = p.momentum * v[j] + g[j]; w[j] -= p.lr * v[j] }
        })
      }
      loss += r.loss * p.batch; correct += r.correct; seen += p.batch
      yield
    }
    onEpoch?.({ epoch, loss: loss / Math.max(1, seen), accuracy: correct / Math.max(1, seen) })
  }
  return params
}

/** Float accuracy of parameters on a dataset (for reporting the source model). */
export function floatAccuracy(graph: GraphNode[], params: FloatParams, data: Dataset, batchSize = 100): number {
  const net = new FloatNetwork(graph, params, batchSize)
  const K = graph[graph.length - 1].outShape[0]
  let correct = 0
  const images = new Float32Array(batchSize * data.images.length / data.count)
  const labels = new Uint8Array(batchSize)
  for (let s = 0; s < data.count; s += batchSize) {
    const n = Math.min(batchSize, data.count - s)
    const idx = Int32Array.from({ length: n }, (_, i) => s + i)
    batch(data, idx, images)
    batchLabels(data, idx, labels)
    correct += softmaxCrossEntropyFloat(net.forward(images.subarray(0, n * (data.images.length / data.count)), n), labels, n, K).correct
  }
  return correct / data.count
}
