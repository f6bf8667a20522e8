// The API a worker exposes over comlink to prepare an experiment (data, task, graph, pretrained weights;
// see experiment/prepare.ts) off the main thread, streaming pretraining progress. Node-only (it reads
// MNIST and the pretraining cache from disk).
import { prepareExperiment, type PreparedExperiment, type PretrainEvent } from './experiment/prepare'
import type { ExperimentSpec } from '../simulators/experiment/spec'

export type { PreparedExperiment, PretrainEvent }

export interface PrepareApi {
  prepare(spec: ExperimentSpec, onEvent: (e: PretrainEvent) => void): Promise<PreparedExperiment>
}

export function createPrepareApi(drive: (spec: ExperimentSpec, emit: (e: PretrainEvent) => void) => PreparedExperiment | Promise<PreparedExperiment> = prepareExperiment): PrepareApi {
  return {
    async prepare(spec, onEvent) {
      return drive(spec, onEvent)
    },
  }
}
