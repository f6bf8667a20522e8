/**
 * How far the studio's cost model is from public measurements, per preset: every MLPerf Tiny measurement
 * on a device with a preset (hardware/profiles/calibration/mlperf-tiny.json) against the prediction of
 * one inference of the same model (predict.ts). `lastmile calibrate` tabulates it (docs/calibration.md);
 * a device-selection report quotes each device's error next to its figures.
 */
import measurements from '../hardware/profiles/calibration/mlperf-tiny.json' with { type: 'json' }
import type { HardwareProfile } from '../hardware/profiles/profile'
import { getBuiltinModel, type BuiltinModelName } from '../model/builtin'
import { predictInference } from './predict'

export interface Measurement { device: string; model: string; latencyMs: number; energyUj: number | null; submitter: string; round: string; source: string; clockMHz?: number; software?: string }

export interface CalibrationPoint {
  measurement: Measurement
  predictedMs: number
  predictedUj: number
  /** predicted / measured − 1 */
  latencyError: number
  energyError?: number
}

export const MLPERF_TINY_MEASUREMENTS = measurements as Measurement[]

/** Every measurement on one of `profiles`, with the prediction and its errors. */
export function calibrationPoints(profiles: ReadonlyMap<string, HardwareProfile>, list: readonly Measurement[] = MLPERF_TINY_MEASUREMENTS): CalibrationPoint[] {
  return list.flatMap((m) => {
    const profile = profiles.get(m.device)
    if (!profile) return []
    const pred = predictInference(getBuiltinModel(m.model as BuiltinModelName), profile)
    const predictedMs = pred.cost.seconds * 1e3
    const predictedUj = pred.cost.energyPj.total / 1e6
    return [{ measurement: m, predictedMs, predictedUj, latencyError: predictedMs / m.latencyMs - 1, ...(m.energyUj ? { energyError: predictedUj / m.energyUj - 1 } : {}) }]
  })
}

/** Per device: how many measurements, and the median absolute latency and energy errors; none: not calibrated. */
export function calibrationByDevice(points: readonly CalibrationPoint[]): Map<string, { measurements: number; medianLatencyError: number; medianEnergyError?: number }> {
  const median = (xs: number[]) => { const s = xs.map(Math.abs).sort((a, b) => a - b); return s[Math.floor(s.length / 2)] }
  const by = new Map<string, CalibrationPoint[]>()
  for (const p of points) by.set(p.measurement.device, [...(by.get(p.measurement.device) ?? []), p])
  return new Map([...by].map(([id, ps]) => {
    const energy = ps.flatMap((p) => (p.energyError === undefined ? [] : [p.energyError]))
    return [id, { measurements: ps.length, medianLatencyError: median(ps.map((p) => p.latencyError)), ...(energy.length ? { medianEnergyError: median(energy) } : {}) }]
  }))
}
