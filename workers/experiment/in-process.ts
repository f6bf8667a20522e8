// The CLI's `--workers 0`: an experiment's jobs called directly on this thread, no pool and no message
// channel. Through a MessageChannel (in-process-worker.ts) a run's events only arrived once the training
// loop gave the event loop a turn, i.e. at the end of the run, so a killed run had written no metrics.
// Here every event reaches the caller's `emit` synchronously, as it happens: the CLI appends a step's line
// to metrics.jsonl before the next step starts. Between steps the loop gives the event loop a turn every
// SLICE_MS, so SIGINT/SIGTERM handlers run mid-run (a signal waits at most one slice plus one step), and
// so does pretraining (one slice plus one pretraining batch).
import { runSteps, type RunEvent, type RunInput, type RunSummary } from '../../simulators/experiment/runner'

/** ms of training between two turns of the event loop: short enough for Ctrl+C to feel immediate */
export const SLICE_MS = 50

/** Runs one run on this thread; `emit` gets each event as it happens. Same results as runOne, bit for bit. */
export function runInProcess(input: RunInput, emit: (e: RunEvent) => void, now: () => number): Promise<RunSummary> {
  return inSlices(runSteps(input, emit, now), now)
}

/** Drives a paused computation (runSteps, prepareSteps) to its end, one SLICE_MS of it per event-loop turn. */
export async function inSlices<R>(steps: Generator<unknown, R, void>, now: () => number): Promise<R> {
  let since = now()
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
    if (now() - since >= SLICE_MS) {
      // setImmediate runs after the poll phase, where libuv delivers signals to their JS handlers
      await new Promise<void>((resolve) => setImmediate(resolve))
      since = now()
    }
  }
}
