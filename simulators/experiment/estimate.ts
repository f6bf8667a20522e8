/**
 * How long an experiment will take on this machine, measured before it starts: each planned run is set
 * up as it will be (its formats, algorithm, hyperparameters, scope, batch and devices) on random weights
 * and random images of the model's input shape, then one warm-up step and two timed steps run, and one
 * forward pass of a batch (what each evaluation costs per batch) is timed. Simulation time does not
 * depend on the values, only on shapes and formats, so random data times the real run.
 *
 * Not included: loading the data set and pretraining the source model (once per configuration, then
 * cached), which the preparation reports as it goes.
 */
import { fill } from '../core/rng'
import { newWork } from '../core/work'
import type { GraphNode } from '../model/graph'
import { initParams } from '../training/float/float-network'
import { quantizeModel } from '../training/network/quantize-model'
import { QNetwork } from '../training/network/qnetwork'
import { resolveFormats } from '../training/network/formats'
import { MemoryTracker } from '../training/network/memory'
import { resolveScope } from '../training/network/trainable'
import { resolveHyperparameters } from '../training/algorithms/algorithm'
import { getAlgorithm } from '../training/algorithms/registry'
import { OpCollector } from '../training/network/trace'
import { RunPricer } from '../hardware/pricing/run-pricer'
import type { HardwareProfile } from '../hardware/profiles/profile'
import type { ExperimentSpec } from './spec'
import type { PlannedRun } from './plan'

export interface RunEstimate {
  run: number
  label: string
  steps: number
  /** measured host seconds per training step (pricing on its devices included) */
  secondsPerStep: number
  /** measured host seconds per evaluation batch (one forward pass) */
  secondsPerEvalBatch: number
  /** steps × per step + evaluations × batches × per batch */
  seconds: number
}

export interface ExperimentEstimate {
  runs: RunEstimate[]
  /** the runs scheduled on `workers` threads at once, longest first */
  seconds: number
  workers: number
}

/** Times one planned run (on `profiles`: its devices' parsed profiles); `now` in ms. */
export function timeRun(spec: ExperimentSpec, run: PlannedRun, graph: GraphNode[], profiles: readonly HardwareProfile[], now: () => number): RunEstimate {
  // the target test set, evaluated every evalEvery steps, at step 0 and at the end
  const testCount = spec.data.testPerClass * (spec.data.classes?.length ?? 10)
  const specRun = spec.runs[run.specRun]
  const B = spec.batch
  const inSize = graph[0].inShape.reduce((a, b) => a * b, 1)
  const images = Float32Array.from(fill({ seed: spec.seed, step: 0, tensor: 11 }, 'uniform', new Float64Array(B * inSize)))
  const classes = graph[graph.length - 1].outShape.reduce((a, b) => a * b, 1)
  const labels = Uint8Array.from({ length: B }, (_, i) => i % classes)
  const qmodel = quantizeModel(graph, initParams(graph, spec.seed), resolveFormats(run.formats), images, B)
  const net = new QNetwork(qmodel, B)
  const algorithm = getAlgorithm(specRun.algorithm)
  const trainer = algorithm.create(
    { net, trainable: resolveScope(net, specRun.scope), seed: spec.seed, tracker: new MemoryTracker(), maxBatch: B, steps: run.steps },
    resolveHyperparameters(algorithm, specRun.hyperparameters, 'hyperparameters'),
  )
  const pricers = profiles.map((p) => new RunPricer(p, run.label, 0, run.formats, algorithm.usesGradientFormat))
  const step = (s: number) => {
    const collector = new OpCollector()
    net.trace = collector.sink
    const r = trainer.step(images, labels, B, s)
    net.trace = undefined
    const ops = collector.finish(net.model.formats, r.work)
    for (const p of pricers) p.addStep(ops, r.memory.peak)
  }
  step(0) // warm-up: first-call allocations and JIT
  const t0 = now()
  step(1)
  step(2)
  const secondsPerStep = (now() - t0) / 2000
  const t1 = now()
  net.forward(images, B, newWork())
  const secondsPerEvalBatch = (now() - t1) / 1000
  const evals = Math.floor(run.steps / spec.evalEvery) + 2
  const seconds = run.steps * secondsPerStep + evals * Math.ceil(testCount / B) * secondsPerEvalBatch
  return { run: run.index, label: run.label, steps: run.steps, secondsPerStep, secondsPerEvalBatch, seconds }
}

/** Wall time of the runs on `workers` threads: longest first, each to the thread that frees first. */
export function scheduleSeconds(runs: readonly { seconds: number }[], workers: number): number {
  const lanes = new Array(Math.max(1, workers)).fill(0)
  for (const r of [...runs].sort((a, b) => b.seconds - a.seconds)) {
    const i = lanes.indexOf(Math.min(...lanes))
    lanes[i] += r.seconds
  }
  return Math.max(...lanes)
}
