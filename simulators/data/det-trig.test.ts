import { describe, expect, test } from 'vitest'
import fc from 'fast-check'
import { detCos, detSin } from './det-trig'

describe('deterministic sin/cos', () => {
  test('match Math.sin/cos to 1e-14 on a grid and at multiples of π/4', () => {
    const xs: number[] = []
    for (let i = -4000; i <= 4000; i++) xs.push(i * 0.0123456789)
    for (let k = -16; k <= 16; k++) xs.push((k * Math.PI) / 4)
    for (const x of xs) {
      expect(Math.abs(detSin(x) - Math.sin(x))).toBeLessThanOrEqual(1e-14)
      expect(Math.abs(detCos(x) - Math.cos(x))).toBeLessThanOrEqual(1e-14)
    }
  })

  test('match Math.sin/cos to 1e-14 for random arguments up to 1e4', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e4, max: 1e4, noNaN: true }), (x) => {
        expect(Math.abs(detSin(x) - Math.sin(x))).toBeLessThanOrEqual(1e-14)
        expect(Math.abs(detCos(x) - Math.cos(x))).toBeLessThanOrEqual(1e-14)
      }),
      { numRuns: 5000 },
    )
  })

  test('exact at 0 and odd/even symmetric', () => {
    expect(detSin(0)).toBe(0)
    expect(detCos(0)).toBe(1)
    for (const x of [0.1, 0.7, 1.3, 2.9, 10]) {
      expect(detSin(-x)).toBe(-detSin(x))
      expect(detCos(-x)).toBe(detCos(x))
    }
  })

  test('rejects arguments it cannot reduce accurately', () => {
    expect(() => detSin(1e6)).toThrow(RangeError)
    expect(() => detCos(NaN)).toThrow(RangeError)
  })
})
