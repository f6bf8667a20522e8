/**
 * Predicting one inference on a profile (batch 1, the device's int8 formats): the integer network runs
 * the model once with tracing on, and its operations are priced and its buffers placed exactly as a
 * training step's are. This is what docs/calibration.md compares against public MLPerf Tiny measurements;
 * the cost of inference does not depend on the weights' values, so He-initialised weights stand in for
 * the trained ones.
 */
import { fill } from '../core/rng'
import type { ModelSpec } from '../model/spec'
import { buildGraph } from '../model/graph'
import { initParams } from '../training/float/float-network'
import { quantizeModel } from '../training/network/quantize-model'
import { QNetwork } from '../training/network/qnetwork'
import { resolveFormats, type NumericFormatsSpec } from '../training/network/formats'
import { MemoryTracker } from '../training/network/memory'
import { newPhaseWork } from '../core/op'
import { OpCollector } from '../training/network/trace'
import { packedBytes } from '../core/int-format'
import { planMemory, type Placement } from '../hardware/pricing/memory-plan'
import { priceStep, type StepCost } from '../hardware/pricing/pricing'
import type { HardwareProfile } from '../hardware/profiles/profile'

export const INFERENCE_FORMATS: NumericFormatsSpec = {
  weightBits: 8, activationBits: 8, gradientBits: 8, accumulatorBits: 32, accumulatorOverflow: 'wrap', weightGranularity: 'per-channel', rounding: 'half-away',
}

export interface InferencePrediction {
  cost: StepCost
  placement: Placement
  macs: number
  peakBytes: number
}

export function predictInference(model: ModelSpec, profile: HardwareProfile, formats: NumericFormatsSpec = INFERENCE_FORMATS): InferencePrediction {
  const graph = buildGraph(model)
  const inSize = graph[0].inShape.reduce((a, b) => a * b, 1)
  const calib = Float32Array.from(fill({ seed: 1, step: 0, tensor: 7 }, 'uniform', new Float64Array(4 * inSize)))
  const qmodel = quantizeModel(graph, initParams(graph, 1), resolveFormats(formats), calib, 4)
  const net = new QNetwork(qmodel, 1)
  const tracker = new MemoryTracker()
  let weightBytes = 0
  for (const p of qmodel.nodes) if (p.w) weightBytes += packedBytes(p.w.format, p.w.data.length) + 4 * (p.b?.length ?? 0)
  tracker.alloc('weights', 'weights', weightBytes)
  const collector = new OpCollector()
  net.trace = collector.sink
  const work = newPhaseWork()
  net.forward(calib.subarray(0, inSize), 1, work.forward, tracker)
  net.trace = undefined
  const ops = collector.finish(net.model.formats, work)
  const placement = planMemory(tracker.peak, weightBytes, profile, 'inference')
  return { cost: priceStep(ops, profile, placement), placement, macs: work.forward.macs, peakBytes: tracker.peakTotal }
}

