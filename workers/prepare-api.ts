// The API the studio's prepare worker exposes over comlink: build everything an experiment's runs share
// (data, task, pretrained weights, profiles; see experiment/prepare.ts) off the main process, streaming
// pretraining progress. Node-only (it reads MNIST and the pretraining cache from disk).
import { prepareExperiment, type PreparedExperiment, type PretrainEvent } from './experiment/prepare'
import type { ExperimentSpec } from '../simulators/experiment/spec'

export type { PreparedExperiment, PretrainEvent }

export interface PrepareApi {
  prepare(spec: ExperimentSpec, onEvent: (e: PretrainEvent) => void): Promise<PreparedExperiment>
}

export function createPrepareApi(): PrepareApi {
  return {
    async prepare(spec, onEvent) {
      return prepareExperiment(spec, onEvent)
    },
  }
}
