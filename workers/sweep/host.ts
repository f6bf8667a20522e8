// Runs a sweep (or one shard of it) through the worker pool, for the CLI and the studio alike: one
// preparation job per distinct task (data, model, start, seed), then one job per training not yet in the
// folder; each finished training is appended to the folder at once (folder.ts), so a killed or cancelled
// sweep resumes with exactly the trainings it lacks. Trainings are bit-identical whichever worker, shard or
// resume runs them (tested), so the union of shard folders is the unsharded sweep.
import { prepareJob, runJob } from '../jobs'
import { JobCancelled, messageOf, type WorkerPool } from '../pool'
import type { PretrainEvent, PreparedExperiment } from '../prepare-api'
import { openSweepFolder, type StoredTraining } from './folder'
import { profilesOf } from '../../simulators/experiment/plan'
import { prepareKey, shardOf, type ParsedSweep, type Training } from '../../simulators/sweep/trials'
import type { RunSummary } from '../../simulators/experiment/runner'

export type SweepEvent =
  | { type: 'sweep-progress'; done: number; total: number; skipped: number; elapsedSeconds: number; etaSeconds?: number; last?: string }
  | (PretrainEvent & { training?: undefined })

export interface SweepOptions {
  pool: WorkerPool
  /** the sweep folder (created if new; resumed if it holds this sweep) */
  dir: string
  /** the spec as given (stored in sweep.json) */
  raw: unknown
  /** shard i of n (0-based), default the whole sweep */
  shard?: { index: number; count: number }
  onEvent?: (e: SweepEvent) => void
  /** cancels queued and running jobs; finished trainings stay in the folder */
  signal?: AbortSignal
  /** ms clock for progress and ETAs */
  now: () => number
}

export interface SweepRun {
  /** the trainings of this shard that have a summary in the folder now */
  trainings: { training: Training; summary: RunSummary }[]
  /** trainings of this shard that were already in the folder */
  skipped: number
  /** trainings that failed (their message) or were cancelled; the others went on */
  failed: { training: Training; error: string }[]
  cancelled: boolean
}

export async function runSweep(sweep: ParsedSweep, o: SweepOptions): Promise<SweepRun> {
  const emit = o.onEvent ?? (() => {})
  const mine = o.shard ? shardOf(sweep.trainings, o.shard.index, o.shard.count) : sweep.trainings
  const folder = openSweepFolder(o.dir, o.raw)
  const summaries = new Map<number, RunSummary>()
  for (const t of mine) {
    const stored = folder.done.get(t.key)
    if (stored) summaries.set(t.index, stored.summary)
  }
  const todo = mine.filter((t) => !summaries.has(t.index))
  const skipped = mine.length - todo.length
  const t0 = o.now()
  let done = 0
  const progress = (last?: string) => {
    const elapsedSeconds = (o.now() - t0) / 1000
    // the pace of this session's finished trainings, for what is left
    const etaSeconds = done > 0 ? (elapsedSeconds / done) * (todo.length - done) : undefined
    emit({ type: 'sweep-progress', done: skipped + done, total: mine.length, skipped, elapsedSeconds, etaSeconds, last })
  }
  progress()
  const ids: string[] = []
  const failed: SweepRun['failed'] = []
  const cancel = () => { for (const id of ids) o.pool.cancel(id) }
  o.signal?.addEventListener('abort', cancel, { once: true })
  try {
    // one preparation per distinct task, started as its first training needs it
    const prepared = new Map<string, Promise<PreparedExperiment>>()
    const prepare = (t: Training) => {
      const key = prepareKey(t.spec)
      let p = prepared.get(key)
      if (!p) {
        const job = o.pool.submit(prepareJob(t.spec), (e) => emit(e))
        ids.push(job.id)
        prepared.set(key, (p = job.done))
      }
      return p
    }
    await Promise.all(todo.map(async (t) => {
      try {
        const { graph, params, task } = await prepare(t)
        if (o.signal?.aborted) throw new JobCancelled('', t.run.label)
        const job = o.pool.submit(runJob({ spec: t.spec, run: t.run, graph, params, task, profiles: profilesOf(t.run, sweep.profiles) }), () => {})
        ids.push(job.id)
        const summary = await job.done
        const stored: StoredTraining = { key: t.key, index: t.index, summary }
        folder.append(stored)
        summaries.set(t.index, summary)
        done++
        progress(t.run.label)
      } catch (err) {
        failed.push({ training: t, error: err instanceof JobCancelled || o.signal?.aborted ? 'cancelled' : messageOf(err) })
      }
    }))
  } finally {
    o.signal?.removeEventListener('abort', cancel)
  }
  const have = mine.filter((t) => summaries.has(t.index))
  return { trainings: have.map((training) => ({ training, summary: summaries.get(training.index)! })), skipped, failed, cancelled: !!o.signal?.aborted }
}
