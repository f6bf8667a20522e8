import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mulShiftRound, mulShiftRoundBig, roundDiv, roundDivBig, type UniformSource } from './rounding'
import { applyMultiplier, quantizeMultiplier, multiplierValue, requantizeFixed, gemmlowpMultiply } from './requantize'
import { newWork } from './work'
import { intFormat } from './int-format'
import { oracleRound, oracleStochastic } from '../testing/oracles'
import { deterministicModes } from '../testing/arbitraries'

const RUNS = { numRuns: 3000 }

/** A UniformSource that replays fixed draws and records how many were taken. */
function replay(draws: number[]): UniformSource & { taken: number } {
  return { taken: 0, next() { return draws[this.taken++ % draws.length] } }
}

describe('exact rounding against a BigInt rational oracle', () => {
  it('roundDiv(n, d) equals the correctly rounded n/d for every deterministic mode', () => {
    fc.assert(fc.property(
      fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), fc.integer({ min: 1, max: 2 ** 40 }), deterministicModes,
      (n, d, mode) => { expect(BigInt(roundDiv(n, d, mode))).toBe(oracleRound(BigInt(n), BigInt(d), mode)) },
    ), RUNS)
  })

  it('ties are resolved as each mode says (values constructed to sit exactly on .5)', () => {
    fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 1, max: 20 }), deterministicModes, (q, k, mode) => {
      const d = 2 ** k
      const n = q * d + d / 2 // exactly q + 1/2
      expect(BigInt(roundDiv(n, d, mode))).toBe(oracleRound(BigInt(n), BigInt(d), mode))
      expect(BigInt(mulShiftRound(n, 1, k, mode))).toBe(oracleRound(BigInt(n), BigInt(d), mode))
    }), RUNS)
  })

  it('mulShiftRound(x, m, s) equals round(x·m / 2^s) over the full int32 × 31-bit range', () => {
    fc.assert(fc.property(
      fc.integer({ min: -(2 ** 32) + 1, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 52 }), deterministicModes,
      (x, m, s, mode) => {
        const exact = oracleRound(BigInt(x) * BigInt(m), 2n ** BigInt(s), mode)
        const got = mulShiftRound(x, m, s, mode)
        // when the exact result is beyond 2^53 the double can only be approximate; callers saturate it
        if (exact > 2n ** 53n || exact < -(2n ** 53n)) expect(Math.sign(got)).toBe(Number(exact > 0n) - Number(exact < 0n))
        else expect(BigInt(got)).toBe(exact)
      },
    ), RUNS)
  })

  it('stochastic rounding equals the oracle for the same 32-bit draws, in both Number and BigInt paths', () => {
    fc.assert(fc.property(
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 10, max: 40 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), // s >= 10 keeps results below 2^53
      (x, m, s, u) => {
        const want = oracleStochastic(BigInt(x) * BigInt(m), 2n ** BigInt(s), u)
        expect(BigInt(mulShiftRound(x, m, s, 'stochastic', replay([u])))).toBe(want)
        expect(mulShiftRoundBig(BigInt(x), BigInt(m), s, 'stochastic', replay([u]))).toBe(want)
      },
    ), RUNS)
  })

  it('stochastic rounding of n/d by roundDiv matches the oracle for small divisors', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 1, max: 2 ** 20 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n, d, u) => {
      expect(BigInt(roundDiv(n, d, 'stochastic', replay([u])))).toBe(oracleStochastic(BigInt(n), BigInt(d), u))
      expect(roundDivBig(BigInt(n), BigInt(d), 'stochastic', replay([u]))).toBe(oracleStochastic(BigInt(n), BigInt(d), u))
    }), RUNS)
  })

  it('stochastic rounding rounds up with probability exactly r/d: a draw equal to r/d stays down', () => {
    // value 5/4: r/d = 1/4; u = 2^30 is exactly 1/4 of 2^32, so it must not round up; u = 2^30 − 1 must
    expect(mulShiftRound(5, 1, 2, 'stochastic', replay([2 ** 30]))).toBe(1)
    expect(mulShiftRound(5, 1, 2, 'stochastic', replay([2 ** 30 - 1]))).toBe(2)
    expect(roundDiv(5, 4, 'stochastic', replay([2 ** 30]))).toBe(1)
    expect(roundDiv(5, 4, 'stochastic', replay([2 ** 30 - 1]))).toBe(2)
    expect(roundDivBig(5n, 4n, 'stochastic', replay([2 ** 30]))).toBe(1n)
  })

  it('stochastic rounding is unbiased on average', () => {
    // 0.3 of an LSB: the mean over many draws must be close to 0.3
    let state = 12345
    const lcg: UniformSource = { next: () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) }
    let sum = 0
    const n = 20000
    for (let i = 0; i < n; i++) sum += roundDiv(3, 10, 'stochastic', lcg)
    expect(sum / n).toBeGreaterThan(0.28)
    expect(sum / n).toBeLessThan(0.32)
  })
})

describe('fixed-point requantization', () => {
  it('applyMultiplier equals round(acc · M · 2^(shift−31)) exactly, for 32- to 48-bit accumulators', () => {
    fc.assert(fc.property(
      fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 47), max: 2 ** 47 - 1 })),
      fc.integer({ min: 2 ** 30, max: 2 ** 31 - 1 }), fc.integer({ min: -40, max: 8 }), deterministicModes,
      (acc, multiplier, shift, mode) => {
        const s = 31 - shift
        const exact = s >= 0
          ? oracleRound(BigInt(acc) * BigInt(multiplier), 2n ** BigInt(s), mode)
          : BigInt(acc) * BigInt(multiplier) * 2n ** BigInt(-s)
        const got = applyMultiplier(acc, { multiplier, shift }, mode)
        const lim = 2n ** 53n
        if (exact > lim || exact < -lim) expect(Math.abs(got)).toBeGreaterThanOrEqual(2 ** 53)
        else expect(BigInt(got)).toBe(exact)
      },
    ), RUNS)
  })

  it('requantizeFixed saturates into the output format and counts every clipped value', () => {
    fc.assert(fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -128, max: 127 }), deterministicModes, (acc, zp, mode) => {
      const q = quantizeMultiplier(0.0123)
      const work = newWork()
      const fmt = intFormat(8, true)
      const y = requantizeFixed(acc, q, zp, fmt, mode, work)
      const exact = Number(oracleRound(BigInt(acc) * BigInt(q.multiplier), 2n ** BigInt(31 - q.shift), mode)) + zp
      expect(y).toBe(Math.min(127, Math.max(-128, exact)))
      expect(work.clipped).toBe(exact > 127 || exact < -128 ? 1 : 0)
      expect(work.requantizations).toBe(1)
    }), RUNS)
  })

  it('quantizeMultiplier represents the real multiplier to within 2^-31 relative, with M in [2^30, 2^31)', () => {
    fc.assert(fc.property(fc.double({ min: 1e-9, max: 1e4, noNaN: true }), (real) => {
      const q = quantizeMultiplier(real)
      expect(q.multiplier).toBeGreaterThanOrEqual(2 ** 30)
      expect(q.multiplier).toBeLessThan(2 ** 31)
      expect(Math.abs(multiplierValue(q) - real) / real).toBeLessThanOrEqual(2 ** -31)
    }), RUNS)
  })

  it('gemmlowpMultiply reproduces TFLite double rounding (hand-checked cases)', () => {
    // M = 2^30 (0.5), shift 0: SRDHM(x, 2^30) = round_half_away(x/2); then no shift
    expect(gemmlowpMultiply(3, { multiplier: 2 ** 30, shift: 0 })).toBe(2)
    expect(gemmlowpMultiply(-3, { multiplier: 2 ** 30, shift: 0 })).toBe(-1) // nudge (1−2^30) rounds −1.5 toward +∞ in the high mul
    // shift −1 (0.25): SRDHM(5, 2^30) = 3 (2.5 → 3), then RoundingDivideByPOT(3, 1) = 2 (1.5 → 2): double rounding gives 2,
    // single rounding of 5/4 = 1.25 gives 1 — the documented one-LSB difference
    expect(gemmlowpMultiply(5, { multiplier: 2 ** 30, shift: -1 })).toBe(2)
    expect(applyMultiplier(5, { multiplier: 2 ** 30, shift: -1 }, 'half-away')).toBe(1)
  })
})
