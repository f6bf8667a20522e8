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
