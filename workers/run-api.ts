// The API a run worker exposes over comlink: one run of an experiment. Environment-neutral (no Node,
// no DOM), so the same object runs in a worker_thread, a Web Worker, or in-process in tests and the CLI.
import { runOne, type RunEvent, type RunSummary } from '../simulators/experiment/runner'
import type { ExperimentSpec } from '../simulators/experiment/spec'
import type { Task } from '../simulators/experiment/task'
import type { FloatParams } from '../simulators/training/float/float-network'
import type { ModelSpec } from '../simulators/model/spec'
import type { HardwareProfile } from '../simulators/hardware/profiles/profile'
import { transfer } from 'comlink'
import { toBatch, type RunBatch } from './run-stream'

export interface RunJob {
  spec: ExperimentSpec
  runIndex: number
  model: ModelSpec
  params: FloatParams
  task: Task
  /** also send the trained integer weights (a 'weights' event after run-end) */
  saveWeights?: boolean
  /** parsed hardware profiles to price every step on */
  profiles?: HardwareProfile[]
}

export interface RunApi {
  /** Runs one run; `onEvents` receives batches of events (fewer messages than one per step). */
  run(job: RunJob, onEvents: (events: RunEvent[]) => void): Promise<RunSummary>
  /**
   * The same run for the studio: each flush is one RunBatch with the step events packed into a
   * Float64Array that is transferred (moved, not copied) to the receiver. See run-stream.ts.
   */
  runPacked(job: RunJob, onBatch: (batch: RunBatch) => void): Promise<RunSummary>
}

export function createRunApi(now: () => number): RunApi {
  const api: RunApi = {
    async run(job, onEvents) {
      let pending: RunEvent[] = []
      let lastFlush = now()
      const flush = () => {
        if (pending.length) onEvents(pending)
        pending = []
        lastFlush = now()
      }
      const summary = runOne(job.spec, job.runIndex, job.model, job.params, job.task, (e) => {
        pending.push(e)
        // flush at most every 100 ms, and always on evaluations and the end of the run
        if (e.type !== 'step' || now() - lastFlush > 100) flush()
      }, now, job.saveWeights, job.profiles)
      flush()
      return summary
    },
    runPacked(job, onBatch) {
      const ids = (job.profiles ?? []).map((p) => p.id)
      return api.run(job, (events) => {
        const batch = toBatch(job.runIndex, events, ids)
        onBatch(batch.steps ? transfer(batch, [batch.steps.data.buffer]) : batch)
      })
    },
  }
  return api
}
