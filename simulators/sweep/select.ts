/**
 * Device selection: which devices answer the question (constraints), ranked, and for every other device
 * the constraint it failed and by how much. A device is judged by its best configuration among the
 * sweep's trials: the one that passes and ranks highest, or, if none passes, the nearest miss (fewest
 * failed constraints, then the smallest shortfall relative to each bound), whose failures are reported.
 */
import type { Constraints } from './spec'
import type { TrialRow } from './results'

export interface Failure {
  constraint: keyof Constraints | 'blockers'
  /** in words with numbers: "needs 385 KiB of SRAM, has 256 KiB: 129 KiB over" */
  text: string
  /** the shortfall relative to the bound (0.1: 10 % over); Infinity for a yes/no constraint */
  relative: number
}

export interface DeviceVerdict {
  device: string
  deviceName: string
  deviceClass: string
  /** the configuration the verdict is about */
  row: TrialRow
  failures: Failure[]
}

export interface Selection {
  constraints: Constraints
  /** devices that pass, best first */
  ranked: DeviceVerdict[]
  /** devices that do not, with why (their nearest miss) */
  rejected: DeviceVerdict[]
}

const kib = (b: number) => `${Math.round(b / 1024)} KiB`
const pct = (x: number) => `${(100 * x).toFixed(1)} %`
export const seconds = (s: number): string => (s >= 1 ? `${s.toPrecision(3)} s` : s >= 1e-3 ? `${(s * 1e3).toPrecision(3)} ms` : `${(s * 1e6).toPrecision(3)} µs`)
export const energy = (uj: number): string => (uj >= 1e6 ? `${(uj / 1e6).toPrecision(3)} J` : uj >= 1e3 ? `${(uj / 1e3).toPrecision(3)} mJ` : `${uj.toPrecision(3)} µJ`)

/** Every constraint a configuration fails. */
export function failures(r: TrialRow, c: Constraints, device: { formats: { weightBits: number[]; activationBits: number[]; gradientBits: number[]; accumulatorBits: number[] } }): Failure[] {
  const out: Failure[] = []
  const over = (constraint: Failure['constraint'], value: number, bound: number | undefined, what: string, fmt: (x: number) => string) => {
    if (bound === undefined || value <= bound) return
    out.push({ constraint, text: `${what} ${fmt(value)}, at most ${fmt(bound)}: ${fmt(value - bound)} over`, relative: bound > 0 ? (value - bound) / bound : Infinity })
  }
  if (c.mustFit && !r.feasible) {
    for (const b of r.reasons) {
      const memory = b.kind === 'memory' && r.sramDemandBytes > r.sramCapacityBytes
      out.push({
        constraint: 'mustFit',
        text: memory ? `needs ${kib(r.sramDemandBytes)} of SRAM, has ${kib(r.sramCapacityBytes)}: ${kib(r.sramDemandBytes - r.sramCapacityBytes)} over` : b.text,
        relative: memory ? (r.sramDemandBytes - r.sramCapacityBytes) / r.sramCapacityBytes : Infinity,
      })
    }
  }
  if (c.minAccuracy !== undefined && r.finalAccuracy < c.minAccuracy) {
    out.push({ constraint: 'minAccuracy', text: `accuracy ${pct(r.finalAccuracy)}, at least ${pct(c.minAccuracy)}: ${(100 * (c.minAccuracy - r.finalAccuracy)).toFixed(1)} points short`, relative: (c.minAccuracy - r.finalAccuracy) / c.minAccuracy })
  }
  over('maxSecondsPerStep', r.secondsPerStep, c.maxSecondsPerStep, 'time per step', seconds)
  over('maxEnergyUjPerStep', r.energyUjPerStep, c.maxEnergyUjPerStep, 'energy per step', energy)
  over('maxSecondsPerAdaptation', r.secondsPerAdaptation, c.maxSecondsPerAdaptation, 'time per adaptation', seconds)
  over('maxEnergyUjPerAdaptation', r.energyUjPerAdaptation, c.maxEnergyUjPerAdaptation, 'energy per adaptation', energy)
  for (const [field, want] of Object.entries(c.requiredFormats ?? {}) as [keyof NonNullable<Constraints['requiredFormats']>, number][]) {
    if (!device.formats[field].includes(want)) out.push({ constraint: 'requiredFormats', text: `does not run ${want}-bit ${field.replace('Bits', '')}s (runs ${device.formats[field].join('/')})`, relative: Infinity })
  }
  return out
}

const score = (r: TrialRow, by: Constraints['rankBy']) => (by === 'accuracy' ? -r.finalAccuracy : by === 'energy' ? r.energyUjPerAdaptation : r.secondsPerAdaptation)
/** ties broken by the other figures, then the trial order, so a ranking is deterministic */
const better = (a: TrialRow, b: TrialRow, by: Constraints['rankBy']) =>
  score(a, by) - score(b, by) || b.finalAccuracy - a.finalAccuracy || a.energyUjPerAdaptation - b.energyUjPerAdaptation || a.trial - b.trial

const missSize = (f: readonly Failure[]) => f.reduce((s, x) => s + Math.min(x.relative, 1e6), 0)

export function selectDevices(rows: readonly TrialRow[], constraints: Constraints, devices: readonly { id: string; formats: Parameters<typeof failures>[2]['formats'] }[]): Selection {
  const ranked: DeviceVerdict[] = []
  const rejected: DeviceVerdict[] = []
  for (const d of devices) {
    const mine = rows.filter((r) => r.device === d.id)
    if (!mine.length) continue
    const judged = mine.map((row) => ({ row, failures: failures(row, constraints, d) }))
    const passing = judged.filter((j) => j.failures.length === 0).sort((a, b) => better(a.row, b.row, constraints.rankBy))
    const base = { device: d.id, deviceName: mine[0].deviceName, deviceClass: mine[0].deviceClass }
    if (passing.length) ranked.push({ ...base, ...passing[0] })
    else {
      const nearest = [...judged].sort((a, b) => a.failures.length - b.failures.length || missSize(a.failures) - missSize(b.failures) || better(a.row, b.row, constraints.rankBy))[0]
      rejected.push({ ...base, ...nearest })
    }
  }
  ranked.sort((a, b) => better(a.row, b.row, constraints.rankBy))
  rejected.sort((a, b) => a.failures.length - b.failures.length || missSize(a.failures) - missSize(b.failures))
  return { constraints, ranked, rejected }
}

/** The recommendation in one sentence, from the ranking. */
export function recommendation(s: Selection): string {
  const top = s.ranked[0]
  if (!top) return `No device meets every constraint; the nearest miss is ${s.rejected[0]?.deviceName ?? 'none'} (${s.rejected[0]?.failures.map((f) => f.text).join('; ') ?? 'no results'}).`
  const r = top.row
  const by = s.constraints.rankBy === 'accuracy' ? 'the highest accuracy' : s.constraints.rankBy === 'energy' ? 'the least energy per adaptation' : 'the shortest adaptation'
  return `${top.deviceName} (${top.device}): ${by} among the ${s.ranked.length} device${s.ranked.length > 1 ? 's' : ''} that meet every constraint — ${r.label}, ${pct(r.finalAccuracy)} after adaptation (${r.gain >= 0 ? '+' : ''}${(100 * r.gain).toFixed(1)} points, ${r.verdict}), ${seconds(r.secondsPerStep)} and ${energy(r.energyUjPerStep)} per step, ${kib(r.sramDemandBytes)} of ${kib(r.sramCapacityBytes)} SRAM.`
}
