// The comparison table of several experiment runs (History's "compare"): one row per (experiment × algorithm),
// one column group per device any of them was priced on.
import type { ExperimentData } from '../../model/experiment-data'
import { when } from '../../charts/format'

export interface CompareDevice {
  id: string
  name: string
}

export interface CompareRow {
  key: string
  experiment: string
  created: string
  label: string
  /** index into the chart's series, for the same color in table and chart */
  index: number
  formats: string
  zeroShot?: number
  final?: number
  best?: number
  peakBytes?: number
  /** by device id; absent when this experiment was not priced on that device */
  devices: Record<string, { seconds?: number; energyUj?: number; feasible?: boolean }>
}

/** Devices in first-seen order (the same id in two runs is one column). */
export function compareDevices(items: readonly ExperimentData[]): CompareDevice[] {
  const seen = new Map<string, CompareDevice>()
  for (const d of items) for (const p of d.profiles) if (!seen.has(p.id)) seen.set(p.id, { id: p.id, name: p.name })
  return [...seen.values()]
}

/** "w16 a8 g16 acc64 sat half-away" from a run's formats (the summary's, else the spec's with the run's overrides). */
export function formatsText(d: ExperimentData, run: number): string {
  const f = d.runs[run]?.summary?.formats ?? { ...d.spec.formats, ...(d.spec.runs[run]?.formats ?? {}) }
  return `w${f.weightBits} a${f.activationBits} g${f.gradientBits} acc${f.accumulatorBits} ${f.accumulatorOverflow} ${f.rounding}`
}

export function compareRows(items: readonly ExperimentData[]): CompareRow[] {
  const rows: CompareRow[] = []
  let index = 0
  for (const d of items) {
    for (const p of d.runs) {
      const s = p.summary
      const totals = p.totals(d.profileIds)
      const devices: CompareRow['devices'] = {}
      for (const prof of d.profiles) {
        const done = s?.profiles.find((r) => r.profile === prof.id)
        const live = totals.profiles[prof.id]
        devices[prof.id] = { seconds: done?.totals.seconds ?? live?.seconds, energyUj: done?.totals.energyUj.total ?? live?.energyUj, feasible: p.verdict(prof.id)?.feasible }
      }
      const evals = p.evals
      rows.push({
        key: `${index}-${d.id}-${p.run}`, experiment: d.name, created: when(d.meta.createdAt), label: p.label, index: index++, formats: formatsText(d, p.run),
        zeroShot: s?.zeroShotAccuracy ?? evals.find((e) => e.step === 0)?.accuracy,
        final: s?.finalAccuracy ?? evals[evals.length - 1]?.accuracy,
        best: s?.bestAccuracy ?? (evals.length ? Math.max(...evals.map((e) => e.accuracy)) : undefined),
        peakBytes: s?.peakBytes ?? (p.rows ? totals.peakBytes : undefined),
        devices,
      })
    }
  }
  return rows
}
