// The jobs of an experiment, as the pool runs them: its preparation, then one job per run. A run's
// messages are either plain event batches (the CLI writes them as JSON lines) or packed batches (the
// studio's store and window, run-stream.ts); both come from the same RunApi in the same worker.
import type { ExperimentSpec } from '../simulators/experiment/spec'
import type { RunEvent, RunInput, RunSummary } from '../simulators/experiment/runner'
import type { PoolJob } from './pool'
import type { PreparedExperiment, PretrainEvent } from './prepare-api'
import { lastEventType } from './run-api'
import type { RunBatch } from './run-stream'
import type { ParsedExperiment } from '../simulators/experiment/validate'
import type { RunEstimate } from '../simulators/experiment/estimate'
import type { LandscapeStudy, LandscapeStudyInput, StudyProgress } from '../simulators/experiment/landscape-study'

/** What error messages call a run: "run 1 (zo-spsa)". */
export const runName = (input: RunInput): string => `run ${input.run.index} (${input.run.label})`

/**
 * Preparing comes after runs in the queue (priority 1): an experiment that is prepared starts its runs
 * before the next one prepares, so at most a pool's worth of prepared data waits in memory.
 */
export function prepareJob(spec: ExperimentSpec): PoolJob<PreparedExperiment, PretrainEvent> {
  return { name: 'preparing the experiment', priority: 1, call: (api, deliver) => api.prepare(spec, deliver), isLast: (e) => !e.progress }
}

/** Times the experiment's planned runs on this machine (estimate.ts); runs as soon as a worker is free. */
export function estimateJob(parsed: ParsedExperiment): PoolJob<RunEstimate[], never> {
  return { name: 'estimating the experiment', call: (api) => api.estimate(parsed) }
}

export function runJob(input: RunInput): PoolJob<RunSummary, RunEvent[]> {
  const last = lastEventType(input)
  return {
    name: runName(input),
    call: (api, deliver) => api.run(input, deliver),
    isLast: (events) => events.some((e) => e.type === last),
  }
}

export function packedRunJob(input: RunInput): PoolJob<RunSummary, RunBatch> {
  const last = lastEventType(input)
  return {
    name: runName(input),
    call: (api, deliver) => api.runPacked(input, deliver),
    isLast: (batch) => batch.events.some((e) => e.type === last),
  }
}

/**
 * The loss landscape study of two runs (simulators/experiment/landscape-study.ts), off the UI thread.
 * Progress arrives as messages; cancelling the job ends its worker (pool.ts), which stops the computation.
 */
export function landscapeJob(input: LandscapeStudyInput): PoolJob<LandscapeStudy, StudyProgress> {
  return { name: `loss landscape of ${input.runs.map((r) => r.run.label).join(' and ')}`, call: (api, deliver) => api.landscape(input, deliver) }
}
