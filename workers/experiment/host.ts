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
import { profilesOf, type PlannedRun } from '../../simulators/experiment/plan'
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
  /** the trainings run (one per run of the spec and distinct device formats) */
  plan: PlannedRun[]
  pretrain: PretrainOutcome
  runs: RunSummary[]
  /** per run: [step, test accuracy] at every evaluation */
  evals: [number, number][][]
}

/** `spawn` of the real worker threads: imported lazily, as only the built CLI can start them. */
export async function poolFor(workers: number): Promise<WorkerPool> {
  if (workers === 0) return createWorkerPool({ size: 1, spawn: inProcessSpawn(() => createWorkerApi(() => performance.now())).spawn })
  return (await import('../pool-node')).createNodeWorkerPool(workers)
}

export async function runExperiment({ spec, profiles, plan }: ParsedExperiment, opts: HostOptions = {}): Promise<ExperimentResult> {
  const emit = opts.onEvent ?? (() => {})
  const pool = await poolFor(opts.workers ?? Math.min(availableParallelism(), plan.length + 1))
  try {
    const prepared = await pool.submit(prepareJob(spec), emit).done
    const evals: [number, number][][] = plan.map(() => [])
    const onEvents = (events: RunEvent[]) => events.forEach((e) => {
      if (e.type === 'eval') evals[e.run].push([e.step, e.accuracy])
      emit(e)
    })
    const { graph, params, task } = prepared
    const runs = await Promise.all(plan.map((run) =>
      pool.submit(runJob({ spec, run, graph, params, task, profiles: profilesOf(run, profiles), emitWeights: opts.emitWeights }), onEvents).done))
    return { spec, plan, pretrain: prepared.pretrain, runs, evals }
  } finally {
    await pool.dispose()
  }
}
