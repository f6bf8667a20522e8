import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { lrFactor, perLayerFactors, type StepSchedule } from './step-size'

const base: StepSchedule = { lrDecay: 'none', lrDecaySteps: 0, lrDecayFactor: 0.5, lrDecayFloor: 0 }

describe('step-size schedules', () => {
  // expected values are closed forms (cos(π/4) = √2/2, cos(π/3) = 1/2), not a re-run of the formula
  it('cosine: 1 at the start, (1 + √2/2)/2 at T/4, ½ at T/2, the floor from T on', () => {
    const s = { ...base, lrDecay: 'cosine' as const, lrDecaySteps: 100 }
    expect(lrFactor(s, 0, undefined)).toBe(1)
    expect(lrFactor(s, 25, undefined)).toBeCloseTo((1 + Math.SQRT2 / 2) / 2, 12)
    expect(lrFactor(s, 50, undefined)).toBeCloseTo(0.5, 12)
    expect(lrFactor(s, 100, undefined)).toBeCloseTo(0, 12)
    expect(lrFactor(s, 250, undefined)).toBeCloseTo(0, 12)
    // floor 0.1: 0.1 + 0.9·¾ at T/3
    expect(lrFactor({ ...s, lrDecayFloor: 0.1 }, 100 / 3, undefined)).toBeCloseTo(0.1 + 0.9 * 0.75, 12)
    expect(lrFactor({ ...s, lrDecayFloor: 0.1 }, 400, undefined)).toBeCloseTo(0.1, 12)
  })

  it('step: ×γ every T steps (γ = 0.5, T = 10: 1 up to step 9, ½ at 10, ⅛ at 35)', () => {
    const s = { ...base, lrDecay: 'step' as const, lrDecaySteps: 10 }
    expect([0, 9, 10, 19, 20, 35].map((t) => lrFactor(s, t, undefined))).toEqual([1, 1, 0.5, 0.5, 0.25, 0.125])
  })

  it('inverse-sqrt: 1 at the start, ½ at 3T, ⅓ at 8T', () => {
    const s = { ...base, lrDecay: 'inverse-sqrt' as const, lrDecaySteps: 40 }
    expect(lrFactor(s, 0, undefined)).toBe(1)
    expect(lrFactor(s, 120, undefined)).toBeCloseTo(0.5, 12)
    expect(lrFactor(s, 320, undefined)).toBeCloseTo(1 / 3, 12)
  })

  it('T = 0 takes the run\'s step count, and says which field when that is unknown', () => {
    const s = { ...base, lrDecay: 'cosine' as const }
    expect(lrFactor(s, 60, 120)).toBeCloseTo(0.5, 12)
    expect(() => lrFactor(s, 0, undefined)).toThrow(/lrDecaySteps/)
    expect(lrFactor(base, 1e6, undefined)).toBe(1)
  })

  it('every schedule stays in [floor, 1] and never grows (fast-check, seed 1311)', () => {
    fc.assert(fc.property(
      fc.constantFrom('cosine', 'step', 'inverse-sqrt'), fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 20000 }),
      (kind, T, gamma, floor, t) => {
        const s: StepSchedule = { lrDecay: kind as StepSchedule['lrDecay'], lrDecaySteps: T, lrDecayFactor: gamma, lrDecayFloor: floor }
        const a = lrFactor(s, t, undefined), b = lrFactor(s, t + 1, undefined)
        const lo = kind === 'cosine' ? floor : 0
        return a <= 1 + 1e-12 && a >= lo - 1e-12 && b <= a + 1e-12
      }), { seed: 1311, numRuns: 500 })
  })

  it('per-layer factors: the head\'s mean scale over each channel\'s scale', () => {
    const f = perLayerFactors([[0.02, 0.04], [0.001]], [0.001, 0.003])
    expect(Array.from(f[0])).toEqual([0.1, 0.05])
    expect(Array.from(f[1])).toEqual([2])
  })
})
