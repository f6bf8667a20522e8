// The on-disk experiment store: one folder per experiment under a root the caller passes (the app uses
// Electron's userData/experiments). Electron-free, so it is tested under plain Node.
//
//   <root>/<id>/spec.json      the experiment, written once at create()
//   <root>/<id>/plan.json      its hardware profiles as parsed and its runs as planned at create() (what was
//                              trained at which formats and priced on which device)
//   <root>/<id>/meta.json      ExperimentMeta (name, labels, status, pid, times); rewritten on every status change
//   <root>/<id>/metrics.jsonl  HostEvents, one JSON object per line, appended in batches
//   <root>/<id>/summary.json   written by finish() (or cancel/fail when given one), before the status flips
//
// Crash safety (a crash, a kill -9 or a power cut at any moment):
// - JSON files are replaced atomically (write a temp file, fsync it, rename over the target), so a reader sees
//   the old or the new meta.json, never half of one. meta.json is written last at create(), so a folder without
//   it is a create() that never finished; list() skips it.
// - metrics.jsonl is append-only and each batch is ONE appendFileSync. A crash can lose only the batch being
//   written: its tail may be missing and the file may end in a torn line, which get() drops. Any other
//   unparsable line means real corruption, and get() reports it rather than hiding it.
// - An append that fails (ENOSPC part-way through a batch) is cut back to the file's size before it, so a later
//   append cannot bury a torn line mid-file.
// - A run whose process died stays 'running' on disk; recover() at startup marks it 'interrupted'.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { writeJsonAtomic } from '../../workers/fs-atomic'
import type { ExperimentMeta, ExperimentStatus } from './types'

export type { ExperimentMeta, ExperimentStatus }

export interface CreatedExperiment {
  id: string
  dir: string
  meta: ExperimentMeta
}

export interface StoredExperiment {
  meta: ExperimentMeta
  spec: unknown
  /** plan.json: { profiles, runs } */
  plan: unknown
  summary?: object
  events: object[]
}

/** e.g. 2025-01-31T09-15-02-123Z-3fa9c1: the ISO time with ':' and '.' made file-name safe, so ids sort by time. */
export const EXPERIMENT_ID_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[0-9a-f]{6}$/

export function newExperimentId(now = new Date()): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'))

/** Parse JSON lines; only the last line may be torn (the batch a crash interrupted), any other bad line throws. */
function readEvents(file: string): object[] {
  if (!existsSync(file)) return []
  const lines = readFileSync(file, 'utf8').split('\n')
  if (lines[lines.length - 1] === '') lines.pop() // the newline that ends the last complete line
  const events: object[] = []
  for (let i = 0; i < lines.length; i++) {
    try {
      events.push(JSON.parse(lines[i]))
    } catch {
      if (i === lines.length - 1) break
      throw new Error(`${file}:${i + 1}: unparsable line (the file is corrupt; only a torn last line is expected)`)
    }
  }
  return events
}

export function createExperimentStore(root: string) {
  // a folder that cannot be made (read-only parent) fails its first write instead, with the reason
  try { mkdirSync(root, { recursive: true }) } catch { /* see above */ }

  /** Every id comes from outside (IPC); only well-formed ids may reach the file system. */
  function dirOf(id: string): string {
    if (typeof id !== 'string' || !EXPERIMENT_ID_PATTERN.test(id)) throw new Error(`invalid run id: ${JSON.stringify(id)}`)
    return join(root, id)
  }

  const readMeta = (id: string) => readJson(join(dirOf(id), 'meta.json')) as ExperimentMeta

  function end(id: string, status: ExperimentStatus, summary?: object, error?: string): void {
    const meta = readMeta(id)
    if (meta.status !== 'running') throw new Error(`run ${id} is already ${meta.status}`)
    // summary first: once the status says 'finished', the summary is there
    if (summary !== undefined) writeJsonAtomic(join(dirOf(id), 'summary.json'), summary)
    writeJsonAtomic(join(dirOf(id), 'meta.json'), { ...meta, status, endedAt: new Date().toISOString(), ...(error !== undefined && { error }) })
  }

  /** Newest first. */
  function list(): ExperimentMeta[] {
    return readdirSync(root)
      .filter((name) => EXPERIMENT_ID_PATTERN.test(name) && existsSync(join(root, name, 'meta.json')))
      .sort()
      .reverse()
      .map(readMeta)
  }

  return {
    create(spec: unknown, meta: { name: string; labels: string[] }, plan: unknown = {}): CreatedExperiment {
      const now = new Date()
      const id = newExperimentId(now)
      const dir = dirOf(id)
      mkdirSync(dir) // not recursive: an existing folder (an id collision) throws
      const full: ExperimentMeta = { id, name: meta.name, labels: [...meta.labels], createdAt: now.toISOString(), status: 'running', pid: process.pid }
      writeJsonAtomic(join(dir, 'spec.json'), spec)
      writeJsonAtomic(join(dir, 'plan.json'), plan)
      writeJsonAtomic(join(dir, 'meta.json'), full) // last: its presence marks a complete create()
      return { id, dir, meta: full }
    },

    /** One appendFileSync for the whole batch: a crash loses at most this batch (see the top of the file). */
    append(id: string, events: object[]): void {
      if (events.length === 0) return
      const dir = dirOf(id)
      if (!existsSync(join(dir, 'meta.json'))) throw new Error(`no run ${id}`)
      const file = join(dir, 'metrics.jsonl')
      const size = existsSync(file) ? statSync(file).size : 0
      try {
        appendFileSync(file, events.map((e) => JSON.stringify(e) + '\n').join(''))
      } catch (err) {
        // A full disk (ENOSPC) can take part of the batch before failing. Left there, that torn line would sit
        // in the middle of the file once a later batch is appended (after space is freed) and make get() report
        // the file corrupt; cutting back to the last complete batch keeps the file readable. Best effort: if the
        // truncate fails too, the torn tail is still the last line, which get() drops.
        try { truncateSync(file, size) } catch { /* see above */ }
        throw err
      }
    },

    finish: (id: string, summary: object) => end(id, 'finished', summary),
    cancel: (id: string, summary?: object) => end(id, 'cancelled', summary),
    fail: (id: string, message: string, summary?: object) => end(id, 'failed', summary, message),
    /** the studio was closed while the experiment was going (a kill leaves it 'running' for recover() instead) */
    interrupt: (id: string, summary?: object) => end(id, 'interrupted', summary),

    list,

    /** meta, spec and summary without the plan and metrics (for listings) */
    head(id: string): Omit<StoredExperiment, 'events' | 'plan'> {
      const summaryFile = join(dirOf(id), 'summary.json')
      return {
        meta: readMeta(id),
        spec: readJson(join(dirOf(id), 'spec.json')),
        ...(existsSync(summaryFile) && { summary: readJson(summaryFile) as object }),
      }
    },

    get(id: string): StoredExperiment {
      const dir = dirOf(id)
      const summaryFile = join(dir, 'summary.json')
      return {
        meta: readMeta(id),
        spec: readJson(join(dir, 'spec.json')),
        // a folder written by a create() of an older studio has none
        plan: existsSync(join(dir, 'plan.json')) ? readJson(join(dir, 'plan.json')) : {},
        ...(existsSync(summaryFile) && { summary: readJson(summaryFile) as object }),
        events: readEvents(join(dir, 'metrics.jsonl')),
      }
    },

    remove(id: string): void {
      rmSync(dirOf(id), { recursive: true, force: true })
    },

    /**
     * Call once at startup. A 'running' run belongs to the process that created it; one written by any other
     * process was left behind by a studio that crashed or was killed, so it becomes 'interrupted'. The pid is
     * compared, not probed with process.kill(pid, 0): after a reboot the old pid may belong to an unrelated
     * live process. (This assumes one studio per root at a time.) Returns the ids it marked.
     */
    recover(): string[] {
      const marked: string[] = []
      for (const meta of list()) {
        if (meta.status !== 'running' || meta.pid === process.pid) continue
        writeJsonAtomic(join(dirOf(meta.id), 'meta.json'), { ...meta, status: 'interrupted', endedAt: new Date().toISOString() })
        marked.push(meta.id)
      }
      return marked
    },
  }
}

export type ExperimentStore = ReturnType<typeof createExperimentStore>
