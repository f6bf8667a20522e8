// The studio's experiments: one experiment = one store folder = its preparation and its runs, each a job
// of the worker pool (workers/pool.ts, the pool the CLI uses too).
//
//   start(raw)  user profile ids resolved (profiles/user-profiles.ts) → parseExperiment (the spec, and its
//               profiles parsed once) → store.create → queued (admission.ts: at most `workers` experiments
//               are prepared or running at once, the rest wait in start order holding only their spec) → the prepare job (data, task, graph, pretraining) →
//               one pool job per run → finish / cancel / fail the stored experiment once every job settled
//   every batch a worker sends is appended to the store AT ONCE (so a kill loses at most that batch) and
//   merged into the experiment's pending update, which is pushed to the window every `intervalMs` (the
//   window is never flooded: one message per experiment per interval, whatever the step rate). The packed
//   steps a worker transferred go to the window as they are; only the store's JSON lines convert them.
//
// Electron-free: the store, pool and push are injected, so vitest drives the real thing in-process and
// e2e drives it in a plain Node process.
import { JobCancelled, messageOf, type WorkerPool } from '../../workers/pool'
import { estimateJob, packedRunJob, prepareJob } from '../../workers/jobs'
import type { ExperimentMeta, ExperimentStore } from './store'
import { createAdmission } from './admission'
import { UpdateBuilder, batchToStored, type StoredEvent } from './updates'
import type { ParsedExperiment } from '../../simulators/experiment/validate'
import { scheduleSeconds, type RunEstimate } from '../../simulators/experiment/estimate'
import { profilesOf, type PlannedRun } from '../../simulators/experiment/plan'
import type { RunSummary } from '../../simulators/experiment/runner'
import type { ExperimentSpec } from '../../simulators/experiment/spec'
import type { HardwareProfile } from '../../simulators/hardware/profiles/profile'
import type { PreparedExperiment } from '../../workers/prepare-api'
import type { RunBatch } from '../../workers/run-stream'
import { parseWithProfiles, type RefResolver } from '../profiles/user-profiles'
import type { RunStatus, ExperimentEstimateResult, ExperimentListItem, ExperimentRecord, ExperimentUpdate, StartExperimentResult } from '../preload/api'

export interface ExperimentServiceDeps {
  store: ExperimentStore
  pool: WorkerPool
  push: (update: ExperimentUpdate) => void
  /** the profile library's resolveRef (default: preset ids only) */
  resolveProfile?: RefResolver
  /** the pool's size, for scheduling estimates and for how many experiments prepare or run at once (default 1) */
  workers?: number
  intervalMs?: number
}

/** plan.json of a stored experiment */
interface StoredPlan { profiles: HardwareProfile[]; runs: PlannedRun[] }

interface Active {
  id: string
  spec: ExperimentSpec
  profiles: HardwareProfile[]
  plan: PlannedRun[]
  pending: UpdateBuilder
  seq: number
  timer: ReturnType<typeof setInterval>
  /** the pool jobs of this experiment (its preparation, then its runs), for cancel */
  poolIds: string[]
  /** set once admitted (before that it waits for a slot, holding only its spec) */
  admitted: boolean
  /** set once the runs were submitted (before that the experiment is preparing) */
  running: boolean
  statuses: RunStatus[]
  cancelled: boolean
  done: Promise<void>
  /** its meta as created (what the window shows if the disk refuses every later write) */
  meta: ExperimentMeta
  /** set when the data folder refused a write: the experiment stops and ends as failed with this reason */
  storageError?: string
}

export function createExperimentService(deps: ExperimentServiceDeps) {
  const { store, pool, push } = deps
  const intervalMs = deps.intervalMs ?? 200
  const active = new Map<string, Active>()
  /** the last push number of experiments that ended in this session (get() must report it, see ExperimentUpdate.seq) */
  const lastSeq = new Map<string, number>()
  // one slot per worker: an admitted experiment keeps at least one worker busy, and its prepared payload
  // (graph, weights, task) is used at once instead of waiting behind every other experiment's prepare
  const admission = createAdmission(deps.workers ?? 1)
  let disposing = false

  function flush(a: Active): void {
    if (a.pending.empty) return
    push(a.pending.take(++a.seq))
  }

  /** experiments whose end could not be written (full or read-only disk): what list() and get() report for them */
  const unwritten = new Map<string, ExperimentMeta>()

  /**
   * The data folder refused a write (full disk, read-only, removed): a result, not a crash. The experiment
   * stops (its jobs are cancelled), nothing more is written, and it ends as failed with the reason; what was
   * written before stays, and the window keeps the metrics it was sent.
   */
  function storageFailed(a: Active, err: unknown): void {
    if (a.storageError) return
    a.storageError = `the data folder refused a write (${messageOf(err)}); the run stopped, and what it had recorded is kept`
    a.cancelled = true
    for (const pid of a.poolIds) pool.cancel(pid)
  }

  /** Appends to the store first (durability), then queues for the window. */
  function record(a: Active, events: StoredEvent[]): void {
    if (!a.storageError) {
      try { store.append(a.id, events) } catch (err) { storageFailed(a, err) }
    }
    for (const e of events) a.pending.event(e)
  }

  /** A worker's batch: its JSON lines to the store, the batch itself (packed steps untouched) to the window. */
  function recordBatch(a: Active, batch: RunBatch): void {
    if (!a.storageError) {
      try { store.append(a.id, batchToStored(batch)) } catch (err) { storageFailed(a, err) }
    }
    a.pending.batch(batch)
  }

  function setStatus(a: Active, run: number, status: RunStatus, error?: string): void {
    // runs stopped because the disk refused a write failed (they were not cancelled by anyone)
    if (a.storageError && status === 'cancelled') { status = 'failed'; error = a.storageError }
    a.statuses[run] = status
    if (status === 'cancelled' || status === 'failed') record(a, [{ type: 'run-status', run, status, ...(error !== undefined && { error }) }])
    else a.pending.status(run, status)
  }

  async function execute(a: Active): Promise<void> {
    const { spec, profiles, plan } = a
    let prepared: PreparedExperiment
    a.pending.set({ stage: 'queued' })
    a.admitted = await admission.wait(a.id)
    if (!a.admitted || a.cancelled) {
      // cancelled (or the studio closed) while waiting: it never started
      plan.forEach((_, i) => setStatus(a, i, 'cancelled'))
      return end(a, [])
    }
    try {
      a.pending.set({ stage: 'preparing' })
      // progress, then the outcome: the job settles only after its last event was recorded
      const job = pool.submit(prepareJob(spec), (e) => record(a, [e]))
      a.poolIds.push(job.id)
      prepared = await job.done
    } catch (err) {
      if (a.cancelled) plan.forEach((_, i) => setStatus(a, i, 'cancelled'))
      else plan.forEach((_, i) => setStatus(a, i, 'failed', messageOf(err)))
      return end(a, [], a.cancelled ? undefined : messageOf(err))
    }
    if (a.cancelled) {
      plan.forEach((_, i) => setStatus(a, i, 'cancelled'))
      return end(a, [])
    }
    a.running = true
    a.pending.set({ stage: 'running' })
    const { graph, params, task } = prepared
    const summaries: RunSummary[] = []
    const errors: string[] = []
    await Promise.all(plan.map(async (run) => {
      const runIndex = run.index
      const job = pool.submit(packedRunJob({ spec, run, graph, params, task, profiles: profilesOf(run, profiles) }), (batch) => {
        if (a.statuses[runIndex] === 'queued') setStatus(a, runIndex, 'running')
        recordBatch(a, batch)
      })
      a.poolIds.push(job.id)
      try {
        summaries[runIndex] = await job.done
        a.statuses[runIndex] = 'finished'
      } catch (err) {
        if (err instanceof JobCancelled) setStatus(a, runIndex, 'cancelled')
        else { errors.push(messageOf(err)); setStatus(a, runIndex, 'failed', messageOf(err)) }
      }
    }))
    end(a, summaries.filter(Boolean), errors.length ? errors.join('; ') : undefined)
  }

  function end(a: Active, summaries: RunSummary[], error?: string): void {
    const summary = { runs: summaries, statuses: a.statuses }
    if (a.storageError) error = a.storageError
    let meta: ExperimentMeta
    try {
      if (a.storageError) store.fail(a.id, error!, summary)
      else if (disposing && a.cancelled) store.interrupt(a.id, summary)
      else if (a.cancelled) store.cancel(a.id, summary)
      else if (error !== undefined) store.fail(a.id, error, summary)
      else store.finish(a.id, summary)
      meta = store.head(a.id).meta
    } catch (err) {
      // the end itself could not be written: say so in this session; the next start marks the folder interrupted
      if (!a.storageError) a.storageError = `the data folder refused a write (${messageOf(err)}); the run's end could not be stored`
      meta = { ...a.meta, status: 'failed', endedAt: new Date().toISOString(), error: a.storageError }
      unwritten.set(a.id, meta)
    }
    clearInterval(a.timer)
    a.pending.set({ stage: 'ended', meta })
    flush(a)
    lastSeq.set(a.id, a.seq)
    active.delete(a.id)
    admission.release(a.id)
  }

  /** What the window sent, as the engine parses it: user profile ids resolved first (one function for all). */
  const parse = (raw: unknown) => parseWithProfiles(raw, deps.resolveProfile)

  /** measured seconds per planned run, by everything that decides them (not the name, seed or step count) */
  const estimates = new Map<string, RunEstimate>()
  const estimateKey = (p: ParsedExperiment, r: PlannedRun) => JSON.stringify([p.spec.model, p.spec.batch, p.spec.data.testPerClass, p.spec.data.classes, p.spec.runs[r.specRun].algorithm, p.spec.runs[r.specRun].scope, p.spec.runs[r.specRun].hyperparameters, r.formats, r.devices.map((d) => d.profile)])

  return {
    /** Times every planned run once on this machine (cached), then schedules them on the pool's workers. */
    async estimate(raw: unknown): Promise<ExperimentEstimateResult> {
      const parsed = parse(raw)
      if (!parsed.ok) return parsed
      const missing = parsed.plan.filter((r) => !estimates.has(estimateKey(parsed, r)))
      if (missing.length) {
        const timed = await pool.submit(estimateJob({ ...parsed, plan: missing }), () => {}).done
        missing.forEach((r, i) => estimates.set(estimateKey(parsed, r), timed[i]))
      }
      const workers = deps.workers ?? 1
      const runs = parsed.plan.map((r) => {
        const e = estimates.get(estimateKey(parsed, r))!
        const evals = Math.floor(r.steps / parsed.spec.evalEvery) + 2
        const batches = Math.ceil((parsed.spec.data.testPerClass * (parsed.spec.data.classes?.length ?? 10)) / parsed.spec.batch)
        return { ...e, run: r.index, label: r.label, steps: r.steps, seconds: r.steps * e.secondsPerStep + evals * batches * e.secondsPerEvalBatch }
      })
      return { ok: true, runs, workers, seconds: scheduleSeconds(runs, workers) }
    },

    start(raw: unknown): StartExperimentResult {
      if (disposing) throw new Error('the studio is closing')
      // the stored spec holds user profiles whole (a stored experiment is self-contained)
      const parsed = parse(raw)
      if (!parsed.ok) return parsed
      const { spec, profiles, plan } = parsed
      const stored: StoredPlan = { profiles, runs: plan }
      let rec: ReturnType<ExperimentStore['create']>
      try {
        rec = store.create(spec, { name: spec.name, labels: plan.map((r) => r.label) }, stored)
      } catch (err) {
        // a full or read-only data folder: not started, and the window says why
        return { ok: false, errors: [{ path: '', message: `not started: the data folder refused a write (${messageOf(err)})` }] }
      }
      const a: Active = {
        id: rec.id, meta: rec.meta, spec, profiles, plan, pending: new UpdateBuilder(rec.id), seq: 0, poolIds: [], admitted: false, running: false,
        statuses: plan.map(() => 'queued'), cancelled: false, done: Promise.resolve(),
        timer: setInterval(() => flush(a), intervalMs),
      }
      active.set(a.id, a)
      a.pending.set({ meta: rec.meta })
      a.done = execute(a).catch((err) => {
        // a bug in this file, not in a run: keep what was recorded and say what happened
        console.error(`run ${a.id}:`, err)
        try { if (active.has(a.id)) end(a, [], messageOf(err)) } catch { /* the store may be gone */ }
      })
      return { ok: true, id: rec.id }
    },

    cancel(id: string): boolean {
      const a = active.get(id)
      if (!a || a.cancelled) return false
      a.cancelled = true
      admission.withdraw(id)
      for (const pid of a.poolIds) pool.cancel(pid)
      return true
    },

    list(): ExperimentListItem[] {
      return store.list().map((stored) => {
        const meta = unwritten.get(stored.id) ?? stored
        const { spec, summary } = store.head(meta.id) as { spec: ExperimentSpec; summary?: { runs?: RunSummary[] } }
        return {
          meta,
          runs: meta.labels,
          profiles: spec.profiles.map((p) => (typeof p === 'string' ? p : String((p as { id?: unknown }).id ?? '?'))),
          results: (summary?.runs ?? []).map((r) => ({ label: r.label, zeroShotAccuracy: r.zeroShotAccuracy, finalAccuracy: r.finalAccuracy, peakBytes: r.peakBytes })),
        }
      })
    },

    get(id: string): ExperimentRecord {
      const a = active.get(id)
      if (a) flush(a) // everything on disk up to here has now been pushed: the record's seq covers it
      const stored = store.get(id)
      const spec = stored.spec as ExperimentSpec
      const { profiles = [], runs: plan = [] } = stored.plan as Partial<StoredPlan>
      const b = new UpdateBuilder(id)
      for (const e of stored.events as StoredEvent[]) b.event(e)
      // runs that never sent anything still appear, with the status the run ended in
      const statuses = a?.statuses ?? (stored.summary as { statuses?: RunStatus[] } | undefined)?.statuses
      plan.forEach((_, i) => {
        const s = statuses?.[i] ?? (stored.meta.status === 'interrupted' || stored.meta.status === 'running' ? 'interrupted' : undefined)
        if (s) b.status(i, s)
      })
      const meta = unwritten.get(id) ?? stored.meta
      b.set({ meta, stage: a ? (a.running ? 'running' : a.admitted ? 'preparing' : 'queued') : 'ended' })
      return { meta, spec, profiles, plan, update: b.take(a?.seq ?? lastSeq.get(id) ?? 0) }
    },

    remove(id: string): void {
      if (active.has(id)) throw new Error('this run is still going; cancel it before deleting it')
      store.remove(id)
      unwritten.delete(id)
    },

    /** ids of the experiments still going */
    active: (): string[] => [...active.keys()],

    /** Waits until run `id` has ended (tests, and the CLI-free e2e host). */
    settled: async (id: string): Promise<void> => { await active.get(id)?.done },

    /** Stops every run (the studio is closing): they are stored as interrupted, with what they recorded. */
    async dispose(): Promise<void> {
      disposing = true
      const all = [...active.values()]
      for (const a of all) { a.cancelled = true; admission.withdraw(a.id); for (const pid of a.poolIds) pool.cancel(pid) }
      await Promise.all(all.map((a) => a.done))
    },
  }
}

export type ExperimentService = ReturnType<typeof createExperimentService>

