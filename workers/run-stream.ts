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

type Column = [name: string, value: (e: StepEvent) => number]

/**
 * THE table of a run's step columns, in order: a column's name and its value are one row, so a new
 * per-step metric is one line and no two lists can drift apart. Per-profile columns are
 * `<profile id>/<what>` (ids never contain '/': they are file-name-like) and read `costs[i]`, which must
 * be that profile's price (checked).
 */
function columnsFor(run: number, profileIds: readonly string[]): Column[] {
  const price = (i: number, id: string) => (e: StepEvent) => {
    const p = e.costs[i]
    if (!p || p.profile !== id) throw new Error(`step ${e.step} of run ${run}: costs[${i}] is not profile "${id}"`)
    return p
  }
  return [
    ['step', (e) => e.step],
    ['loss', (e) => e.loss],
    ['accuracy', (e) => e.accuracy],
    ['forwardPasses', (e) => e.forwardPasses],
    ['backwardPasses', (e) => e.backwardPasses],
    ['peakBytes', (e) => e.peakBytes],
    ['updatedFraction', (e) => e.updatedFraction],
    ['saturations', (e) => e.saturations],
    ['clipped', (e) => e.clipped],
    ['elapsedSeconds', (e) => e.elapsedSeconds],
    ...MEMORY_CATEGORIES.map((c): Column => [`memory/${c}`, (e) => e.memory[c]]),
    ...PHASES.map((ph): Column => [`macs/${ph}`, (e) => e.macs[ph] ?? 0]),
    ...profileIds.flatMap((id, i): Column[] => {
      const p = price(i, id)
      return [
        [`${id}/cycles`, (e) => p(e).cycles],
        [`${id}/seconds`, (e) => p(e).seconds],
        [`${id}/energyUj`, (e) => p(e).energyUj],
        [`${id}/sramBytes`, (e) => p(e).sramBytes],
        [`${id}/feasible`, (e) => (p(e).feasible ? 1 : 0)],
        ...PHASES.map((ph): Column => [`${id}/cycles/${ph}`, (e) => p(e).phaseCycles[ph]]),
      ]
    }),
  ]
}

/** The columns of a run's packed steps, for the profile ids it is priced on (in order). */
export function stepColumns(profileIds: readonly string[]): string[] {
  return columnsFor(0, profileIds).map(([name]) => name)
}

/** Packs step events (all of one run, all priced on `profileIds`) column-major. */
export function packSteps(run: number, steps: readonly StepEvent[], profileIds: readonly string[]): PackedSteps {
  const table = columnsFor(run, profileIds)
  const rows = steps.length
  const data = new Float64Array(table.length * rows)
  table.forEach(([, value], c) => {
    for (let r = 0; r < rows; r++) data[c * rows + r] = value(steps[r])
  })
  return { run, columns: table.map(([name]) => name), rows, data }
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
