// Runs a whole experiment for the CLI through the worker pool the studio uses: the preparation job
// (data, task, graph, pretraining, cached on disk), then one job per run, each in its own worker_thread
// (up to `workers` at once), or all on this thread with workers = 0. The same seed gives bit-identical
// results either way (tested: scripts/cli-determinism.mjs).
import { availableParallelism } from 'node:os'
import { performance } from 'node:perf_hooks'
import { createWorkerPool, type WorkerPool } from '../pool'
import { inProcessSpawn } from '../in-process-worker'
import { createWorkerApi } from '../worker-api'
import { prepareJob, runJob } from '../jobs'
import type { PretrainEvent, PretrainOutcome } from './prepare'
import type { ParsedExperiment } from '../../simulators/experiment/validate'
import type { ExperimentSpec } from '../../simulators/experiment/spec'
import type { RunEvent, RunSummary } from '../../simulators/experiment/runner'

export type HostEvent = PretrainEvent | RunEvent

export interface HostOptions {
  /** concurrent worker threads; 0 runs every job on this thread */
  workers?: number
  onEvent?: (e: HostEvent) => void
  /** emit each run's trained integer weights as a 'weights' event */
  emitWeights?: boolean
}

export interface ExperimentResult {
  spec: ExperimentSpec
  pretrain: PretrainOutcome
  runs: RunSummary[]
  /** per run: [step, test accuracy] at every evaluation */
  evals: [number, number][][]
}

/** `spawn` of the real worker threads: imported lazily, as only the built CLI can start them. */
async function poolFor(workers: number): Promise<WorkerPool> {
  if (workers === 0) return createWorkerPool({ size: 1, spawn: inProcessSpawn(() => createWorkerApi(() => performance.now())).spawn })
  return (await import('../pool-node')).createNodeWorkerPool(workers)
}

export async function runExperiment({ spec, profiles }: ParsedExperiment, opts: HostOptions = {}): Promise<ExperimentResult> {
  const emit = opts.onEvent ?? (() => {})
  const pool = await poolFor(opts.workers ?? Math.min(availableParallelism(), spec.runs.length + 1))
  try {
    const prepared = await pool.submit(prepareJob(spec), emit).done
    const evals: [number, number][][] = spec.runs.map(() => [])
    const onEvents = (events: RunEvent[]) => events.forEach((e) => {
      if (e.type === 'eval') evals[e.run].push([e.step, e.accuracy])
      emit(e)
    })
    const { graph, params, task } = prepared
    const runs = await Promise.all(spec.runs.map((_, runIndex) =>
      pool.submit(runJob({ spec, runIndex, graph, params, task, profiles, emitWeights: opts.emitWeights }), onEvents).done))
    return { spec, pretrain: prepared.pretrain, runs, evals }
  } finally {
    await pool.dispose()
  }
}
