/**
 * Out-of-sample calibration error. For each device the studio refits one constant, a multiplicative
 * correction k of the preset's predicted latency (or energy), on all of that device's measurements except
 * the held-out ones, and predicts the held-out measurement as k · predicted. k minimises the squared error in
 * log space, so it is the geometric mean of measured / predicted over the training points (a least-squares
 * fit of log(measured) = log(k) + log(predicted)). Two hold-out rules: one measurement, or every measurement
 * of the same model on the device (the Krai and Plumerai rows of one model on one chip leave together).
 *
 * Why a correction and not the presets' own constants: those were fitted by hand to all the measurements
 * (see each preset's "fitted:" sources), so a hand fit cannot be repeated per held-out point. The correction
 * shows how much of the in-sample agreement survives when the point being predicted did not take part.
 */
import type { CalibrationPoint } from './calibration'
import { fitStaticPowerMw } from './static-power-fit'

export interface FitPoint { device: string; model: string; predicted: number; measured: number }

/** The k minimising Σ (log measured − log k·predicted)²; NaN for no points. */
export function fitScale(points: readonly FitPoint[]): number {
  if (points.length === 0) return Number.NaN
  return Math.exp(points.reduce((s, p) => s + Math.log(p.measured / p.predicted), 0) / points.length)
}

export type HoldOut = 'measurement' | 'model'

/**
 * For each point: predicted / measured − 1 after the correction, fitted in-sample (on every point of its
 * device, itself included) or leave-one-out (`holdOut`: without it, or without every point of its model);
 * NaN where no training point is left.
 */
export function correctedErrors(points: readonly FitPoint[], holdOut: HoldOut | 'none'): number[] {
  return points.map((p, i) => {
    const train = points.filter((q, j) => q.device === p.device && (holdOut === 'none' ? true : holdOut === 'measurement' ? j !== i : q.model !== p.model))
    return (fitScale(train) * p.predicted) / p.measured - 1
  })
}

/** Latency and (where measured) energy points of a calibration, for correctedErrors. */
export function fitPoints(points: readonly CalibrationPoint[]): { latency: FitPoint[]; energy: FitPoint[] } {
  const at = (p: CalibrationPoint, predicted: number, measured: number) => ({ device: p.measurement.device, model: p.measurement.model, predicted, measured })
  return {
    latency: points.map((p) => at(p, p.predictedMs, p.measurement.latencyMs)),
    energy: points.flatMap((p) => (p.measurement.energyUj ? [at(p, p.predictedUj, p.measurement.energyUj)] : [])),
  }
}

/** Median absolute value of the finite entries; NaN when there are none. */
export function medianAbs(xs: readonly number[]): number {
  const s = xs.filter(Number.isFinite).map(Math.abs).sort((a, b) => a - b)
  return s.length ? s[Math.floor(s.length / 2)] : Number.NaN
}

/**
 * Leave-one-out for the fitted static power itself (presets whose energy.basis.staticMw is
 * "device-measured", fitted by static-power-fit.ts to every energy run of the device): refit the static
 * power P without the held-out run (or without every run of its model) and predict that run as
 * P · predicted latency + the model's per-action energy. The per-action energy of a run is what the
 * prediction holds besides the preset's own static term: D = predicted µJ − staticMw · predicted ms.
 * Returns, per energy point of such a device, predicted / measured − 1 (NaN: nothing left to fit on).
 */
export function staticPowerLooErrors(points: readonly CalibrationPoint[], staticMwOf: (device: string) => number | undefined, holdOut: HoldOut): { device: string; error: number }[] {
  const runs = points.flatMap((p) => {
    const mw = staticMwOf(p.measurement.device)
    const measured = p.measurement.energyUj
    if (mw === undefined || !measured) return []
    return [{ device: p.measurement.device, model: p.measurement.model, energyUj: measured, latencyMs: p.measurement.latencyMs, predictedMs: p.predictedMs, dynamicUj: p.predictedUj - mw * p.predictedMs }]
  })
  return runs.map((r, i) => {
    const train = runs.filter((q, j) => q.device === r.device && (holdOut === 'measurement' ? j !== i : q.model !== r.model))
    return { device: r.device, error: (fitStaticPowerMw(train) * r.predictedMs + r.dynamicUj) / r.energyUj - 1 }
  })
}
