import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { detExp, detLog, normalQuantile, pow2 } from './det-math'

describe('deterministic elementary functions', () => {
  it('detExp agrees with Math.exp to 1e-14 relative over the double range', () => {
    fc.assert(fc.property(fc.double({ min: -700, max: 700, noNaN: true }), (x) => {
      expect(Math.abs(detExp(x) - Math.exp(x)) / Math.exp(x)).toBeLessThan(1e-14)
    }), { numRuns: 5000 })
    expect(detExp(0)).toBe(1)
    expect(detExp(1000)).toBe(Infinity)
    expect(detExp(-1000)).toBe(0)
  })
  it('detLog agrees with Math.log to 1e-15 absolute-or-relative', () => {
    fc.assert(fc.property(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), (x) => {
      const want = Math.log(x)
      expect(Math.abs(detLog(x) - want)).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(want)))
    }), { numRuns: 5000 })
    expect(detLog(1)).toBe(0)
    expect(detLog(0)).toBe(-Infinity)
    expect(detLog(-1)).toBeNaN()
  })
  it('pow2 is exact', () => {
    for (let k = -1074; k <= 1023; k += 7) expect(pow2(k)).toBe(2 ** k)
  })
  it('normalQuantile inverts the normal CDF at known points (Acklam, |rel err| < 1.15e-9)', () => {
    // quantiles from standard tables
    const known: [number, number][] = [[0.5, 0], [0.975, 1.959963984540054], [0.84134474606854293, 1], [0.001, -3.090232306167813], [1e-10, -6.361340902404056]]
    for (const [p, z] of known) expect(Math.abs(normalQuantile(p) - z)).toBeLessThanOrEqual(1.2e-9 * Math.max(1, Math.abs(z)))
  })
})
