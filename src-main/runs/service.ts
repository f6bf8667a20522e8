// The studio's runs: one experiment run = one store folder = its algorithm runs on the worker pool.
//
//   start(raw)  validate → store.create → prepare (its own worker: data, task, pretraining) → one pool job
//               per algorithm run → finish / cancel / fail the stored run once every job has settled
//   every batch a worker sends is appended to the store AT ONCE (so a kill loses at most that batch) and
//   merged into the experiment's pending RunUpdate, which is pushed to the window every `intervalMs`
//   (the window is never flooded: one message per experiment run per interval, whatever the step rate).
//
// Electron-free: the store, pool, prepare step and push are injected, so vitest drives the real thing
// in-process and e2e drives it in a plain Node process.
import type { RunPool } from './pool'
import { RunCancelled } from './pool'
import type { RunStore } from './store'
import { UpdateBuilder, batchToStored, type StoredEvent } from './updates'
import { parseExperiment } from '../../simulators/experiment/validate'
import { type RunSummary } from '../../simulators/experiment/runner'
import { runLabel } from '../../simulators/experiment/labels'
import { resolveProfileRef } from '../../simulators/hardware/profiles/library'
import type { ExperimentSpec } from '../../simulators/experiment/spec'
import type { HardwareProfile } from '../../simulators/hardware/profiles/profile'
import type { PreparedExperiment, PretrainEvent } from '../../workers/prepare-api'
import type { PartStatus, RunListItem, RunRecord, RunUpdate, StartRunResult } from '../preload/api'

/** Prepares an experiment; rejects when `signal` aborts (the real one terminates its worker). */
export type PrepareFn = (spec: ExperimentSpec, onEvent: (e: PretrainEvent) => void, signal: AbortSignal) => Promise<PreparedExperiment>

export interface RunServiceDeps {
  store: RunStore
  pool: RunPool
  prepare: PrepareFn
  push: (update: RunUpdate) => void
  /** a user profile id → the whole profile (preset ids and objects unchanged) */
  resolveProfile?: (ref: string | Record<string, unknown>) => string | Record<string, unknown>
  intervalMs?: number
}

interface Active {
  id: string
  spec: ExperimentSpec
  pending: UpdateBuilder
  seq: number
  timer: ReturnType<typeof setInterval>
  abort: AbortController
  poolIds: string[]
  statuses: PartStatus[]
  cancelled: boolean
  done: Promise<void>
}

export function createRunService(deps: RunServiceDeps) {
  const { store, pool, push } = deps
  const intervalMs = deps.intervalMs ?? 200
  const active = new Map<string, Active>()
  /** the last push number of runs that ended in this session (get() must report it, see RunUpdate.seq) */
  const lastSeq = new Map<string, number>()
  let disposing = false

  function flush(a: Active): void {
    if (a.pending.empty) return
    push(a.pending.take(++a.seq))
  }

  /** Appends to the store first (durability), then queues for the window. */
  function record(a: Active, events: StoredEvent[]): void {
    store.append(a.id, events)
    for (const e of events) a.pending.event(e)
  }

  function setStatus(a: Active, run: number, status: PartStatus, error?: string): void {
    a.statuses[run] = status
    if (status === 'cancelled' || status === 'failed') record(a, [{ type: 'part-status', run, status, ...(error !== undefined && { error }) }])
    else a.pending.status(run, status)
  }

  async function execute(a: Active): Promise<void> {
    const { spec } = a
    let prepared: PreparedExperiment
    try {
      a.pending.set({ stage: 'preparing' })
      // progress only: the result carries the final figures (the last event may still be in flight on its own
      // port when the result arrives, and the worker is gone after that)
      prepared = await deps.prepare(spec, (e) => { if (e.progress) record(a, [e]) }, a.abort.signal)
      record(a, [{ type: 'pretrain', ...prepared.pretrain }])
    } catch (err) {
      if (a.cancelled) spec.runs.forEach((_, i) => setStatus(a, i, 'cancelled'))
      else spec.runs.forEach((_, i) => setStatus(a, i, 'failed', `preparing the experiment failed: ${messageOf(err)}`))
      return end(a, [], a.cancelled ? undefined : `preparing the experiment failed: ${messageOf(err)}`)
    }
    if (a.cancelled) {
      spec.runs.forEach((_, i) => setStatus(a, i, 'cancelled'))
      return end(a, [])
    }
    a.pending.set({ stage: 'running' })
    const { model, params, task, profiles } = prepared
    const summaries: RunSummary[] = []
    const errors: string[] = []
    await Promise.all(spec.runs.map(async (_, runIndex) => {
      const job = pool.submit({ spec, runIndex, model, params, task, profiles }, (batch) => {
        if (a.statuses[runIndex] === 'queued') setStatus(a, runIndex, 'running')
        record(a, batchToStored(batch))
      })
      a.poolIds[runIndex] = job.id
      try {
        summaries[runIndex] = await job.done
        a.statuses[runIndex] = 'finished'
      } catch (err) {
        if (err instanceof RunCancelled) setStatus(a, runIndex, 'cancelled')
        else { errors.push(messageOf(err)); setStatus(a, runIndex, 'failed', messageOf(err)) }
      }
    }))
    end(a, summaries.filter(Boolean), errors.length ? errors.join('; ') : undefined)
  }

  function end(a: Active, runs: RunSummary[], error?: string): void {
    const summary = { runs, statuses: a.statuses }
    if (disposing && a.cancelled) store.interrupt(a.id, summary)
    else if (a.cancelled) store.cancel(a.id, summary)
    else if (error !== undefined) store.fail(a.id, error, summary)
    else store.finish(a.id, summary)
    clearInterval(a.timer)
    a.pending.set({ stage: 'ended', meta: store.head(a.id).meta })
    flush(a)
    lastSeq.set(a.id, a.seq)
    active.delete(a.id)
  }

  /** Stored spec from what the window sent: user profile ids become whole profiles, then the usual validation. */
  function validate(raw: unknown): ReturnType<typeof parseExperiment> {
    const refs = raw && typeof raw === 'object' ? (raw as { profiles?: unknown }).profiles : undefined
    if (deps.resolveProfile && Array.isArray(refs)) {
      const profiles = refs.map((ref) => {
        if (typeof ref !== 'string') return ref
        try {
          return deps.resolveProfile!(ref)
        } catch {
          return ref // unknown: parseExperiment reports it under profiles[i]
        }
      })
      raw = { ...(raw as object), profiles }
    }
    return parseExperiment(raw)
  }

  function resolvedProfiles(spec: ExperimentSpec): HardwareProfile[] {
    return spec.profiles.flatMap((ref, i) => resolveProfileRef(ref, `profiles[${i}]`).profile ?? [])
  }

  return {
    start(raw: unknown): StartRunResult {
      if (disposing) throw new Error('the studio is closing')
      const parsed = validate(raw)
      if (!parsed.ok) return { ok: false, errors: parsed.errors }
      const spec = parsed.spec
      const rec = store.create(spec, { name: spec.name, labels: spec.runs.map((_, i) => runLabel(spec, i)) })
      const a: Active = {
        id: rec.id, spec, pending: new UpdateBuilder(rec.id), seq: 0, abort: new AbortController(), poolIds: [],
        statuses: spec.runs.map(() => 'queued'), cancelled: false, done: Promise.resolve(),
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
      a.abort.abort()
      for (const pid of a.poolIds) if (pid) pool.cancel(pid)
      return true
    },

    list(): RunListItem[] {
      return store.list().map((meta) => {
        const { spec, summary } = store.head(meta.id) as { spec: ExperimentSpec; summary?: { runs?: RunSummary[] } }
        return {
          meta,
          algorithms: spec.runs.map((_, i) => runLabel(spec, i)),
          profiles: spec.profiles.map((p) => (typeof p === 'string' ? p : String((p as { id?: unknown }).id ?? '?'))),
          results: (summary?.runs ?? []).map((r) => ({ label: r.label, zeroShotAccuracy: r.zeroShotAccuracy, finalAccuracy: r.finalAccuracy, peakBytes: r.peakBytes })),
        }
      })
    },

    get(id: string): RunRecord {
      const a = active.get(id)
      if (a) flush(a) // everything on disk up to here has now been pushed: the record's seq covers it
      const stored = store.get(id)
      const spec = stored.spec as ExperimentSpec
      const b = new UpdateBuilder(id)
      for (const e of stored.events as StoredEvent[]) b.event(e)
      // parts that never sent anything still appear, with the status the run ended in
      const statuses = a?.statuses ?? (stored.summary as { statuses?: PartStatus[] } | undefined)?.statuses
      spec.runs.forEach((_, i) => {
        const s = statuses?.[i] ?? (stored.meta.status === 'interrupted' || stored.meta.status === 'running' ? 'interrupted' : undefined)
        if (s) b.status(i, s)
      })
      b.set({ meta: stored.meta, stage: a ? (a.poolIds.length ? 'running' : 'preparing') : 'ended' })
      return { meta: stored.meta, spec, profiles: resolvedProfiles(spec), update: b.take(a?.seq ?? lastSeq.get(id) ?? 0) }
    },

    remove(id: string): void {
      if (active.has(id)) throw new Error('this run is still going; cancel it before deleting it')
      store.remove(id)
    },

    /** ids of the experiment runs still going */
    active: (): string[] => [...active.keys()],

    /** Waits until run `id` has ended (tests, and the CLI-free e2e host). */
    settled: async (id: string): Promise<void> => { await active.get(id)?.done },

    /** Stops every run (the studio is closing): they are stored as interrupted, with what they recorded. */
    async dispose(): Promise<void> {
      disposing = true
      const all = [...active.values()]
      for (const a of all) { a.cancelled = true; a.abort.abort(); for (const pid of a.poolIds) if (pid) pool.cancel(pid) }
      await Promise.all(all.map((a) => a.done))
    },
  }
}

export type RunService = ReturnType<typeof createRunService>

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err))
