// What one pool worker exposes over comlink: a run (environment-neutral, run-api.ts) and an experiment's
// preparation (Node: data and the pretraining cache on disk, prepare-api.ts). One worker kind for both, so
// one pool schedules every job of an experiment, CLI and studio alike.
import { createPrepareApi, type PrepareApi } from './prepare-api'
import { createRunApi, type RunApi } from './run-api'

export type WorkerApi = RunApi & PrepareApi

export function createWorkerApi(now: () => number): WorkerApi {
  return { ...createRunApi(now), ...createPrepareApi() }
}
