// The one pool every experiment job goes through, for the CLI and the studio alike: an experiment's
// preparation and each of its runs (jobs.ts) on worker threads, at most `size` at once, the rest queued
// (by priority, then FIFO), each cancellable. One fresh worker per job, so a crash or a cancellation
// never leaves a half-dead worker for the next job. The pool never touches Node's Worker itself: `spawn`
// is injected (pool-node.ts builds it on worker_threads; in-process-worker.ts runs the API on this thread
// over a MessageChannel for tests and `--workers 0`), so this file is Electron-free and testable.
//
// Messages pass through unchanged: a run worker already batches events (at most one message per 100 ms,
// plus one per evaluation and at the end), and a studio run packs a batch's steps into one Float64Array
// that comlink TRANSFERS to this thread (the buffer moves, nothing is copied; toolchain.md §3 measured
// 1e6 steps at ~50–130 ms that way vs ~270–490 ms as number[]). The worker's copy is left detached, so a
// message is delivered once and the pool never keeps it.
import { availableParallelism } from 'node:os'
import { wrap, proxy, releaseProxy, type Endpoint, type Remote } from 'comlink'
import type { WorkerApi } from './worker-api'

/** One worker thread (or a stand-in), as the pool needs it. */
export interface PoolWorker {
  /** the comlink endpoint on which the worker exposes a WorkerApi */
  endpoint: Endpoint
  terminate(): Promise<unknown>
  /** called once when the worker stops: with an error if it crashed */
  onExit(cb: (err?: Error) => void): void
}

/** What a job does in its worker, and what its messages are. */
export interface PoolJob<R, M> {
  /** what error messages call the job, e.g. "run 1 (zo-spsa)" */
  name: string
  /** queued jobs start lowest first, FIFO within one priority (default 0) */
  priority?: number
  /** the call into the worker; `deliver` is a comlink proxy back to this thread */
  call(api: Remote<WorkerApi>, deliver: (message: M) => void): Promise<R>
  /**
   * The message after which the job sends nothing more. Messages travel on the callback's own port and
   * the result on the worker's, so the result can overtake the last message: `done` then waits for it.
   * Without it `done` settles with the result (later messages are dropped).
   */
  isLast?(message: M): boolean
}

export interface PoolOptions {
  /** concurrent workers; defaults to os.availableParallelism() */
  size?: number
  spawn: () => PoolWorker
}

/** `done` of a job cancelled by `cancel(id)` or `dispose()` rejects with this. */
export class JobCancelled extends Error {
  constructor(readonly id: string, job: string) {
    super(`${job} cancelled`)
    this.name = 'JobCancelled'
  }
}

export interface WorkerPool {
  submit<R, M>(job: PoolJob<R, M>, onMessage: (message: M) => void): { id: string; done: Promise<R> }
  /** true if the job was queued or running (and is now cancelled) */
  cancel(id: string): boolean
  queued(): number
  running(): number
  /** cancels every job and waits for their workers to stop; submit() throws afterwards */
  dispose(): Promise<void>
}

interface Entry {
  id: string
  seq: number
  job: PoolJob<unknown, unknown>
  onMessage: (m: unknown) => void
  resolve: (r: unknown) => void
  reject: (e: Error) => void
  worker?: PoolWorker
  api?: Remote<WorkerApi>
  /** set once the job's outcome is decided; later results are ignored */
  ending: boolean
  /** set when `done` is about to settle: onMessage is never called after that */
  muted: boolean
  /** the result, once the worker returned it, while its last message is still on its way */
  result?: { value: unknown }
  lastSeen: boolean
}

export function createWorkerPool(opts: PoolOptions): WorkerPool {
  const size = opts.size ?? availableParallelism()
  if (!Number.isInteger(size) || size < 1) throw new Error(`worker pool size must be a positive integer, got ${size}`)
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
      e.api = wrap<WorkerApi>(e.worker.endpoint)
    } catch (err) {
      return end(e, new Error(`${e.job.name} could not start a worker: ${messageOf(err)}`))
    }
    e.worker.onExit((err) => {
      // The result came but the tail messages are lost with the worker: the job still finished.
      if (e.result) return end(e, e.result)
      end(e, new Error(err ? `${e.job.name} crashed in its worker: ${err.message}` : `${e.job.name}: worker exited before it finished`))
    })
    const deliver = (m: unknown) => {
      if (e.muted) return
      e.onMessage(m)
      if (e.job.isLast?.(m)) {
        e.lastSeen = true
        if (e.result) end(e, e.result)
      }
    }
    e.job.call(e.api, proxy(deliver)).then(
      (value) => {
        e.result = { value }
        if (!e.job.isLast || e.lastSeen) end(e, e.result)
      },
      (err) => end(e, new Error(`${e.job.name} failed: ${messageOf(err)}`)),
    )
  }

  /** Decides a job's outcome: stops its worker, frees its slot, then settles `done`. */
  function end(e: Entry, outcome: { value: unknown } | Error) {
    if (e.ending) return
    e.ending = true
    const i = queue.indexOf(e)
    if (i >= 0) queue.splice(i, 1)
    const stop = (async () => {
      if (e.worker) {
        // Let messages already waiting on this thread's ports dispatch first, so a cancelled or crashed
        // job loses nothing that had reached us. Then stop the thread; the slot is freed only once it is
        // gone, so there are never more than `size` workers alive.
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
      else e.resolve(outcome.value)
      pump()
    })
  }

  const find = (id: string) => active.get(id) ?? queue.find((e) => e.id === id)

  return {
    submit<R, M>(job: PoolJob<R, M>, onMessage: (m: M) => void) {
      if (disposed) throw new Error('worker pool is disposed')
      const seq = nextId++
      const id = `job-${seq}`
      let resolve!: Entry['resolve'], reject!: Entry['reject']
      const done = new Promise<R>((res, rej) => { resolve = res as Entry['resolve']; reject = rej })
      // A caller may cancel a job it only watches through onMessage; without this, the JobCancelled
      // rejection would be unhandled, which terminates a Node process by default. Awaiting `done` still
      // sees the rejection.
      done.catch(() => {})
      const entry: Entry = { id, seq, job: job as PoolJob<unknown, unknown>, onMessage: onMessage as Entry['onMessage'], resolve, reject, ending: false, muted: false, lastSeen: false }
      const p = job.priority ?? 0
      const at = queue.findIndex((q) => (q.job.priority ?? 0) > p)
      queue.splice(at < 0 ? queue.length : at, 0, entry)
      pump()
      return { id, done }
    },
    cancel(id) {
      const e = find(id)
      if (!e || e.ending) return false
      end(e, new JobCancelled(id, e.job.name))
      return true
    },
    queued: () => queue.length,
    // jobs holding a slot: running, or cancelled/finished with their worker still stopping
    running: () => active.size,
    async dispose() {
      disposed = true
      // queued first, so nothing starts in a slot a running job frees
      for (const e of [...queue, ...active.values()]) if (!e.ending) end(e, new JobCancelled(e.id, e.job.name))
      while (stopping.size) await Promise.all(stopping)
    },
  }
}

export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))
