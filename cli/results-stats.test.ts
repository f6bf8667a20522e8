// The statistics of `lastmile results` against values worked out by hand.
import { describe, expect, it } from 'vitest'
import { accuracyWithin, costPerStep, meanSd } from './results-stats'
import type { RunSummary } from '../simulators/experiment/runner'

describe('meanSd', () => {
  it('is the mean and the n − 1 standard deviation', () => {
    // 2, 4, 9: mean 5, squared deviations 9 + 1 + 16 = 26, / 2 = 13
    const r = meanSd([2, 4, 9])
    expect(r.mean).toBe(5)
    expect(r.sd).toBeCloseTo(Math.sqrt(13), 12)
    expect(meanSd([0.7])).toEqual({ mean: 0.7, sd: 0 })
    expect(() => meanSd([])).toThrow(/no values/)
  })
})

describe('accuracyWithin', () => {
  const evals: [number, number][] = [[0, 0.5], [50, 0.6], [100, 0.7], [150, 0.75]]
  it('reads the last evaluation whose steps fit in the budget', () => {
    expect(accuracyWithin(evals, 2, 199)).toEqual({ step: 50, accuracy: 0.6 })
    expect(accuracyWithin(evals, 2, 200)).toEqual({ step: 100, accuracy: 0.7 })
    expect(accuracyWithin(evals, 2, 99)).toEqual({ step: 0, accuracy: 0.5 })
  })
  it('stops a run that ends below the budget at its end, and admits its own cost despite rounding', () => {
    expect(accuracyWithin(evals, 2, 1e6)).toEqual({ step: 150, accuracy: 0.75 })
    const perStep = 0.1 + 0.2 // 0.30000000000000004: 150 steps cost a hair more than 45 written as 150·0.3
    expect(accuracyWithin(evals, perStep, 150 * 0.3).step).toBe(150)
  })
  it('needs the zero-shot evaluation first', () => {
    expect(() => accuracyWithin([[50, 0.6]], 1, 100)).toThrow(/step 0/)
  })
})

describe('costPerStep', () => {
  const run = { label: 'r', steps: 4, forwardPasses: 8, profiles: [{ totals: { seconds: 2, energyUj: { total: 10 } } }] } as unknown as RunSummary
  it('divides the run totals by its steps', () => {
    expect(costPerStep(run, 'forward passes')).toBe(2)
    expect(costPerStep(run, 'device time')).toBe(0.5)
    expect(costPerStep(run, 'device energy')).toBe(2.5)
  })
  it('names the run when it cannot be priced', () => {
    expect(() => costPerStep({ ...run, profiles: [] }, 'device time')).toThrow(/r: not priced/)
    expect(() => costPerStep({ ...run, steps: 0 }, 'forward passes')).toThrow(/0 steps/)
  })
})
