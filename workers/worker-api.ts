// What one pool worker exposes over comlink: a run (environment-neutral, run-api.ts) and an experiment's
// preparation (Node: data and the pretraining cache on disk, prepare-api.ts). One worker kind for both, so
// one pool schedules every job of an experiment, CLI and studio alike.
import { releaseProxy } from 'comlink'
import { createPrepareApi, type PrepareApi } from './prepare-api'
import { createRunApi, type RunApi } from './run-api'
import { inSlices, runInProcess } from './experiment/in-process'
import { prepareSteps } from './experiment/prepare'
import { createLandscapeApi, type LandscapeApi } from './landscape-api'

export type WorkerApi = RunApi & PrepareApi & LandscapeApi

/**
 * Releases a callback that came over comlink once the call that got it has ended. A real worker's ports
 * close with its thread; in-process (tests, the CLI's `--workers 0`) an unreleased callback port would keep
 * the process alive until garbage collection. A plain function has no releaseProxy: nothing to do.
 */
function releasing<A, C, R>(f: (arg: A, cb: C) => Promise<R>): (arg: A, cb: C) => Promise<R> {
  return async (arg, cb) => {
    try {
      return await f(arg, cb)
    } finally {
      ;(cb as { [releaseProxy]?: () => void })[releaseProxy]?.()
    }
  }
}

/**
 * `inSlices`: for a worker on the caller's own thread (the CLI's `--workers 0`, in-process-worker.ts): runs
 * and pretraining give the event loop a turn every few ms (experiment/in-process.ts), so their messages
 * arrive as they are sent and a signal is handled mid-run, instead of both waiting for the job's end.
 */
export function createWorkerApi(now: () => number, opts: { inSlices?: boolean } = {}): WorkerApi {
  const run = createRunApi(now, opts.inSlices ? runInProcess : undefined)
  const prepare = createPrepareApi(opts.inSlices ? (spec, emit) => inSlices(prepareSteps(spec, emit), now) : undefined)
  const landscape = createLandscapeApi()
  return { run: releasing(run.run), runPacked: releasing(run.runPacked), estimate: run.estimate, prepare: releasing(prepare.prepare), landscape: releasing(landscape.landscape) }
}
