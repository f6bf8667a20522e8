/**
 * Everything a device-selection report says, as data: the question (experiment, sweep, constraints),
 * the recommendation and why, the rows behind every chart, per device the recommended configuration's
 * memory by category against its SRAM and its cycles and energy by phase and by layer, what each preset's
 * cost model is known to miss (calibration against public measurements), and what reproduces it all.
 * The HTML/PDF renderer (workers/report/) and the studio draw this; nothing is computed twice.
 */
import { MEMORY_CATEGORIES, type MemoryBreakdown } from '../core/memory-categories'
import { PHASES, type Phase } from '../core/op'
import type { RunSummary } from '../experiment/runner'
import type { ExperimentSpec } from '../experiment/spec'
import type { WorkCost } from '../hardware/pricing/pricing'
import type { HardwareProfile } from '../hardware/profiles/profile'
import { calibrationByDevice, calibrationPoints } from '../experiment/calibration'
import { ENGINE_VERSION } from '../index'
import { sweepRows, type TrialRow } from './results'
import { recommendation, selectDevices, type Selection } from './select'
import type { Constraints, SweepSpec } from './spec'
import type { ParsedSweep } from './trials'

export interface DeviceDetail {
  id: string
  name: string
  class: string
  costModel: string
  sramBytes: number
  /** the configuration the selection judged the device by */
  label: string
  feasible: boolean
  /** peak memory by category at the peak step, against the SRAM */
  memory: MemoryBreakdown
  byPhase: Record<Phase, { cycles: number; energyPj: number }>
  /** the ten most expensive layers and forms */
  byLayer: WorkCost[]
  /** the cost model against public measurements of this device: none means not calibrated */
  calibration?: { measurements: number; medianLatencyError: number; medianEnergyError?: number }
  /** what the profile's static power and pJ per MAC rest on (energy.basis); absent: the profile does not say */
  energyBasis?: NonNullable<HardwareProfile['energy']['basis']>
  /** the runtime and MLPerf Tiny round the profile's fitted constants come from; absent: nothing fitted */
  calibratedTo?: NonNullable<HardwareProfile['calibratedTo']>
  /** every number of the profile and its source */
  sources: Record<string, string>
}

export interface SweepReport {
  title: string
  /** ISO time the report was made (the only field that differs between two reports of one sweep) */
  createdAt: string
  question: { sweep: SweepSpec; experiment: ExperimentSpec; constraints: Constraints; trials: number; trainings: number; devices: string[] }
  recommendation: string
  selection: Selection
  rows: TrialRow[]
  /** trainings missing from the merged folders (an incomplete report says so) */
  missing: number[]
  devices: DeviceDetail[]
  reproduce: { engineVersion: string; studioVersion: string; commit?: string; command: string; seeds: number[] }
}

export function buildSweepReport(sweep: ParsedSweep, summaries: ReadonlyMap<number, RunSummary>, meta: { studioVersion: string; commit?: string; createdAt: string }): SweepReport {
  const { rows, missing } = sweepRows(sweep, summaries)
  const selection = selectDevices(rows, sweep.spec.constraints, sweep.profiles)
  const calibration = calibrationByDevice(calibrationPoints(new Map(sweep.profiles.map((p) => [p.id, p]))))
  const verdicts = [...selection.ranked, ...selection.rejected]
  const devices: DeviceDetail[] = sweep.profiles.map((p) => {
    const v = verdicts.find((x) => x.device === p.id)
    const s = v && summaries.get(v.row.training)
    const pr = s?.profiles.find((x) => x.profile === p.id)
    return {
      id: p.id, name: p.name, class: p.class, costModel: p.costModel, sramBytes: p.memory.sram.sizeKiB * 1024,
      label: v?.row.label ?? '—', feasible: v?.row.feasible ?? false,
      memory: s ? { ...s.peakMemory } : Object.fromEntries(MEMORY_CATEGORIES.map((c) => [c, 0])) as MemoryBreakdown,
      byPhase: Object.fromEntries(PHASES.map((ph) => [ph, { cycles: pr?.byPhase[ph].cycles ?? 0, energyPj: pr?.byPhase[ph].energyPj ?? 0 }])) as DeviceDetail['byPhase'],
      byLayer: (pr?.byWork ?? []).slice(0, 10),
      ...(calibration.has(p.id) && { calibration: calibration.get(p.id) }),
      ...(p.energy.basis && { energyBasis: { ...p.energy.basis } }),
      ...(p.calibratedTo && { calibratedTo: { ...p.calibratedTo } }),
      sources: { ...p.sources },
    }
  })
  return {
    title: `Which chip: ${sweep.spec.name}`,
    createdAt: meta.createdAt,
    question: { sweep: sweep.spec, experiment: sweep.base, constraints: sweep.spec.constraints, trials: sweep.trials.length, trainings: sweep.trainings.length, devices: sweep.profiles.map((p) => p.id) },
    recommendation: missing.length ? `Incomplete: ${missing.length} of ${sweep.trainings.length} trainings are missing (merge every shard). ${recommendation(selection)}` : recommendation(selection),
    selection, rows, missing, devices,
    reproduce: {
      engineVersion: ENGINE_VERSION, studioVersion: meta.studioVersion, ...(meta.commit && { commit: meta.commit }),
      command: 'npx lastmile sweep sweep.json --out DIR && npx lastmile report DIR --out DIR/report (sweep.json is question.sweep)',
      seeds: [...new Set(sweep.trials.map((t) => t.seed))],
    },
  }
}
