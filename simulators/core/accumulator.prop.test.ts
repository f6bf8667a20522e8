import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { accumulatorFormat, fitAccumulator, fitAccumulatorBig, ACCUMULATOR_BITS } from './accumulator'
import { saturate, wrapBits, intFormat, minValue, maxValue } from './int-format'
import { newWork } from './work'

describe('accumulator overflow at the boundaries', () => {
  for (const bits of ACCUMULATOR_BITS) {
    const hi = 2n ** BigInt(bits - 1) - 1n
    const lo = -(2n ** BigInt(bits - 1))
    it(`${bits}-bit saturation clamps to [−2^${bits - 1}, 2^${bits - 1}−1] and counts`, () => {
      const f = accumulatorFormat(bits, 'saturate')
      for (const d of [-2n, -1n, 0n, 1n, 2n]) {
        for (const edge of [hi, lo]) {
          const v = edge + d
          const work = newWork()
          const want = v > hi ? hi : v < lo ? lo : v
          expect(fitAccumulatorBig(v, f, work)).toBe(want)
          expect(work.accSaturations).toBe(want === v ? 0 : 1)
          if (bits <= 48) expect(BigInt(fitAccumulator(Number(v), f, newWork()))).toBe(want)
        }
      }
    })
    it(`${bits}-bit wrap is two's complement (BigInt.asIntN) and counts`, () => {
      const f = accumulatorFormat(bits, 'wrap')
      fc.assert(fc.property(fc.bigInt({ min: lo * 4n, max: hi * 4n }), (v) => {
        const work = newWork()
        expect(fitAccumulatorBig(v, f, work)).toBe(BigInt.asIntN(bits, v))
        expect(work.accWraps).toBe(v > hi || v < lo ? 1 : 0)
        if (bits <= 48) expect(BigInt(fitAccumulator(Number(v), f, newWork()))).toBe(BigInt.asIntN(bits, v))
      }), { numRuns: 500 })
    })
  }

  it('rejects accumulator widths hardware does not have, naming the field', () => {
    expect(() => accumulatorFormat(33, 'wrap', 'profile.accumulator')).toThrow(/profile\.accumulator\.bits must be one of 16, 24, 32, 40, 48, 64, got 33/)
  })
})

describe('integer formats', () => {
  it('ranges follow the definitions for 2..32 bits', () => {
    for (let b = 2; b <= 32; b++) {
      expect(minValue(intFormat(b, true))).toBe(-(2 ** (b - 1)))
      expect(maxValue(intFormat(b, true))).toBe(2 ** (b - 1) - 1)
      expect(minValue(intFormat(b, false))).toBe(0)
      expect(maxValue(intFormat(b, false))).toBe(2 ** b - 1)
    }
    expect(() => intFormat(1, true, 'weights')).toThrow(/weights\.bits must be an integer from 2 to 32/)
  })
  it('saturate and wrapBits agree with BigInt definitions', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 32 }), fc.boolean(), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (b, signed, v) => {
      const f = intFormat(b, signed)
      expect(saturate(v, f)).toBe(Math.min(maxValue(f), Math.max(minValue(f), v)))
      const w = signed ? BigInt.asIntN(b, BigInt(v)) : BigInt.asUintN(b, BigInt(v))
      expect(BigInt(wrapBits(v, b, signed))).toBe(w)
    }), { numRuns: 2000 })
  })
})
