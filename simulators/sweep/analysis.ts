/**
 * The arithmetic of the trade-off views, shared by the studio's charts and the report's: Pareto fronts,
 * heat-map cells and the CSV of every trial. Pure and without registries (the window imports it at run
 * time), so the two renderings of one sweep cannot disagree.
 */
import type { TrialRow } from './results'

/** Indices of the points no other point dominates: better or equal in both, strictly better in one. */
export function paretoFront(points: readonly { x: number; y: number }[], maximizeX: boolean, maximizeY: boolean): Set<number> {
  const sx = maximizeX ? -1 : 1
  const sy = maximizeY ? -1 : 1
  // sort by x (best first), then sweep keeping the best y so far
  const order = points.map((_, i) => i).filter((i) => Number.isFinite(points[i].x) && Number.isFinite(points[i].y))
    .sort((a, b) => sx * (points[a].x - points[b].x) || sy * (points[a].y - points[b].y))
  const front = new Set<number>()
  let bestY = Infinity
  let lastX = NaN, lastY = NaN
  for (const i of order) {
    const y = sy * points[i].y
    if (y < bestY) {
      front.add(i)
      bestY = y
    } else if (points[i].x === lastX && points[i].y === lastY) front.add(i) // duplicates of a front point
    if (front.has(i)) { lastX = points[i].x; lastY = points[i].y }
  }
  return front
}

export interface HeatCell {
  x: number
  y: number
  /** mean of the values falling in the cell, and how many */
  value: number
  count: number
}

/** Means of `value` over (x, y) cells, e.g. accuracy over weight × activation widths. */
export function heatCells<T>(items: readonly T[], x: (t: T) => number, y: (t: T) => number, value: (t: T) => number): HeatCell[] {
  const cells = new Map<string, HeatCell>()
  for (const t of items) {
    const v = value(t)
    if (!Number.isFinite(v)) continue
    const k = `${x(t)}:${y(t)}`
    const c = cells.get(k) ?? { x: x(t), y: y(t), value: 0, count: 0 }
    c.value += v
    c.count++
    cells.set(k, c)
  }
  return [...cells.values()].map((c) => ({ ...c, value: c.value / c.count })).sort((a, b) => a.x - b.x || a.y - b.y)
}

/** The columns of the CSV export, in order (every field of a row; formats flattened). */
const CSV_COLUMNS: [string, (r: TrialRow) => unknown][] = [
  ['trial', (r) => r.trial], ['training', (r) => r.training], ['device', (r) => r.device], ['device_name', (r) => r.deviceName], ['device_class', (r) => r.deviceClass],
  ['run', (r) => r.label], ['algorithm', (r) => r.algorithm], ['seed', (r) => r.seed],
  ['requested_w', (r) => r.requested.weightBits], ['requested_a', (r) => r.requested.activationBits], ['requested_acc', (r) => r.requested.accumulatorBits],
  ['w', (r) => r.formats.weightBits], ['a', (r) => r.formats.activationBits], ['g', (r) => r.formats.gradientBits], ['acc', (r) => r.formats.accumulatorBits], ['rounding', (r) => r.formats.rounding],
  ['format_changes', (r) => r.changes.map((c) => c.text).join('; ')],
  ['fits', (r) => r.feasible], ['blockers', (r) => r.reasons.map((b) => `${b.kind}: ${b.text}`).join('; ')],
  ['zero_shot_accuracy', (r) => r.zeroShotAccuracy], ['final_accuracy', (r) => r.finalAccuracy], ['best_accuracy', (r) => r.bestAccuracy],
  ['gain', (r) => r.gain], ['gain_spread', (r) => r.spread], ['learned', (r) => r.verdict], ['arithmetic_warnings', (r) => r.warnings.join('; ')],
  ['steps', (r) => r.steps], ['sram_demand_bytes', (r) => r.sramDemandBytes], ['sram_capacity_bytes', (r) => r.sramCapacityBytes],
  ['seconds_per_step', (r) => r.secondsPerStep], ['energy_uj_per_step', (r) => r.energyUjPerStep],
  ['seconds_per_adaptation', (r) => r.secondsPerAdaptation], ['energy_uj_per_adaptation', (r) => r.energyUjPerAdaptation],
]

/** RFC 4180 CSV of the rows: numbers at full precision, text quoted when it holds a comma, quote or newline. */
export function rowsToCsv(rows: readonly TrialRow[]): string {
  const cell = (v: unknown) => {
    const s = typeof v === 'number' ? String(v) : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v ?? '')
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return [CSV_COLUMNS.map(([name]) => name).join(','), ...rows.map((r) => CSV_COLUMNS.map(([, f]) => cell(f(r))).join(','))].join('\r\n') + '\r\n'
}
