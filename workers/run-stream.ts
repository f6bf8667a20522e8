// The studio's wire format for a run's metrics. Step events are numbers only, so a batch of them is packed
// into ONE Float64Array, column-major: column c holds rows [c*rows, (c+1)*rows). A worker hands that buffer
// to the main process with comlink.transfer (moved, not copied), the main process appends it to the run
// store and forwards it to the window, where a chart reads a column as a subarray without any parsing.
// Everything else a run emits (start, feasibility, evaluations, the summary) is rare and stays an object.
//
// Environment-neutral (no Node, no DOM): used by the worker, the main process and the renderer's types.
import { MEMORY_CATEGORIES } from '../simulators/core/memory-categories'
import { PHASES } from '../simulators/core/op'
import type { RunEvent, StepEvent } from '../simulators/experiment/runner'

export interface PackedSteps {
  run: number
  /** column names, see stepColumns() */
  columns: string[]
  rows: number
  /** column-major: columns.length * rows values */
  data: Float64Array
}

/** What a worker sends per flush: the step events of the batch packed, everything else as it came. */
export interface RunBatch {
  run: number
  events: Exclude<RunEvent, StepEvent>[]
  steps?: PackedSteps
}

/** Per-profile columns are `<profile id>/<what>`; ids never contain '/' (they are file-name-like). */
export const PROFILE_STEP_FIELDS = ['cycles', 'seconds', 'energyUj', 'sramBytes', 'feasible'] as const

/** The columns of a run's packed steps, for the profile ids it is priced on (in order). */
export function stepColumns(profileIds: readonly string[]): string[] {
  return [
    'step', 'loss', 'accuracy', 'forwardPasses', 'backwardPasses', 'peakBytes', 'updatedFraction',
    ...MEMORY_CATEGORIES.map((c) => `memory/${c}`),
    ...PHASES.map((ph) => `macs/${ph}`),
    ...profileIds.flatMap((p) => [...PROFILE_STEP_FIELDS.map((f) => `${p}/${f}`), ...PHASES.map((ph) => `${p}/cycles/${ph}`)]),
  ]
}

/** Packs step events (all of one run, all priced on `profileIds`) column-major. */
export function packSteps(run: number, steps: readonly StepEvent[], profileIds: readonly string[]): PackedSteps {
  const columns = stepColumns(profileIds)
  const rows = steps.length
  const data = new Float64Array(columns.length * rows)
  let c = 0
  const put = (value: (e: StepEvent) => number) => {
    const base = c++ * rows
    for (let r = 0; r < rows; r++) data[base + r] = value(steps[r])
  }
  put((e) => e.step); put((e) => e.loss); put((e) => e.accuracy); put((e) => e.forwardPasses); put((e) => e.backwardPasses)
  put((e) => e.peakBytes); put((e) => e.updatedFraction)
  for (const cat of MEMORY_CATEGORIES) put((e) => e.memory[cat])
  for (const ph of PHASES) put((e) => e.macs[ph] ?? 0)
  profileIds.forEach((id, i) => {
    const price = (e: StepEvent) => {
      const p = e.costs[i]
      if (!p || p.profile !== id) throw new Error(`step ${e.step} of run ${run}: costs[${i}] is not profile "${id}"`)
      return p
    }
    put((e) => price(e).cycles); put((e) => price(e).seconds); put((e) => price(e).energyUj); put((e) => price(e).sramBytes)
    put((e) => (price(e).feasible ? 1 : 0))
    for (const ph of PHASES) put((e) => price(e).phaseCycles[ph])
  })
  return { run, columns, rows, data }
}

/** One column of a packed batch, as a view (no copy). */
export function column(p: PackedSteps, name: string): Float64Array {
  const c = p.columns.indexOf(name)
  if (c < 0) throw new RangeError(`no column "${name}" (have: ${p.columns.join(', ')})`)
  return p.data.subarray(c * p.rows, (c + 1) * p.rows)
}

/** Splits a run's events into what one flush sends: steps packed, the rest as they are. */
export function toBatch(run: number, events: readonly RunEvent[], profileIds: readonly string[]): RunBatch {
  const steps: StepEvent[] = []
  const other: RunBatch['events'] = []
  for (const e of events) {
    if (e.type === 'step') steps.push(e)
    else other.push(e)
  }
  return { run, events: other, ...(steps.length > 0 && { steps: packSteps(run, steps, profileIds) }) }
}
