/**
 * The static power of a device-measured preset, fitted to the device's MLPerf Tiny energy runs. The cost
 * model prices a run's energy as static power × time + the per-action energies D (MACs, element-wise
 * operations, memory bytes; pricing.ts). A measured run gives its energy E and latency t, and the model
 * gives D for the same inference, so the one free constant is the static power P:
 *   minimise Σ ((P·t + D) / E − 1)²   (least squares in relative error: a 30 µJ run counts as much as a 17 mJ one)
 *   ⇒  P = Σ (t/E)(1 − D/E) / Σ (t/E)²
 * Units: µJ / ms = mW. Evaluated at the measured latency, so the fit does not absorb the latency model's
 * error. The presets' `energy.staticMw` sources quote the result; static-power-fit.test.ts recomputes it.
 */
export interface EnergyRun {
  /** measured energy per inference, µJ */
  energyUj: number
  /** measured latency, ms */
  latencyMs: number
  /** the model's per-action energy of the same inference, µJ */
  dynamicUj: number
}

/** The least-squares static power in mW; NaN without runs. May be negative: per-action energies above the measurement. */
export function fitStaticPowerMw(runs: readonly EnergyRun[]): number {
  let num = 0
  let den = 0
  for (const r of runs) {
    const x = r.latencyMs / r.energyUj
    num += x * (1 - r.dynamicUj / r.energyUj)
    den += x * x
  }
  return runs.length ? num / den : Number.NaN
}
