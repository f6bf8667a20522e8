/**
 * The static-power fit: exact on runs that follow the model (fast-check, fixed seed), the least-squares
 * optimum (no nearby P does better), and the presets that claim a device-measured static power carry the
 * value the fit gives on their own MLPerf Tiny energy runs (recomputed here from the measurements and the
 * model's per-action energies, so a preset edited by hand, or a change to the per-action pricing, shows up).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fitStaticPowerMw, type EnergyRun } from './static-power-fit'
import { MLPERF_TINY_MEASUREMENTS } from './calibration'
import { predictInference } from './predict'
import { presets } from '../hardware/profiles/library'
import { getBuiltinModel, type BuiltinModelName } from '../model/builtin'

const relSq = (runs: EnergyRun[], P: number) => runs.reduce((s, r) => s + ((P * r.latencyMs + r.dynamicUj) / r.energyUj - 1) ** 2, 0)

describe('static power fit', () => {
  it('recovers P exactly when every run is P·t + D', () => {
    fc.assert(fc.property(fc.double({ min: 0.01, max: 500, noNaN: true }), fc.array(fc.record({ t: fc.double({ min: 0.01, max: 500, noNaN: true }), d: fc.double({ min: 0, max: 1e4, noNaN: true }) }), { minLength: 1, maxLength: 6 }), (P, xs) => {
      const runs = xs.map(({ t, d }) => ({ latencyMs: t, dynamicUj: d, energyUj: P * t + d }))
      expect(fitStaticPowerMw(runs)).toBeCloseTo(P, 6)
    }), { numRuns: 200, seed: 1301 })
  })

  it('is the least-squares optimum in relative error', () => {
    const runs = [{ energyUj: 18.561, latencyMs: 0.732, dynamicUj: 14.26 }, { energyUj: 40.8, latencyMs: 1.733, dynamicUj: 49.58 }, { energyUj: 27.71, latencyMs: 0.949, dynamicUj: 21.4 }]
    const P = fitStaticPowerMw(runs)
    for (const d of [-0.1, -0.001, 0.001, 0.1]) expect(relSq(runs, P + d)).toBeGreaterThan(relSq(runs, P))
    expect(fitStaticPowerMw([])).toBeNaN()
  })

  const measured = [...presets().values()].filter((p) => p.energy.basis?.staticMw === 'device-measured')
  it('there are device-measured presets to check', () => expect(measured.length).toBeGreaterThanOrEqual(3))
  it.each(measured.map((p) => [p.id, p] as const))('%s: energy.staticMw is the fit to its own energy runs (to the 3 significant digits it is written with)', (_id, p) => {
    const runs = MLPERF_TINY_MEASUREMENTS.filter((m) => m.device === p.id && typeof m.energyUj === 'number').map((m) => {
      const e = predictInference(getBuiltinModel(m.model as BuiltinModelName), p).cost.energyPj
      return { energyUj: m.energyUj!, latencyMs: m.latencyMs, dynamicUj: (e.compute + e.memory) / 1e6 }
    })
    expect(runs.length).toBeGreaterThanOrEqual(2)
    const P = fitStaticPowerMw(runs)
    expect(Math.abs(p.energy.staticMw - P) / P).toBeLessThan(0.005)
  })
})
