// The results table's view model: columns, sorting (click a header: ascending, again: descending) and
// filtering (free text over the row's words, plus device and algorithm menus). Pure, so it is tested.
import type { TrialRow } from '../../api/bridge'
import { energyUj, kib, pct, seconds } from '../../charts/format'

export interface Column {
  id: string
  label: string
  /** the value sorted by */
  value: (r: TrialRow) => number | string
  /** the text shown */
  text: (r: TrialRow) => string
  numeric?: boolean
}

const fmt = (f: TrialRow['formats']) => `W${f.weightBits} A${f.activationBits}${f.gradientBits !== undefined ? ` G${f.gradientBits}` : ''}`

export const COLUMNS: Column[] = [
  { id: 'trial', label: 'Trial', value: (r) => r.trial, text: (r) => String(r.trial), numeric: true },
  { id: 'device', label: 'Device', value: (r) => r.deviceName, text: (r) => r.deviceName },
  { id: 'algorithm', label: 'Run', value: (r) => r.label, text: (r) => r.label },
  { id: 'seed', label: 'Seed', value: (r) => r.seed, text: (r) => String(r.seed), numeric: true },
  { id: 'formats', label: 'Formats (judged at)', value: (r) => r.formats.weightBits * 100 + r.formats.activationBits, text: (r) => fmt(r.formats) },
  { id: 'fits', label: 'Fits', value: (r) => (r.feasible ? 1 : 0), text: (r) => (r.feasible ? 'yes' : 'no') },
  { id: 'accuracy', label: 'Accuracy', value: (r) => r.finalAccuracy, text: (r) => pct(r.finalAccuracy), numeric: true },
  { id: 'gain', label: 'Gain', value: (r) => r.gain, text: (r) => `${r.gain >= 0 ? '+' : ''}${(100 * r.gain).toFixed(1)} pt`, numeric: true },
  { id: 'sram', label: 'Peak SRAM', value: (r) => r.sramDemandBytes, text: (r) => `${kib(r.sramDemandBytes)} / ${kib(r.sramCapacityBytes)}`, numeric: true },
  { id: 'timeStep', label: 'Time / step', value: (r) => r.secondsPerStep, text: (r) => seconds(r.secondsPerStep), numeric: true },
  { id: 'energyStep', label: 'Energy / step', value: (r) => r.energyUjPerStep, text: (r) => energyUj(r.energyUjPerStep), numeric: true },
  { id: 'timeAdapt', label: 'Time / adaptation', value: (r) => r.secondsPerAdaptation, text: (r) => seconds(r.secondsPerAdaptation), numeric: true },
  { id: 'energyAdapt', label: 'Energy / adaptation', value: (r) => r.energyUjPerAdaptation, text: (r) => energyUj(r.energyUjPerAdaptation), numeric: true },
]

export interface Sort { column: string; descending: boolean }

/** Clicking a header: a new column sorts ascending, the same column flips. */
export function nextSort(current: Sort | null, column: string): Sort {
  return current?.column === column ? { column, descending: !current.descending } : { column, descending: false }
}

/** A stable sort (ties keep the trial order) by one column. */
export function sortRows(rows: readonly TrialRow[], sort: Sort | null): TrialRow[] {
  const out = [...rows]
  const col = sort && COLUMNS.find((c) => c.id === sort.column)
  if (!col || !sort) return out
  const dir = sort.descending ? -1 : 1
  return out.map((r, i) => ({ r, i })).sort((a, b) => {
    const x = col.value(a.r), y = col.value(b.r)
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))
    return dir * c || a.i - b.i
  }).map((x) => x.r)
}

export interface Filter {
  text: string
  /** '' = every device / algorithm */
  device: string
  algorithm: string
}

export function filterRows(rows: readonly TrialRow[], f: Filter): TrialRow[] {
  const words = f.text.trim().toLowerCase().split(/\s+/).filter(Boolean)
  return rows.filter((r) => {
    if (f.device && r.device !== f.device) return false
    if (f.algorithm && r.algorithm !== f.algorithm) return false
    if (!words.length) return true
    const hay = `${r.device} ${r.deviceName} ${r.deviceClass} ${r.label} ${r.algorithm} ${fmt(r.formats)} ${r.verdict} ${r.feasible ? 'fits' : 'does not fit'}`.toLowerCase()
    return words.every((w) => hay.includes(w))
  })
}

/** A row's identity across views (the Pareto chart selects rows by it). */
export const rowKey = (r: Pick<TrialRow, 'trial' | 'device'>) => `${r.trial}:${r.device}`
