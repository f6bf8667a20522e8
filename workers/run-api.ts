// The API a worker exposes over comlink for one run of an experiment. Environment-neutral (no Node, no
// DOM), so the same object runs in a worker_thread, a Web Worker, or in-process (tests, `--workers 0`).
import { transfer } from 'comlink'
import { runOne, type RunEvent, type RunInput, type RunSummary } from '../simulators/experiment/runner'
import { toBatch, type RunBatch } from './run-stream'
import { timeRun, type RunEstimate } from '../simulators/experiment/estimate'
import { profilesOf } from '../simulators/experiment/plan'
import type { ParsedExperiment } from '../simulators/experiment/validate'
import { buildGraph } from '../simulators/model/graph'
import { resolveModel } from '../simulators/model/builtin'

export interface RunApi {
  /** Runs one run; `onEvents` receives batches of events (fewer messages than one per step). */
  run(input: RunInput, onEvents: (events: RunEvent[]) => void): Promise<RunSummary>
  /**
   * The same run for the studio: each flush is one RunBatch with the step events packed into a
   * Float64Array that is transferred (moved, not copied) to the receiver. See run-stream.ts.
   */
  runPacked(input: RunInput, onBatch: (batch: RunBatch) => void): Promise<RunSummary>
  /** Times each planned run on this machine before it starts (experiment/estimate.ts). */
  estimate(parsed: ParsedExperiment): Promise<RunEstimate[]>
}

/** The last event a run sends: `done` of a pool job waits for it (see pool.ts). */
export const lastEventType = (input: Pick<RunInput, 'emitWeights'>): RunEvent['type'] => (input.emitWeights ? 'weights' : 'run-end')

/** How a run is carried out: runOne at once (a worker thread), or in slices between event-loop turns (in-process). */
export type RunDriver = (input: RunInput, emit: (e: RunEvent) => void, now: () => number) => RunSummary | Promise<RunSummary>

export function createRunApi(now: () => number, drive: RunDriver = runOne): RunApi {
  const api: RunApi = {
    async run(input, onEvents) {
      let pending: RunEvent[] = []
      let lastFlush = now()
      const flush = () => {
        if (pending.length) onEvents(pending)
        pending = []
        lastFlush = now()
      }
      const summary = await drive(input, (e) => {
        pending.push(e)
        // flush at most every 100 ms, and always on evaluations and the end of the run
        if (e.type !== 'step' || now() - lastFlush > 100) flush()
      }, now)
      flush()
      return summary
    },
    async estimate({ spec, profiles, plan }) {
      const graph = buildGraph(resolveModel(spec.model))
      return plan.map((run) => timeRun(spec, run, graph, profilesOf(run, profiles), now))
    },
    runPacked(input, onBatch) {
      const ids = input.profiles.map((p) => p.id)
      return api.run(input, (events) => {
        const batch = toBatch(input.run.index, events, ids)
        onBatch(batch.steps ? transfer(batch, [batch.steps.data.buffer]) : batch)
      })
    },
  }
  return api
}
