// A pool that runs experiment runs (RunJobs) on worker threads for the studio: at most `size` at once,
// the rest queued FIFO, each cancellable. One fresh worker per job, so a crash or a cancellation never
// leaves a half-dead worker for the next run. The pool never touches Node's Worker itself: `spawn` is
// injected (pool-node.ts builds it on worker_threads for the app; tests run the API in-process over a
// MessageChannel), so this file is Electron-free and testable under vitest.
//
// Batches pass through unchanged: the worker's RunApi.runPacked already batches events (at most one
// message per 100 ms, plus one per evaluation and at the end) and packs a batch's step events into one
// Float64Array that comlink TRANSFERS to this thread (the buffer moves, nothing is copied; toolchain.md §3
// measured 1e6 steps at ~50–130 ms that way vs ~270–490 ms as number[]). The worker's own copy is left
// detached, so a batch is delivered once and the pool never keeps it.
import { availableParallelism } from 'node:os'
import { wrap, proxy, releaseProxy, type Endpoint, type Remote } from 'comlink'
import type { RunApi, RunJob } from '../../workers/run-api'
import type { RunBatch } from '../../workers/run-stream'
import { type RunSummary } from '../../simulators/experiment/runner'
import { runLabel } from '../../simulators/experiment/labels'

/** One worker thread (or a stand-in), as the pool needs it. */
export interface RunWorker {
  /** the comlink endpoint on which the worker exposes a RunApi */
  endpoint: Endpoint
  terminate(): Promise<unknown>
  /** called once when the worker stops: with an error if it crashed */
  onExit(cb: (err?: Error) => void): void
}

export interface RunPoolOptions {
  /** concurrent workers; defaults to os.availableParallelism() */
  size?: number
  spawn: () => RunWorker
}

/** `done` of a job cancelled by `cancel(id)` or `dispose()` rejects with this. */
export class RunCancelled extends Error {
  constructor(readonly id: string, run: string) {
    super(`${run} cancelled`)
    this.name = 'RunCancelled'
  }
}

export interface RunPool {
  submit(job: RunJob, onBatch: (batch: RunBatch) => void): { id: string; done: Promise<RunSummary> }
  /** true if the job was queued or running (and is now cancelled) */
  cancel(id: string): boolean
  queued(): number
  running(): number
  /** cancels every job and waits for their workers to stop; submit() throws afterwards */
  dispose(): Promise<void>
}

interface Entry {
  id: string
  name: string // "run 1 (zo-spsa)": what error messages call the run
  job: RunJob
  onBatch: (batch: RunBatch) => void
  resolve: (s: RunSummary) => void
  reject: (e: Error) => void
  worker?: RunWorker
  api?: Remote<RunApi>
  /** set once the job's outcome is decided; later results are ignored */
  ending: boolean
  /** set when `done` is about to settle: onEvents is never called after that */
  muted: boolean
  /** the summary, once the worker returned it, while its last events are still on their way */
  summary?: RunSummary
  lastEventSeen: boolean
}

export function createRunPool(opts: RunPoolOptions): RunPool {
  const size = opts.size ?? availableParallelism()
  if (!Number.isInteger(size) || size < 1) throw new Error(`run pool size must be a positive integer, got ${size}`)
  const queue: Entry[] = []
  const active = new Map<string, Entry>() // holding a slot: running, or its worker still stopping
  const stopping = new Set<Promise<unknown>>()
  let nextId = 1
  let disposed = false

  const pump = () => {
    while (active.size < size && queue.length) start(queue.shift()!)
  }

  function start(e: Entry) {
    active.set(e.id, e)
    try {
      e.worker = opts.spawn()
      e.api = wrap<RunApi>(e.worker.endpoint)
    } catch (err) {
      return end(e, new Error(`${e.name} could not start a worker: ${messageOf(err)}`))
    }
    e.worker.onExit((err) => {
      // The result came but the tail events are lost with the worker: the run still finished.
      if (e.summary) return end(e, e.summary)
      end(e, new Error(err ? `${e.name} crashed in its worker: ${err.message}` : `${e.name}: worker exited before the run finished`))
    })
    const lastType = e.job.saveWeights ? 'weights' : 'run-end'
    const deliver = (batch: RunBatch) => {
      if (e.muted) return
      e.onBatch(batch)
      if (batch.events.some((ev) => ev.type === lastType)) {
        e.lastEventSeen = true
        if (e.summary) end(e, e.summary)
      }
    }
    e.api.runPacked(e.job, proxy(deliver)).then(
      (summary) => {
        // The events travel on the callback's own MessagePort, the result on the worker's: the result
        // can overtake the last batch. Settle only once the run's last event (run-end, or weights when
        // asked for) has been delivered, so `done` means every event is in. This relies on the RunApi
        // always sending that event, as createRunApi does (its final flush follows runOne's last emit).
        e.summary = summary
        if (e.lastEventSeen) end(e, summary)
      },
      (err) => end(e, new Error(`${e.name} failed: ${messageOf(err)}`)),
    )
  }

  /** Decides a job's outcome: stops its worker, frees its slot, then settles `done`. */
  function end(e: Entry, outcome: RunSummary | Error) {
    if (e.ending) return
    e.ending = true
    const i = queue.indexOf(e)
    if (i >= 0) queue.splice(i, 1)
    const stop = (async () => {
      if (e.worker) {
        // Let batches already waiting on the main thread's ports dispatch first, so a cancelled or
        // crashed run loses no event that had reached us. Then stop the thread; the slot is freed
        // only once it is gone, so there are never more than `size` workers alive.
        await new Promise((r) => setImmediate(r))
        e.muted = true
        e.api?.[releaseProxy]()
        await e.worker.terminate().catch(() => {})
      }
      e.muted = true
    })()
    stopping.add(stop)
    void stop.then(() => {
      stopping.delete(stop)
      active.delete(e.id)
      if (outcome instanceof Error) e.reject(outcome)
      else e.resolve(outcome)
      pump()
    })
  }

  const find = (id: string) => active.get(id) ?? queue.find((e) => e.id === id)

  return {
    submit(job, onBatch) {
      if (disposed) throw new Error('run pool is disposed')
      const id = `run-${nextId++}`
      let resolve!: Entry['resolve'], reject!: Entry['reject']
      const done = new Promise<RunSummary>((res, rej) => { resolve = res; reject = rej })
      // A caller may cancel a run it only watches through onEvents; without this, the RunCancelled
      // rejection would be unhandled, which terminates a Node process by default. Awaiting `done`
      // still sees the rejection.
      done.catch(() => {})
      const name = `run ${job.runIndex} (${runLabel(job.spec, job.runIndex)})`
      queue.push({ id, name, job, onBatch, resolve, reject, ending: false, muted: false, lastEventSeen: false })
      pump()
      return { id, done }
    },
    cancel(id) {
      const e = find(id)
      if (!e || e.ending) return false
      end(e, new RunCancelled(id, e.name))
      return true
    },
    queued: () => queue.length,
    // jobs holding a slot: running, or cancelled/finished with their worker still stopping
    running: () => active.size,
    async dispose() {
      disposed = true
      // queued first, so nothing starts in a slot a running job frees
      for (const e of [...queue, ...active.values()]) if (!e.ending) end(e, new RunCancelled(e.id, e.name))
      while (stopping.size) await Promise.all(stopping)
    },
  }
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err))
