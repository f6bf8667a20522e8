// The studio's sweeps: one sweep = one sweep folder under <userData>/sweeps/<id> (the same folder format
// as the CLI's, workers/sweep/folder.ts) plus its meta.json (name, status, pid, times). Trainings run on
// the app's worker pool; each is appended as it ends, so a cancelled, crashed or killed sweep keeps what
// it finished and `resume` runs only the rest. Results, the ranking under any constraints and the exported
// report are computed by the engine from the folder (simulators/sweep/*), never kept twice.
//
// Electron-free: the pool, push and PDF printer are injected (Electron's printToPDF in the app, headless
// Chromium elsewhere), so vitest and the e2e host drive the real thing.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { writeJsonAtomic } from '../../workers/fs-atomic'
import type { WorkerPool } from '../../workers/pool'
import { mergeTrainings, readSweepSpec } from '../../workers/sweep/folder'
import { runSweep, type SweepEvent } from '../../workers/sweep/host'
import { parseSweep, type ParsedSweep } from '../../simulators/sweep/trials'
import { buildSweepReport, type SweepReport } from '../../simulators/sweep/report'
import { rowsToCsv } from '../../simulators/sweep/analysis'
import { DEFAULT_SWEEP, sweepSchema, type Constraints } from '../../simulators/sweep/spec'
import { validate } from '../../simulators/core/schema'
import { reportHtml } from '../../workers/report/html'
import { mergeErrors, resolveUserProfiles, type RefResolver } from '../profiles/user-profiles'
import type { FieldError, SweepCheck, SweepExport, SweepListItem, SweepMeta, SweepProgress, SweepRecord, SweepUpdate } from '../preload/api'

export const SWEEP_ID_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[0-9a-f]{6}$/

export interface SweepServiceDeps {
  /** <userData>/sweeps */
  root: string
  pool: WorkerPool
  push: (u: SweepUpdate) => void
  /** HTML → PDF bytes (the app: Electron's printToPDF; elsewhere headless Chromium) */
  printToPdf: (html: string) => Promise<Uint8Array>
  /** the profile library's resolveRef: user profile ids in `devices` become whole profiles */
  resolveProfile?: RefResolver
  studioVersion: string
  commit?: string
  now?: () => number
}

interface Active { id: string; abort: AbortController; done: Promise<void>; progress?: SweepProgress }

/**
 * At startup (one studio per data folder): sweeps left 'running' by a studio that died are interrupted,
 * and can be resumed. Returns their ids.
 */
export function recoverSweeps(root: string): string[] {
  if (!existsSync(root)) return []
  const marked: string[] = []
  for (const n of readdirSync(root).filter((x) => SWEEP_ID_PATTERN.test(x) && existsSync(join(root, x, 'meta.json')))) {
    const file = join(root, n, 'meta.json')
    const meta = JSON.parse(readFileSync(file, 'utf8')) as SweepMeta
    if (meta.status !== 'running' || meta.pid === process.pid) continue
    writeJsonAtomic(file, { ...meta, status: 'interrupted', endedAt: new Date().toISOString() })
    marked.push(meta.id)
  }
  return marked
}

export function createSweepService(deps: SweepServiceDeps) {
  const now = deps.now ?? (() => performance.now())
  mkdirSync(deps.root, { recursive: true })
  const active = new Map<string, Active>()
  let disposing = false

  function dirOf(id: string): string {
    if (typeof id !== 'string' || !SWEEP_ID_PATTERN.test(id)) throw new Error(`invalid sweep id: ${JSON.stringify(id)}`)
    const dir = join(deps.root, id)
    if (!existsSync(join(dir, 'meta.json'))) throw new Error(`there is no sweep ${id}`)
    return dir
  }
  const readMeta = (dir: string) => JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as SweepMeta
  const writeMeta = (dir: string, meta: SweepMeta) => writeJsonAtomic(join(dir, 'meta.json'), meta)

  /** The sweep as the engine parses it, with user profile ids in `devices` resolved first. */
  function parse(raw: unknown): ({ ok: true; raw: unknown } & ParsedSweep) | { ok: false; errors: FieldError[] } {
    const asExperiment = (r: unknown) => (r && typeof r === 'object' && !Array.isArray(r) ? { ...(r as object), profiles: (r as { devices?: unknown }).devices } : r)
    const resolved = resolveUserProfiles(asExperiment(raw), deps.resolveProfile ?? ((ref) => ref))
    const withDevices = resolved.raw && typeof resolved.raw === 'object' && Array.isArray((resolved.raw as { profiles?: unknown }).profiles)
      ? { ...(raw as object), devices: (resolved.raw as { profiles: unknown[] }).profiles } : raw
    const parsed = parseSweep(withDevices)
    const errors = resolved.errors.map((e) => ({ ...e, path: e.path.replace(/^profiles/, 'devices') }))
    if (!parsed.ok || errors.length) return { ok: false, errors: mergeErrors(errors, parsed.ok ? [] : parsed.errors) }
    return { ...parsed, raw: withDevices }
  }

  function execute(id: string, dir: string, parsed: ParsedSweep, raw: unknown): Active {
    const abort = new AbortController()
    const a: Active = { id, abort, done: Promise.resolve() }
    active.set(id, a)
    const onEvent = (e: SweepEvent) => {
      if (e.type !== 'sweep-progress') return
      a.progress = { done: e.done, total: e.total, skipped: e.skipped, elapsedSeconds: e.elapsedSeconds, ...(e.etaSeconds !== undefined && { etaSeconds: e.etaSeconds }), ...(e.last && { last: e.last }) }
      deps.push({ id, progress: a.progress })
    }
    a.done = (async () => {
      let status: SweepMeta['status'] = 'finished'
      let error: string | undefined
      try {
        const r = await runSweep(parsed, { pool: deps.pool, dir, raw, onEvent, signal: abort.signal, now })
        if (r.cancelled) status = disposing ? 'interrupted' : 'cancelled'
        else if (r.failed.length) { status = 'failed'; error = r.failed.map((f) => `${f.training.run.label}: ${f.error}`).join('; ') }
      } catch (e) {
        status = 'failed'
        error = e instanceof Error ? e.message : String(e)
      }
      const meta: SweepMeta = { ...readMeta(dir), status, endedAt: new Date().toISOString(), ...(error !== undefined ? { error } : {}) }
      if (error === undefined) delete meta.error
      writeMeta(dir, meta)
      active.delete(id)
      deps.push({ id, meta, ...(a.progress && { progress: a.progress }) })
    })()
    return a
  }

  function summaryOf(dir: string, parsed: ParsedSweep) {
    return mergeTrainings(parsed, [dir])
  }

  function parsedOf(dir: string): ParsedSweep {
    const r = parseSweep(readSweepSpec(dir))
    if (!r.ok) throw new Error(`the stored sweep does not parse any more: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`)
    return r
  }

  /** Constraints from the window instead of the stored ones, checked by the sweep schema's own rules. */
  function constraintsFor(parsed: ParsedSweep, override: unknown): { ok: true; constraints: Constraints } | { ok: false; errors: FieldError[] } {
    if (override === undefined) return { ok: true, constraints: parsed.spec.constraints }
    const r = validate(sweepSchema, { devices: ['-'], constraints: override })
    if (!r.ok) return { ok: false, errors: r.errors }
    return { ok: true, constraints: (r.value as unknown as { constraints: Constraints }).constraints }
  }

  function report(id: string, constraints?: unknown): SweepReport {
    const dir = dirOf(id)
    const parsed = parsedOf(dir)
    const c = constraintsFor(parsed, constraints)
    if (!c.ok) throw new Error(c.errors.map((e) => `${e.path}: ${e.message}`).join('; '))
    const withConstraints: ParsedSweep = { ...parsed, spec: { ...parsed.spec, constraints: c.constraints } }
    return buildSweepReport(withConstraints, summaryOf(dir, parsed), { studioVersion: deps.studioVersion, commit: deps.commit, createdAt: new Date().toISOString() })
  }

  return {
    /** What the form offers: the built-in default sweep. */
    defaults: (): unknown => structuredClone(DEFAULT_SWEEP),

    check(raw: unknown): SweepCheck {
      try {
        const p = parse(raw)
        if (!p.ok) return p
        return { ok: true, trials: p.trials.length, trainings: p.trainings.length, devices: p.profiles.map((x) => x.id) }
      } catch (e) {
        return { ok: false, errors: [{ path: '', message: e instanceof Error ? e.message : String(e) }] }
      }
    },

    start(raw: unknown): { ok: true; id: string } | { ok: false; errors: FieldError[] } {
      if (disposing) throw new Error('the studio is closing')
      const p = parse(raw)
      if (!p.ok) return p
      const stamp = new Date()
      const id = `${stamp.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`
      const dir = join(deps.root, id)
      mkdirSync(dir)
      const meta: SweepMeta = { id, name: p.spec.name, createdAt: stamp.toISOString(), status: 'running', pid: process.pid, trials: p.trials.length, trainings: p.trainings.length, devices: p.profiles.length }
      // the spec first (the folder is a sweep folder), the meta last: its presence marks a complete start
      execute(id, dir, p, p.raw)
      writeMeta(dir, meta)
      deps.push({ id, meta })
      return { ok: true, id }
    },

    /** Runs the trainings a cancelled, failed or interrupted sweep lacks. */
    resume(id: string): boolean {
      if (disposing) throw new Error('the studio is closing')
      const dir = dirOf(id)
      if (active.has(id)) return false
      const meta = readMeta(dir)
      if (meta.status === 'finished') return false
      const raw = readSweepSpec(dir)
      const parsed = parseSweep(raw)
      if (!parsed.ok) throw new Error('the stored sweep does not parse any more')
      const next: SweepMeta = { ...meta, status: 'running', pid: process.pid }
      delete next.endedAt
      delete next.error
      writeMeta(dir, next)
      execute(id, dir, parsed, raw)
      deps.push({ id, meta: next })
      return true
    },

    cancel(id: string): boolean {
      const a = active.get(id)
      if (!a) return false
      a.abort.abort()
      return true
    },

    list(): SweepListItem[] {
      return readdirSync(deps.root).filter((n) => SWEEP_ID_PATTERN.test(n) && existsSync(join(deps.root, n, 'meta.json'))).sort().reverse()
        .map((n) => ({ meta: readMeta(join(deps.root, n)), ...(active.get(n)?.progress && { progress: active.get(n)!.progress }) }))
    },

    get(id: string): SweepRecord {
      const dir = dirOf(id)
      const r = report(id)
      return { meta: readMeta(dir), spec: readSweepSpec(dir), report: r, ...(active.get(id)?.progress && { progress: active.get(id)!.progress }) }
    },

    /** The ranking under other constraints (the window's constraint editor), without touching the stored spec. */
    select(id: string, constraints: unknown): SweepReport {
      return report(id, constraints)
    },

    async export(id: string, constraints?: unknown): Promise<SweepExport> {
      const r = report(id, constraints)
      const html = reportHtml(r)
      return { name: r.question.sweep.name, html, csv: rowsToCsv(r.rows), json: JSON.stringify(r, null, 2), pdf: await deps.printToPdf(html) }
    },

    remove(id: string): void {
      const dir = dirOf(id)
      if (active.has(id)) throw new Error('this sweep is still running; cancel it before deleting it')
      rmSync(dir, { recursive: true, force: true })
    },

    settled: async (id: string): Promise<void> => { await active.get(id)?.done },

    /** The studio is closing: running sweeps stop and are stored as interrupted (resumable). */
    async dispose(): Promise<void> {
      disposing = true
      const all = [...active.values()]
      for (const a of all) a.abort.abort()
      await Promise.all(all.map((a) => a.done))
    },
  }
}

export type SweepService = ReturnType<typeof createSweepService>
