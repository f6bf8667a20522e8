// Pure helpers that turn what workers send into what the window receives, and what the store kept back into
// the same shape. A live ExperimentUpdate is a delta (what is new since the last push); getExperiment's record is the sum
// of all of them. Both are built by the same `UpdateBuilder`, so the live view and the reopened run cannot
// disagree.
//
// What metrics.jsonl holds (one JSON object per line, appended in batches by the experiment service):
//   { type: 'pretrain', … }                 prepare's progress and result
//   { type: 'run-start' | 'feasibility' | 'eval' | 'run-end', run, … }   the runner's events, unchanged
//   { type: 'steps', run, columns, rows, data: number[] }                a packed batch of step events
//   { type: 'run-status', run, status, error? }                         a run cancelled or failed
import type { PackedSteps, RunBatch } from '../../workers/run-stream'
import type { PretrainEvent } from '../../workers/prepare-api'
import type { RunStatus, RunUpdate, PretrainState, ExperimentUpdate } from '../preload/api'

export interface StoredSteps { type: 'steps'; run: number; columns: string[]; rows: number; data: number[] }
export interface RunStatusEvent { type: 'run-status'; run: number; status: RunStatus; error?: string }
export type StoredEvent = PretrainEvent | RunBatch['events'][number] | StoredSteps | RunStatusEvent

/** A batch as the lines the store appends. */
export function batchToStored(batch: RunBatch): StoredEvent[] {
  const out: StoredEvent[] = [...batch.events]
  // steps go before the batch's other events: a run-end or eval closes the steps that led to it
  if (batch.steps) out.unshift({ type: 'steps', run: batch.run, columns: batch.steps.columns, rows: batch.steps.rows, data: Array.from(batch.steps.data) })
  return out
}

/** Concatenates packed batches of one run (same columns) into one. */
export function concatSteps(chunks: readonly PackedSteps[]): PackedSteps {
  if (chunks.length === 1) return chunks[0]
  const { run, columns } = chunks[0]
  const rows = chunks.reduce((a, c) => a + c.rows, 0)
  const data = new Float64Array(columns.length * rows)
  let at = 0
  for (const c of chunks) {
    if (c.columns.length !== columns.length || c.columns.some((n, i) => n !== columns[i])) throw new Error(`run ${run}: step batches with different columns`)
    for (let k = 0; k < columns.length; k++) data.set(c.data.subarray(k * c.rows, (k + 1) * c.rows), k * rows + at)
    at += c.rows
  }
  return { run, columns, rows, data }
}

interface RunAcc { update: RunUpdate; chunks: PackedSteps[] }

/** Accumulates events into one ExperimentUpdate; take() returns it and starts an empty one. */
export class UpdateBuilder {
  private runs = new Map<number, RunAcc>()
  private pretrainState: PretrainState | undefined
  private extra: Pick<ExperimentUpdate, 'meta' | 'stage'> = {}

  constructor(private readonly id: string) {}

  private runOf(run: number): RunAcc {
    let p = this.runs.get(run)
    if (!p) this.runs.set(run, (p = { update: { run }, chunks: [] }))
    return p
  }

  get empty(): boolean {
    return this.runs.size === 0 && !this.pretrainState && this.extra.meta === undefined && this.extra.stage === undefined
  }

  set(extra: Pick<ExperimentUpdate, 'meta' | 'stage'>): void {
    Object.assign(this.extra, extra)
  }

  status(run: number, status: RunStatus, error?: string): void {
    const u = this.runOf(run).update
    u.status = status
    if (error !== undefined) u.error = error
  }

  pretrain(e: PretrainEvent): void {
    this.pretrainState = { ...this.pretrainState, cached: e.cached, ...(e.progress && { progress: e.progress }), ...(e.sourceAccuracy !== undefined && { sourceAccuracy: e.sourceAccuracy, cleanTestAccuracy: e.cleanTestAccuracy }) }
  }

  steps(s: PackedSteps): void {
    this.runOf(s.run).chunks.push(s)
  }

  /** One stored or live event (a batch's steps go through steps()). */
  event(e: StoredEvent): void {
    switch (e.type) {
      case 'pretrain': return this.pretrain(e)
      case 'steps': return this.steps({ run: e.run, columns: e.columns, rows: e.rows, data: Float64Array.from(e.data) })
      case 'run-status': return this.status(e.run, e.status, e.error)
      case 'run-start': { const u = this.runOf(e.run).update; u.start = e; u.status ??= 'running'; return }
      case 'feasibility': { const u = this.runOf(e.run).update; (u.feasibility ??= []).push(e); return }
      case 'eval': { const u = this.runOf(e.run).update; (u.evals ??= []).push(e); return }
      case 'run-end': { const u = this.runOf(e.run).update; u.summary = e; u.status = 'finished'; return }
      case 'weights': return // the studio does not ask for weights
    }
  }

  batch(b: RunBatch): void {
    if (b.steps) this.steps(b.steps)
    for (const e of b.events) this.event(e)
  }

  take(seq: number): ExperimentUpdate {
    const runs = [...this.runs.values()].sort((a, b) => a.update.run - b.update.run).map(({ update, chunks }) => (chunks.length ? { ...update, steps: concatSteps(chunks) } : update))
    const u: ExperimentUpdate = { id: this.id, seq, ...this.extra, ...(this.pretrainState && { pretrain: this.pretrainState }), runs }
    this.runs = new Map()
    this.pretrainState = undefined
    this.extra = {}
    return u
  }
}
