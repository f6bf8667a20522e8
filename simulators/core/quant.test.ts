import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { calibrate, chooseParams, dequantize, perChannel, perTensor, quantize, quantizeInto, roundReal } from './quant'
import { intFormat, maxValue, minValue } from './int-format'
import { oracleRound } from '../testing/oracles'

describe('quantization', () => {
  it('roundReal rounds exact doubles like the rational oracle', () => {
    fc.assert(fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: 0, max: 12 }), fc.constantFrom('half-away', 'half-even', 'floor' as const), (n, k, mode) => {
      expect(BigInt(roundReal(n / 2 ** k, mode))).toBe(oracleRound(BigInt(n), 2n ** BigInt(k), mode))
    }), { numRuns: 2000 })
  })

  it('quantize then dequantize is within half a step for in-range values; codes round-trip exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 16 }), fc.boolean(), fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 40 }), (bits, symmetric, xs) => {
      const f = intFormat(bits, true)
      const q = calibrate(xs, [xs.length], f, { symmetric })
      const codes = quantize(xs, [xs.length], f, q)
      const back = dequantize(codes, [xs.length], q)
      const s = q.scales[0]
      xs.forEach((x, i) => expect(Math.abs(back[i] - x)).toBeLessThanOrEqual(s / 2 + 1e-12 * Math.abs(x) + 1e-300))
      expect(Array.from(quantize(back, [xs.length], f, q))).toEqual(Array.from(codes))
    }), { numRuns: 500 })
  })

  it('real zero is exactly representable (asymmetric zero point inside the range)', () => {
    fc.assert(fc.property(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true }), fc.integer({ min: 2, max: 16 }), fc.boolean(), (a, b, bits, signed) => {
      const f = intFormat(bits, signed)
      const p = chooseParams(Math.min(a, b), Math.max(a, b), f, false)
      expect(p.zeroPoint).toBeGreaterThanOrEqual(minValue(f))
      expect(p.zeroPoint).toBeLessThanOrEqual(maxValue(f))
      expect(dequantize([p.zeroPoint], [1], perTensor(p.scale, p.zeroPoint))[0]).toBe(0)
    }), { numRuns: 500 })
  })

  it('per-channel parameters apply along their axis and count clipped values', () => {
    const f = intFormat(8, true)
    const q = perChannel([1, 0.5], [0, 10], 1)
    const out = new Int32Array(4)
    const clipped = quantizeInto([1, 1, 200, -200], [2, 2], f, q, out)
    expect(Array.from(out)).toEqual([1, 12, 127, -128])
    expect(clipped).toBe(2)
    expect(Array.from(dequantize(out, [2, 2], q))).toEqual([1, 1, 127, -69])
  })

  it('per-channel calibration gives each channel its own symmetric scale', () => {
    const q = calibrate([1, -4, 0.5, 2], [2, 2], intFormat(8, true), { symmetric: true, axis: 0 })
    expect(Array.from(q.scales)).toEqual([4 / 127, 2 / 127])
    expect(Array.from(q.zeroPoints)).toEqual([0, 0])
  })
})
