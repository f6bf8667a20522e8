/**
 * Running an experiment's runs: quantize the source model into each run's formats (calibrated on clean
 * source images, as before deployment), evaluate zero-shot on the shifted test set, adapt with the run's
 * algorithm on the k-shot set, evaluate every `evalEvery` steps, and stream metric events as they come.
 * Everything here is deterministic from the seed; only `wallSeconds` measures the host.
 */
import { addWork, newWork } from '../core/work'
import { batch, batchLabels, type Dataset } from '../data/dataset'
import { shuffle } from '../data/splits'
import { softmaxCrossEntropy } from '../kernels/loss'
import type { GraphNode } from '../model/graph'
import { resolveFormats, type NumericFormatsSpec } from '../training/network/formats'
import { quantizeModel } from '../training/network/quantize-model'
import { QNetwork } from '../training/network/qnetwork'
import { MemoryTracker } from '../training/network/memory'
import { emptyBreakdown, type MemoryBreakdown } from '../core/memory-categories'
import { resolveHyperparameters } from '../training/algorithms/algorithm'
import { frozenParameterBytes, resolveScope, trainedWeightCount, type TrainableScope } from '../training/network/trainable'
import { newPhaseWork, PHASES, type PhaseWork } from '../core/op'
import { getAlgorithm } from '../training/algorithms/registry'
import type { FloatParams } from '../training/float/float-network'
import { quantizedWeightsToJson, type QuantizedWeightsJson } from '../training/network/params-io'
import type { ExperimentSpec } from './spec'
import type { HardwareProfile } from '../hardware/profiles/profile'
import { RunPricer, type Blocker, type ProfileResult, type StepPrice } from '../hardware/pricing/run-pricer'
import { OpCollector } from '../training/network/trace'
import type { Task } from './task'
import type { PlannedRun, PlannedDevice } from './plan'
import { HealthTally, learning, type ArithmeticHealth, type Learning } from './health'

export interface StepEvent {
  type: 'step'
  run: number
  step: number
  loss: number
  /** fraction of the batch predicted correctly (at the weights the step started from) */
  accuracy: number
  forwardPasses: number
  backwardPasses: number
  macs: Record<string, number>
  peakBytes: number
  memory: MemoryBreakdown
  updatedFraction: number
  /** accumulations that hit the accumulator's limit (saturated or wrapped), over all phases of the step */
  saturations: number
  /** requantized values clipped to their format, over all phases of the step (see health.ts) */
  clipped: number
  /** host seconds since the run's first step began (not simulated time: for progress and ETAs) */
  elapsedSeconds: number
  /** this step priced on each of the run's hardware profiles */
  costs: StepPrice[]
}

export interface EvalEvent {
  type: 'eval'
  run: number
  step: number
  accuracy: number
  loss: number
  /** forward passes spent on training so far (equal-budget comparisons) */
  forwardPasses: number
}

export interface RunSummary {
  type: 'run-end'
  run: number
  /** the run of the spec it trained */
  specRun: number
  label: string
  algorithm: string
  scope: TrainableScope
  formats: NumericFormatsSpec
  hyperparameters: Record<string, unknown>
  steps: number
  zeroShotAccuracy: number
  finalAccuracy: number
  bestAccuracy: number
  finalLoss: number
  forwardPasses: number
  backwardPasses: number
  /** total work by phase over all steps */
  work: PhaseWork
  /** the step with the highest peak: its breakdown at the peak, and each category's own maximum */
  peakBytes: number
  peakMemory: MemoryBreakdown
  maxByCategory: MemoryBreakdown
  trainableParameters: number
  /** mean fraction of eligible parameters that changed per step (stalled updates show as ~0) */
  updatedFraction: number
  wallSeconds: number
  stepsPerSecond: number
  /** the run priced on each hardware profile: totals, phases, placement, feasibility with reasons */
  profiles: ProfileResult[]
  /** the devices it was priced on, with what was changed from the requested formats for each (same order as profiles) */
  devices: PlannedDevice[]
  /** images of the target test set the accuracies are measured on */
  testCount: number
  /** final against zero-shot accuracy, with the spread of the test set */
  learning: Learning
  /** what the integer arithmetic lost: saturation and clipping per layer and phase, with warnings */
  health: ArithmeticHealth
}

export interface RunStart {
  type: 'run-start'
  run: number
  /** the run of the spec it trains */
  specRun: number
  label: string
  algorithm: string
  steps: number
  /** the formats it trains in */
  formats: NumericFormatsSpec
  /** the devices it is priced on, with what was changed from the requested formats for each */
  devices: PlannedDevice[]
}

/**
 * Whether the run can run on one of its profiles, sent before the first step and again whenever a new
 * reason appears, so a live view can say why a device is out before the run ends.
 */
export interface FeasibilityEvent {
  type: 'feasibility'
  run: number
  profile: string
  feasible: boolean
  reasons: Blocker[]
}

/** The trained integer weights, sent after run-end when the host asks for them (CLI --save-weights). */
export interface WeightsEvent {
  type: 'weights'
  run: number
  label: string
  weights: QuantizedWeightsJson
}

export type RunEvent = RunStart | FeasibilityEvent | StepEvent | EvalEvent | RunSummary | WeightsEvent

/** Accuracy and mean loss of the integer network on a dataset, in batches. */
export function evaluate(net: QNetwork, data: Dataset, B: number): { accuracy: number; loss: number } {
  const images = new Float32Array(B * (data.images.length / data.count))
  const labels = new Uint8Array(B)
  let correct = 0, loss = 0
  const work = newWork()
  for (let s = 0; s < data.count; s += B) {
    const n = Math.min(B, data.count - s)
    const idx = Int32Array.from({ length: n }, (_, i) => s + i)
    batch(data, idx, images)
    batchLabels(data, idx, labels)
    const r = softmaxCrossEntropy(net.forward(images.subarray(0, n * (data.images.length / data.count)), n, work), labels.subarray(0, n), work)
    correct += r.correct
    loss += r.loss * n
  }
  return { accuracy: correct / data.count, loss: loss / data.count }
}

/** Everything one run needs: what the experiment's preparation built once, and which planned run it is. */
export interface RunInput {
  spec: ExperimentSpec
  /** the training to run: a run of the spec at its formats, with the devices it is priced on (plan.ts) */
  run: PlannedRun
  /** the model's execution graph (model/graph.ts buildGraph), built once per experiment */
  graph: GraphNode[]
  /** the source model's float weights (pretrained or initialised) */
  params: FloatParams
  task: Task
  /** the parsed profiles of `run.devices`, in that order; every step is priced on each */
  profiles: readonly HardwareProfile[]
  /** also emit the trained integer weights, as a 'weights' event after run-end */
  emitWeights?: boolean
  /**
   * Receives the network after step 0 and after each step in `snapshotSteps` (in-thread callers only, e.g. the
   * loss landscape study, which copies the weight codes it needs: experiment/landscape-study.ts).
   */
  onSnapshot?: (step: number, net: QNetwork) => void
  snapshotSteps?: ReadonlySet<number>
}

/** Runs one run of an experiment, emitting its events as they happen; `now` (ms) only times the host. */
export function runOne(input: RunInput, emit: (e: RunEvent) => void, now: () => number = () => 0): RunSummary {
  const steps = runSteps(input, emit, now)
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
  }
}

/**
 * The same run, paused after each step (it yields the step number, once that step's events are emitted):
 * a host on a single thread (the CLI's `--workers 0`) can give its event loop a turn between steps, so a
 * SIGTERM is handled mid-run. Driven to the end without pausing it is exactly runOne.
 */
export function* runSteps(input: RunInput, emit: (e: RunEvent) => void, now: () => number = () => 0): Generator<number, RunSummary, void> {
  const { spec, run: planned, graph, params, task, profiles } = input
  const runIndex = planned.index
  const run = spec.runs[planned.specRun]
  const { label, steps } = planned
  const formatsSpec = planned.formats
  const formats = resolveFormats(formatsSpec, `runs[${planned.specRun}].formats`)
  const algorithm = getAlgorithm(run.algorithm)
  const hp = resolveHyperparameters(algorithm, run.hyperparameters, `runs[${planned.specRun}].hyperparameters`)
  if (profiles.length !== planned.devices.length || profiles.some((p, i) => p.id !== planned.devices[i].profile)) {
    throw new Error(`run ${runIndex} (${label}): its profiles must be its planned devices, in order`)
  }
  emit({ type: 'run-start', run: runIndex, specRun: planned.specRun, label, algorithm: run.algorithm, steps, formats: formatsSpec, devices: planned.devices })

  const B = spec.batch
  const calibCount = Math.min(task.source.count, 256)
  const qmodel = quantizeModel(graph, params, formats, task.source.images.subarray(0, calibCount * (task.source.images.length / task.source.count)), calibCount)
  const net = new QNetwork(qmodel, Math.max(B, 1))
  const tracker = new MemoryTracker()
  // weights and biases stay resident for the whole run
  for (const p of qmodel.nodes) if (p.w) tracker.alloc(`weights:${qmodel.nodes.indexOf(p)}`, 'weights', (p.w.data.length * formats.weight.bits) / 8 + 4 * (p.b?.length ?? 0))
  const trainable = resolveScope(net, run.scope)
  // seeded by the spec run, not the planned run: the same run at other formats draws the same perturbations
  const trainer = algorithm.create({ net, trainable, seed: spec.seed + 1000 * (planned.specRun + 1), tracker, maxBatch: B, steps }, hp)
  // frozen parameters may stay where the device keeps weights (flash); trained ones need writable memory
  const frozenWeightBytes = frozenParameterBytes(net, trainable)
  const pricers = profiles.map((p) => new RunPricer(p, label, frozenWeightBytes, formatsSpec, algorithm.usesGradientFormat))
  const reasonCounts = pricers.map(() => -1)
  const reportFeasibility = () => pricers.forEach((pr, i) => {
    const reasons = pr.reasonList()
    if (reasons.length === reasonCounts[i]) return
    reasonCounts[i] = reasons.length
    emit({ type: 'feasibility', run: runIndex, profile: pr.profile.id, feasible: reasons.length === 0, reasons })
  })
  reportFeasibility()

  input.onSnapshot?.(0, net)
  const zero = evaluate(net, task.test, B)
  let last = zero
  let best = zero.accuracy
  emit({ type: 'eval', run: runIndex, step: 0, accuracy: zero.accuracy, loss: zero.loss, forwardPasses: 0 })

  const total = newPhaseWork()
  const health = new HealthTally(graph)
  let forwardPasses = 0, backwardPasses = 0, updatedSum = 0
  let peakBytes = 0, peakMemory = emptyBreakdown()
  const maxByCategory = emptyBreakdown()
  const all = Int32Array.from({ length: task.adapt.count }, (_, i) => i)
  const perEpoch = Math.max(1, Math.floor(task.adapt.count / B))
  const images = new Float32Array(B * (task.adapt.images.length / task.adapt.count))
  const labels = new Uint8Array(B)
  let order = shuffle(all, spec.seed + 17, 0)
  const t0 = now()
  for (let s = 0; s < steps; s++) {
    const epoch = Math.floor(s / perEpoch)
    if (s % perEpoch === 0 && s > 0) order = shuffle(all, spec.seed + 17, epoch)
    const at = (s % perEpoch) * B
    const idx = Int32Array.from({ length: B }, (_, i) => order[(at + i) % order.length])
    batch(task.adapt, idx, images)
    batchLabels(task.adapt, idx, labels)
    // traced always: the Ops price the step on each device and carry the arithmetic's health
    const collector = new OpCollector()
    net.trace = collector.sink
    const r = trainer.step(images, labels, B, s)
    net.trace = undefined
    const ops = collector.finish(net.model.formats, r.work)
    health.addStep(ops, r.work)
    const costs = pricers.map((pr) => pr.addStep(ops, r.memory.peak))
    if (pricers.length) reportFeasibility()
    forwardPasses += r.forwardPasses
    backwardPasses += r.backwardPasses
    for (const ph of PHASES) addWork(total[ph], r.work[ph])
    const frac = r.updated.eligible ? r.updated.changed / r.updated.eligible : 0
    updatedSum += frac
    if (r.memory.peakTotal > peakBytes) { peakBytes = r.memory.peakTotal; peakMemory = r.memory.peak }
    for (const k of Object.keys(maxByCategory) as (keyof MemoryBreakdown)[]) maxByCategory[k] = Math.max(maxByCategory[k], r.memory.maxByCategory[k])
    let saturations = 0, clipped = 0
    for (const ph of PHASES) { saturations += r.work[ph].accSaturations + r.work[ph].accWraps; clipped += r.work[ph].clipped }
    emit({
      type: 'step', run: runIndex, step: s + 1, loss: r.loss, accuracy: r.correct / B, forwardPasses: r.forwardPasses, backwardPasses: r.backwardPasses,
      macs: Object.fromEntries(PHASES.map((ph) => [ph, r.work[ph].macs])), peakBytes: r.memory.peakTotal, memory: r.memory.peak, updatedFraction: frac,
      saturations, clipped, elapsedSeconds: (now() - t0) / 1000, costs,
    })
    if (input.snapshotSteps?.has(s + 1)) input.onSnapshot?.(s + 1, net)
    if ((s + 1) % spec.evalEvery === 0 || s + 1 === steps) {
      last = evaluate(net, task.test, B)
      best = Math.max(best, last.accuracy)
      emit({ type: 'eval', run: runIndex, step: s + 1, accuracy: last.accuracy, loss: last.loss, forwardPasses })
    }
    yield s + 1
  }
  const wall = (now() - t0) / 1000
  const summary: RunSummary = {
    type: 'run-end', run: runIndex, specRun: planned.specRun, label, algorithm: run.algorithm, scope: run.scope, formats: formatsSpec, hyperparameters: hp as Record<string, unknown>,
    steps, zeroShotAccuracy: zero.accuracy, finalAccuracy: last.accuracy, bestAccuracy: best, finalLoss: last.loss,
    forwardPasses, backwardPasses, work: total, peakBytes, peakMemory, maxByCategory,
    trainableParameters: trainable.nodes.reduce((a, i) => a + trainedWeightCount(net, trainable, i) + (qmodel.nodes[i].b?.length ?? 0), 0),
    updatedFraction: steps ? updatedSum / steps : 0,
    wallSeconds: wall, stepsPerSecond: wall > 0 ? steps / wall : 0,
    profiles: pricers.map((p) => {
      const r = p.result()
      for (const w of r.byWork) if (w.node >= 0) w.layer = `${graph[w.node].path} ${graph[w.node].kind}`
      return r
    }),
    devices: planned.devices, testCount: task.test.count,
    learning: learning(zero.accuracy, last.accuracy, task.test.count), health: health.result(),
  }
  emit(summary)
  if (input.emitWeights) emit({ type: 'weights', run: runIndex, label, weights: quantizedWeightsToJson(qmodel) })
  return summary
}
