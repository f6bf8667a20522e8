/**
 * A sweep's results as rows: one per (trial × device), read from the summary of the training that judged
 * the device (trials.ts). Everything a trade-off view, a ranking or a report needs is a field here, so
 * every one of them is computed from the same numbers.
 */
import type { RunSummary } from '../experiment/runner'
import type { FormatChange } from '../experiment/plan'
import type { Blocker } from '../hardware/pricing/run-pricer'
import type { NumericFormatsSpec } from '../training/network/formats'
import type { ParsedSweep } from './trials'

export interface TrialRow {
  trial: number
  training: number
  device: string
  deviceName: string
  deviceClass: string
  label: string
  algorithm: string
  seed: number
  /** the trial's format setting, and the formats the device was judged at (changes: why they differ) */
  requested: NumericFormatsSpec
  formats: NumericFormatsSpec
  changes: FormatChange[]
  feasible: boolean
  reasons: Blocker[]
  zeroShotAccuracy: number
  finalAccuracy: number
  bestAccuracy: number
  /** final − zero-shot, its spread (2 standard errors) and the verdict (health.ts) */
  gain: number
  spread: number
  verdict: RunSummary['learning']['verdict']
  /** arithmetic warnings of the training (saturation, clipping) */
  warnings: string[]
  steps: number
  /** SRAM the run needs (before any spill) and has */
  sramDemandBytes: number
  sramCapacityBytes: number
  secondsPerStep: number
  energyUjPerStep: number
  /** the whole adaptation: every step of the run */
  secondsPerAdaptation: number
  energyUjPerAdaptation: number
}

export interface SweepResults {
  rows: TrialRow[]
  /** trainings without a summary yet (a sweep in progress, or shards not merged) */
  missing: number[]
}

export function sweepRows(sweep: ParsedSweep, summaries: ReadonlyMap<number, RunSummary>): SweepResults {
  const rows: TrialRow[] = []
  const missing = new Set<number>()
  for (const trial of sweep.trials) {
    for (const d of trial.devices) {
      const s = summaries.get(d.training)
      if (!s) { missing.add(d.training); continue }
      const k = s.profiles.findIndex((p) => p.profile === d.profile)
      if (k < 0) throw new Error(`training ${d.training} (${s.label}) was not priced on ${d.profile}`)
      const p = s.profiles[k]
      const steps = Math.max(1, p.steps)
      rows.push({
        trial: trial.index, training: d.training, device: d.profile, deviceName: p.name, deviceClass: p.class,
        label: trial.label, algorithm: s.algorithm, seed: trial.seed, requested: trial.formats, formats: s.formats, changes: d.changes,
        feasible: p.feasible, reasons: p.reasons,
        zeroShotAccuracy: s.zeroShotAccuracy, finalAccuracy: s.finalAccuracy, bestAccuracy: s.bestAccuracy,
        gain: s.learning.gain, spread: s.learning.spread, verdict: s.learning.verdict, warnings: s.health.warnings,
        steps: s.steps, sramDemandBytes: p.placement.sramDemandBytes, sramCapacityBytes: p.placement.sramCapacityBytes,
        secondsPerStep: p.totals.seconds / steps, energyUjPerStep: p.totals.energyUj.total / steps,
        secondsPerAdaptation: p.totals.seconds, energyUjPerAdaptation: p.totals.energyUj.total,
      })
    }
  }
  return { rows, missing: [...missing].sort((a, b) => a - b) }
}
