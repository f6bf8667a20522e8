/**
 * The memory plan of one training step of a model under a trainable scope, without a data set: the
 * integer network runs one step at batch B on a seeded uniform input, and the live-buffer plan
 * (training/network/memory.ts) is read off the tracker, exactly as a run's is. Plan sizes depend on
 * shapes, formats and the scope — not on the weights' values, except which channels a sparse update's
 * "magnitude+" rule keeps (same counts either way) — so He-initialised weights stand in for pretrained
 * ones, as in predict.ts. Used to compare with published on-device training memory (docs/memory-tte.md).
 */
import { fill } from '../core/rng'
import type { MemoryBreakdown } from '../core/memory-categories'
import { packedBytes } from '../core/int-format'
import type { ModelSpec } from '../model/spec'
import { buildGraph, shapeSize } from '../model/graph'
import { initParams } from '../training/float/float-network'
import { quantizeModel } from '../training/network/quantize-model'
import { QNetwork } from '../training/network/qnetwork'
import { resolveFormats, type NumericFormatsSpec } from '../training/network/formats'
import { MemoryTracker } from '../training/network/memory'
import { frozenParameterBytes, resolveScope, type Trainable, type TrainableScope } from '../training/network/trainable'
import { getAlgorithm } from '../training/algorithms/registry'
import { resolveHyperparameters } from '../training/algorithms/algorithm'

export interface StepMemory {
  /** breakdown at the step's highest total, bytes */
  peak: MemoryBreakdown
  peakTotal: number
  peakPhase: string
  maxByCategory: MemoryBreakdown
  /** parameters that do not train (flash on an MCU) */
  frozenParameterBytes: number
  /** the peak without the frozen parameters: what needs SRAM when weights live in flash */
  sramBytes: number
  trainable: Trainable
  net: QNetwork
}

/** One step of `algorithm` (a registered id) with hyperparameters `hp` (checked, defaults filled in). */
export function measureStep(model: ModelSpec, algorithm: string, scope: TrainableScope, formats: NumericFormatsSpec, hp: Record<string, unknown> = {}, B = 1, seed = 1): StepMemory {
  const graph = buildGraph(model)
  const inSize = shapeSize(graph[0].inShape)
  const calibCount = 4
  const calib = Float32Array.from(fill({ seed, step: 0, tensor: 7 }, 'uniform', new Float64Array(calibCount * inSize)))
  const qmodel = quantizeModel(graph, initParams(graph, seed), resolveFormats(formats), calib, calibCount)
  const net = new QNetwork(qmodel, B)
  const tracker = new MemoryTracker()
  // every parameter is resident (the runner's declaration); frozen ones are subtracted for flash below
  for (const p of qmodel.nodes) if (p.w) tracker.alloc(`weights:${qmodel.nodes.indexOf(p)}`, 'weights', packedBytes(p.w.format, p.w.data.length) + 4 * (p.b?.length ?? 0))
  const trainable = resolveScope(net, scope)
  const alg = getAlgorithm(algorithm)
  // one measured step (step 0): every decay schedule's factor is 1 there, so a one-step run is exact for it
  const trainer = alg.create({ net, trainable, seed, tracker, maxBatch: B, steps: 1 }, resolveHyperparameters(alg, hp, 'hyperparameters'))
  const r = trainer.step(calib.subarray(0, B * inSize), new Uint8Array(B), B, 0)
  const frozen = frozenParameterBytes(net, trainable)
  return { peak: r.memory.peak, peakTotal: r.memory.peakTotal, peakPhase: r.memory.peakPhase, maxByCategory: r.memory.maxByCategory, frozenParameterBytes: frozen, sramBytes: r.memory.peakTotal - Math.min(frozen, r.memory.peak.weights), trainable, net }
}
