// Runs a whole experiment for the CLI through the worker pool the studio uses: the preparation job
// (data, task, graph, pretraining, cached on disk), then one job per run, each in its own worker_thread
// (up to `workers` at once), or all called directly on this thread with workers = 0 (in-process.ts: events
// delivered as they happen). The same seed gives bit-identical results either way (tested:
// scripts/cli-determinism.mjs).
import { availableParallelism } from 'node:os'
import { performance } from 'node:perf_hooks'
import { createWorkerPool, type WorkerPool } from '../pool'
import { inProcessSpawn } from '../in-process-worker'
import { createWorkerApi } from '../worker-api'
import { prepareJob, runJob } from '../jobs'
import { prepareSteps, type PreparedExperiment, type PretrainEvent, type PretrainOutcome } from './prepare'
import { inSlices, runInProcess } from './in-process'
import type { ParsedExperiment } from '../../simulators/experiment/validate'
import { profilesOf, type PlannedRun } from '../../simulators/experiment/plan'
import type { ExperimentSpec } from '../../simulators/experiment/spec'
import type { RunEvent, RunInput, RunSummary } from '../../simulators/experiment/runner'

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

/**
 * `spawn` of the real worker threads: imported lazily, as only the built CLI can start them. With 0 workers
 * (`lastmile sweep --workers 0`) the jobs run on this thread, in slices between event-loop turns, so their
 * messages arrive as they are sent and a signal is handled mid-run.
 */
export async function poolFor(workers: number): Promise<WorkerPool> {
  if (workers === 0) return createWorkerPool({ size: 1, spawn: inProcessSpawn(() => createWorkerApi(() => performance.now(), { inSlices: true })).spawn })
  return (await import('../pool-node')).createNodeWorkerPool(workers)
}

export async function runExperiment(parsed: ParsedExperiment, opts: HostOptions = {}): Promise<ExperimentResult> {
  const { spec, profiles, plan } = parsed
  const emit = opts.onEvent ?? (() => {})
  const evals: [number, number][][] = plan.map(() => [])
  const onEvent = (e: RunEvent) => {
    if (e.type === 'eval') evals[e.run].push([e.step, e.accuracy])
    emit(e)
  }
  const inputs = (prepared: PreparedExperiment): RunInput[] => plan.map((run) =>
    ({ spec, run, graph: prepared.graph, params: prepared.params, task: prepared.task, profiles: profilesOf(run, profiles), emitWeights: opts.emitWeights }))
  const workers = opts.workers ?? Math.min(availableParallelism(), plan.length + 1)
  if (workers === 0) {
    // on this thread, each event delivered as it happens (in-process.ts); runs one after the other
    const prepared = await inSlices(prepareSteps(spec, emit), () => performance.now())
    const runs: RunSummary[] = []
    for (const input of inputs(prepared)) runs.push(await runInProcess(input, onEvent, () => performance.now()))
    return { spec, plan, pretrain: prepared.pretrain, runs, evals }
  }
  const pool = await poolFor(workers)
  try {
    const prepared = await pool.submit(prepareJob(spec), emit).done
    const runs = await Promise.all(inputs(prepared).map((input) => pool.submit(runJob(input), (events) => events.forEach(onEvent)).done))
    return { spec, plan, pretrain: prepared.pretrain, runs, evals }
  } finally {
    await pool.dispose()
  }
}
