// One experiment run as the dashboard sees it: built from getExperiment's ExperimentRecord, then grown by the 200 ms
// pushes (ExperimentUpdate). Step metrics stay columnar, as they arrive (workers/run-stream.ts): each column is
// a Float64Array grown by doubling, so a push costs a copy of its own rows only and a chart reads a
// column as a view. Derived series (running sums, maxima) are extended from where they stopped, never
// recomputed from the first step: a 20 000-step run must stay cheap at several updates per second.
//
// Pure TypeScript (no Vue, no DOM). The parent keeps an instance in a shallowRef and watches `version`.
import type {
  EvalEvent, ExperimentSpec, FeasibilityEvent, HardwareProfile, PackedSteps, RunStatus, RunUpdate, PretrainState,
  ExperimentMeta, ExperimentRecord, RunStart, RunSummary, ExperimentUpdate, Blocker, PlannedRun, PlannedDevice,
} from '../api/bridge'
import { MEMORY_CATEGORIES, type MemoryBreakdown } from '../../../simulators/core/memory-categories'
import { PHASES, type Phase } from '../../../simulators/core/op'
import { runLabel } from '../../../simulators/experiment/labels'

const INITIAL_CAPACITY = 256

/** Running sums and maxima of one column, extended lazily up to the filled length. */
interface Derived {
  filled: number
  sums?: Float64Array
  max: number
}

export interface ProfileTotals {
  cycles: number
  seconds: number
  energyUj: number
  /** the largest SRAM footprint of any step so far */
  sramBytes: number
  phaseCycles: Record<Phase, number>
}

export interface PartTotals {
  steps: number
  forwardPasses: number
  backwardPasses: number
  peakBytes: number
  /** by profile id; empty when the run has no step rows yet (then see the summary) */
  profiles: Record<string, ProfileTotals>
}

export interface PeakMemory {
  /** the step whose total was highest (0 when it comes from the summary without steps) */
  step: number
  bytes: number
  breakdown: MemoryBreakdown
  /**
   * each category's own maximum over the step (its peak need not be the total's), once the run has
   * finished: the summary carries it, the streamed step rows do not
   */
  ownMax?: MemoryBreakdown
}

/** Throws unless a batch is well formed and has the columns `have` (any columns when `have` is undefined). */
function checkBatch(run: number, have: readonly string[] | undefined, steps: PackedSteps): void {
  if (steps.data.length !== steps.columns.length * steps.rows) {
    throw new RangeError(`run ${run}: packed steps hold ${steps.data.length} values, expected ${steps.columns.length} columns × ${steps.rows} rows`)
  }
  if (!have || (have.length === steps.columns.length && have.every((c, i) => c === steps.columns[i]))) return
  const missing = have.filter((c) => !steps.columns.includes(c))
  const extra = steps.columns.filter((c) => !have.includes(c))
  throw new Error(
    `run ${run}: step columns differ from the ones this run already has (had ${have.length}, got ${steps.columns.length}` +
    `${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unexpected ${extra.join(', ')}` : ''}` +
    `${!missing.length && !extra.length ? '; same names in another order' : ''})`,
  )
}

/**
 * The runs as planned, for a record stored before plans existed (or a test without one): each run of the spec
 * trains once at its requested formats and is priced on every profile.
 */
function planOf(spec: ExperimentSpec, profiles: readonly HardwareProfile[], plan: readonly PlannedRun[] | undefined): readonly PlannedRun[] {
  if (plan?.length) return plan
  return spec.runs.map((r, i) => ({
    index: i, specRun: i, label: runLabel(spec, i), algorithm: r.algorithm, steps: r.steps ?? spec.steps,
    formats: { ...spec.formats, ...(r.formats ?? {}) } as PlannedRun['formats'],
    devices: profiles.map((p) => ({ profile: p.id, changes: [] })),
  }))
}

/** One planned training of the experiment (a run of the spec at one set of formats): its state, events and step columns. */
export class RunData {
  status: RunStatus = 'queued'
  error?: string
  start?: RunStart
  label: string
  algorithm: string
  totalSteps: number
  /** the devices its trace is priced on, each with what was changed from the requested formats */
  devices: readonly PlannedDevice[]
  /** the latest event per profile id */
  readonly feasibility = new Map<string, FeasibilityEvent>()
  readonly evals: EvalEvent[] = []
  summary?: RunSummary
  /** step column names, fixed by the first batch (undefined before any step arrived) */
  columns?: readonly string[]
  rows = 0
  private index = new Map<string, number>()
  private buffers: Float64Array[] = []
  private capacity = 0
  private derived = new Map<string, Derived>()
  private peakRow = -1

  constructor(readonly run: number, planned: PlannedRun | undefined) {
    this.label = planned?.label ?? `run ${run}`
    this.algorithm = planned?.algorithm ?? '?'
    this.totalSteps = planned?.steps ?? 0
    this.devices = planned?.devices ?? []
  }

  /** whether this training is priced on a profile */
  pricedOn(profileId: string): boolean {
    return this.devices.some((d) => d.profile === profileId)
  }

  /**
   * Host wall time so far and the time left at this pace (seconds): from the step rows' elapsedSeconds,
   * the summary's once finished. Undefined before the first step.
   */
  timing(): { elapsed: number; left?: number } | undefined {
    if (this.summary) return { elapsed: this.summary.wallSeconds, left: 0 }
    if (!this.rows || !this.hasColumn('elapsedSeconds')) return undefined
    const elapsed = this.column('elapsedSeconds')[this.rows - 1]
    const done = this.stepsDone
    const active = this.status === 'running' || this.status === 'queued'
    return { elapsed, ...(active && done > 0 && { left: (elapsed / done) * Math.max(0, this.totalSteps - done) }) }
  }

  /** Steps done: the summary's count once finished, else the rows received. */
  get stepsDone(): number {
    return this.summary ? Math.max(this.summary.steps, this.rows) : this.rows
  }

  hasColumn(name: string): boolean {
    return this.index.has(name)
  }

  /** A view of one column's filled rows (empty before the first batch; throws for an unknown name). */
  column(name: string): Float64Array {
    if (!this.columns) return new Float64Array(0)
    const c = this.index.get(name)
    if (c === undefined) throw new RangeError(`run ${this.run} has no step column "${name}"`)
    return this.buffers[c].subarray(0, this.rows)
  }

  /** Running sum of a per-step column: element r is the sum of rows 0..r. */
  cumulative(name: string): Float64Array {
    const d = this.extend(name, true)
    return d.sums ? d.sums.subarray(0, this.rows) : new Float64Array(0)
  }

  /** The sum of a column so far (the last running sum, 0 without rows). */
  total(name: string): number {
    return this.rows ? this.cumulative(name)[this.rows - 1] : 0
  }

  /** The largest value of a column so far (0 without rows). */
  max(name: string): number {
    return this.rows ? this.extend(name, false).max : 0
  }

  /** The row of the last step ≤ `step`, or -1 (steps are increasing, normally 1, 2, 3, …). */
  rowOfStep(step: number): number {
    if (!this.rows) return -1
    const s = this.column('step')
    const guess = step - s[0]
    if (guess >= 0 && guess < this.rows && s[guess] === step) return guess
    let lo = 0, hi = this.rows - 1, found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (s[mid] <= step) { found = mid; lo = mid + 1 } else hi = mid - 1
    }
    return found
  }

  /** A running sum at a step: 0 at step 0 (zero-shot), the last known value if that step has not arrived. */
  cumulativeAt(name: string, step: number): number {
    const r = this.rowOfStep(step)
    return r < 0 ? 0 : this.cumulative(name)[r]
  }

  /** The breakdown at the step with the highest total (the summary's once finished). */
  peakMemory(): PeakMemory | undefined {
    if (this.summary) {
      return { step: this.peakRow >= 0 ? this.column('step')[this.peakRow] : 0, bytes: this.summary.peakBytes, breakdown: { ...this.summary.peakMemory }, ownMax: { ...this.summary.maxByCategory } }
    }
    if (this.peakRow < 0) return undefined
    const r = this.peakRow
    const breakdown = Object.fromEntries(MEMORY_CATEGORIES.map((c) => [c, this.hasColumn(`memory/${c}`) ? this.column(`memory/${c}`)[r] : 0])) as MemoryBreakdown
    return { step: this.column('step')[r], bytes: this.column('peakBytes')[r], breakdown }
  }

  /** Totals over the rows received (running sums, so cheap to ask every update). */
  totals(profileIds: readonly string[]): PartTotals {
    const profiles: Record<string, ProfileTotals> = {}
    if (this.rows) {
      for (const p of profileIds) {
        if (!this.hasColumn(`${p}/seconds`)) continue
        profiles[p] = {
          cycles: this.total(`${p}/cycles`), seconds: this.total(`${p}/seconds`), energyUj: this.total(`${p}/energyUj`),
          sramBytes: this.max(`${p}/sramBytes`),
          phaseCycles: Object.fromEntries(PHASES.map((ph) => [ph, this.total(`${p}/cycles/${ph}`)])) as Record<Phase, number>,
        }
      }
    }
    return {
      steps: this.stepsDone,
      forwardPasses: this.summary?.forwardPasses ?? this.total('forwardPasses'),
      backwardPasses: this.summary?.backwardPasses ?? this.total('backwardPasses'),
      peakBytes: this.summary?.peakBytes ?? this.max('peakBytes'),
      profiles,
    }
  }

  /** Feasible or not on a profile, and why: the summary's verdict once finished, else the latest event. */
  verdict(profileId: string): { feasible: boolean; reasons: Blocker[] } | undefined {
    const s = this.summary?.profiles.find((p) => p.profile === profileId)
    if (s) return { feasible: s.feasible, reasons: s.reasons }
    const e = this.feasibility.get(profileId)
    return e && { feasible: e.feasible, reasons: e.reasons }
  }

  appendSteps(steps: PackedSteps): void {
    checkBatch(this.run, this.columns, steps)
    if (!this.columns) {
      this.columns = [...steps.columns]
      this.index = new Map(this.columns.map((c, i) => [c, i]))
      this.buffers = this.columns.map(() => new Float64Array(0))
    }
    // A getExperiment record and a push can overlap (the push was sent while the record was read): rows whose step
    // is not after the last one held are already here.
    const stepCol = this.index.get('step')
    let skip = 0
    if (stepCol !== undefined && this.rows) {
      const last = this.buffers[stepCol][this.rows - 1]
      while (skip < steps.rows && steps.data[stepCol * steps.rows + skip] <= last) skip++
    }
    const n = steps.rows - skip
    if (n <= 0) return
    this.reserve(this.rows + n)
    for (let c = 0; c < this.buffers.length; c++) {
      const from = c * steps.rows + skip
      this.buffers[c].set(steps.data.subarray(from, from + n), this.rows)
    }
    const peak = this.index.get('peakBytes')
    if (peak !== undefined) {
      const b = this.buffers[peak]
      // strictly greater: the first step reaching the peak wins, as in the runner's summary
      for (let r = this.rows; r < this.rows + n; r++) if (this.peakRow < 0 || b[r] > b[this.peakRow]) this.peakRow = r
    }
    this.rows += n
  }

  private reserve(rows: number): void {
    if (rows <= this.capacity) return
    let cap = Math.max(this.capacity, INITIAL_CAPACITY)
    while (cap < rows) cap *= 2
    this.buffers = this.buffers.map((b) => {
      const grown = new Float64Array(cap)
      grown.set(b.subarray(0, this.rows))
      return grown
    })
    for (const d of this.derived.values()) {
      if (!d.sums) continue
      const grown = new Float64Array(cap)
      grown.set(d.sums.subarray(0, d.filled))
      d.sums = grown
    }
    this.capacity = cap
  }

  /** Brings a column's running sum (if asked for) and maximum up to the filled rows. */
  private extend(name: string, withSums: boolean): Derived {
    const src = this.column(name)
    let d = this.derived.get(name)
    if (!d) this.derived.set(name, (d = { filled: 0, max: -Infinity }))
    if (withSums && !d.sums) {
      // first request for the running sum of a column whose max was already tracked: start it over once
      d.sums = new Float64Array(this.capacity)
      d.filled = 0
      d.max = -Infinity
    }
    let acc = d.filled ? (d.sums ? d.sums[d.filled - 1] : 0) : 0
    for (let r = d.filled; r < this.rows; r++) {
      const v = src[r]
      if (d.sums) { acc += v; d.sums[r] = acc }
      if (v > d.max) d.max = v
    }
    d.filled = this.rows
    return d
  }
}

export class ExperimentData {
  /**
   * Vue's markRaw flag, set without importing Vue: even inside a reactive store this object is never deep-
   * proxied (every typed-array read would go through a proxy); views re-read it when `version` changes.
   */
  readonly __v_skip = true
  /** incremented by every apply() that changed something */
  version = 0
  /** the number of the last push included (getExperiment's record says which one it covers) */
  seq = 0
  meta: ExperimentMeta
  stage?: ExperimentUpdate['stage']
  pretrain?: PretrainState
  readonly runs: RunData[]
  /** the trainings as planned (one per run of the spec and distinct device formats), with their devices */
  readonly plan: readonly PlannedRun[]

  constructor(meta: ExperimentMeta, readonly spec: ExperimentSpec, readonly profiles: readonly HardwareProfile[], plan?: readonly PlannedRun[]) {
    this.meta = meta
    this.plan = planOf(spec, profiles, plan)
    this.runs = this.plan.map((r, i) => new RunData(i, r))
  }

  static fromRecord(record: ExperimentRecord): ExperimentData {
    const d = new ExperimentData(record.meta, record.spec, record.profiles, record.plan)
    d.applyParts(record.update)
    d.seq = record.update.seq
    d.version = 1
    return d
  }

  get id(): string {
    return this.meta.id
  }

  get name(): string {
    return this.meta.name || this.spec.name
  }

  get profileIds(): string[] {
    return this.profiles.map((p) => p.id)
  }

  /** every (training × device) the plan prices, in plan order then the experiment's profile order */
  pairs(): { run: RunData; profile: HardwareProfile; device: PlannedDevice }[] {
    const out: { run: RunData; profile: HardwareProfile; device: PlannedDevice }[] = []
    for (const r of this.runs) {
      for (const profile of this.profiles) {
        const device = r.devices.find((x) => x.profile === profile.id)
        if (device) out.push({ run: r, profile, device })
      }
    }
    return out
  }

  /** A run by its index, created on the fly if the spec did not list it. */
  run(run: number): RunData {
    let p = this.runs[run]
    if (!p) {
      for (let i = this.runs.length; i <= run; i++) this.runs.push(new RunData(i, this.plan[i]))
      p = this.runs[run]
    }
    return p
  }

  column(run: number, name: string): Float64Array {
    return this.run(run).column(name)
  }

  cumulative(run: number, name: string): Float64Array {
    return this.run(run).cumulative(name)
  }

  totals(run: number): PartTotals {
    return this.run(run).totals(this.profileIds)
  }

  peakMemory(run: number): PeakMemory | undefined {
    return this.run(run).peakMemory()
  }

  /**
   * Merges one push. Returns false (and changes nothing) for another experiment run's update, or for a push
   * the data already includes (seq not after the last one: the window subscribes before it fetches the
   * record). A batch of steps whose columns differ from what its run holds throws before anything changes.
   */
  apply(update: ExperimentUpdate): boolean {
    if (update.id !== this.id || update.seq <= this.seq) return false
    this.applyParts(update)
    this.seq = update.seq
    this.version++
    return true
  }

  private applyParts(update: ExperimentUpdate): void {
    // validate every batch first, so a bad push leaves the data as it was
    const expected = new Map<number, readonly string[] | undefined>()
    for (const u of update.runs) {
      if (!u.steps) continue
      checkBatch(u.run, expected.has(u.run) ? expected.get(u.run) : this.runs[u.run]?.columns, u.steps)
      expected.set(u.run, u.steps.columns)
    }
    if (update.meta) this.meta = update.meta
    if (update.stage) this.stage = update.stage
    // a push carries only the pretraining fields that changed since the previous one
    if (update.pretrain) this.pretrain = { ...this.pretrain, ...update.pretrain }
    for (const u of update.runs) this.applyRun(u)
  }

  private applyRun(u: RunUpdate): void {
    const p = this.run(u.run)
    if (u.status) p.status = u.status
    if (u.error !== undefined) p.error = u.error
    if (u.start) {
      p.start = u.start
      p.label = u.start.label
      p.algorithm = u.start.algorithm
      p.totalSteps = u.start.steps
      p.devices = u.start.devices
    }
    for (const f of u.feasibility ?? []) p.feasibility.set(f.profile, f)
    if (u.steps) p.appendSteps(u.steps)
    for (const e of u.evals ?? []) {
      // same overlap as for steps: an eval at a step already held replaces it
      const last = p.evals[p.evals.length - 1]
      if (last && e.step <= last.step) {
        const at = p.evals.findIndex((x) => x.step === e.step)
        if (at >= 0) p.evals[at] = e
        continue
      }
      p.evals.push(e)
    }
    if (u.summary) {
      p.summary = u.summary
      p.label = u.summary.label
      p.totalSteps = Math.max(p.totalSteps, u.summary.steps)
    }
  }
}
