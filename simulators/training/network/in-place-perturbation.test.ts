import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { InPlacePerturbation } from './in-place-perturbation'

// int8 codes: the format's limits are −128 and 127 (two's complement)
const LO = -128, HI = 127

describe('in-place perturbation', () => {
  it('restores every code exactly after +K, −2K, +K back, saturation included (BigInt reference for the clamp)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: LO, max: HI }), { minLength: 1, maxLength: 64 }), fc.array(fc.integer({ min: -300, max: 300 }), { minLength: 64, maxLength: 64 }), (codes, ks) => {
        const data = Int32Array.from(codes)
        const p = new InPlacePerturbation([{ data, lo: LO, hi: HI }])
        const up = (j: number) => ks[j], down = (j: number) => -ks[j]
        p.move(0, () => 0, up)
        // while perturbed, each code is the exactly clamped w + K (BigInt: no float rounding)
        codes.forEach((w, j) => {
          const t = BigInt(w) + BigInt(ks[j])
          expect(BigInt(data[j])).toBe(t < BigInt(LO) ? BigInt(LO) : t > BigInt(HI) ? BigInt(HI) : t)
        })
        p.move(0, up, down)
        codes.forEach((w, j) => {
          const t = BigInt(w) - BigInt(ks[j])
          expect(BigInt(data[j])).toBe(t < BigInt(LO) ? BigInt(LO) : t > BigInt(HI) ? BigInt(HI) : t)
        })
        p.restore(0, down)
        expect(Array.from(data)).toEqual(codes)
        expect(p.entries()).toBe(0)
      }),
      { seed: 1307, numRuns: 500 },
    )
  })

  it('shift (K and base evaluated once per element) gives the codes of move, state by state, and restores exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: LO, max: HI }), { minLength: 1, maxLength: 64 }), fc.array(fc.integer({ min: -300, max: 300 }), { minLength: 64, maxLength: 64 }), fc.option(fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 64, maxLength: 64 })), (codes, ks, bs) => {
        const a = Int32Array.from(codes), b = Int32Array.from(codes)
        const byMove = new InPlacePerturbation([{ data: a, lo: LO, hi: HI }])
        const byShift = new InPlacePerturbation([{ data: b, lo: LO, hi: HI }])
        const base = bs ? (j: number) => bs[j] : undefined
        // the offsets as zo-spsa formed them before shift existed: base + sign·K
        const at = (sign: number) => (j: number) => (base ? base(j) : 0) + sign * ks[j]
        const k = (j: number) => ks[j]
        byMove.move(0, () => 0, at(1)); byShift.shift(0, k, 0, 1, base)
        expect(Array.from(b)).toEqual(Array.from(a))
        byMove.move(0, at(1), at(-1)); byShift.shift(0, k, 1, -1, base)
        expect(Array.from(b)).toEqual(Array.from(a))
        expect(byShift.entries()).toBe(byMove.entries())
        byMove.restore(0, at(-1)); byShift.shift(0, k, -1, 0, base)
        expect(Array.from(b)).toEqual(codes)
        expect(byShift.entries()).toBe(0)
        expect(byShift.peakLogBytes()).toBe(byMove.peakLogBytes())
      }),
      { seed: 1308, numRuns: 500 },
    )
  })

  it('logs only the clamped elements (the naive sequence would not restore them)', () => {
    const data = Int32Array.from([126, 0, -127])
    const p = new InPlacePerturbation([{ data, lo: LO, hi: HI }])
    const k = [3, 3, -3]
    p.move(0, () => 0, (j) => k[j])
    expect(Array.from(data)).toEqual([127, 3, -128])
    expect(p.entries()).toBe(2) // 126 + 3 and −127 − 3 clamp; 0 + 3 does not
    p.move(0, (j) => k[j], (j) => -k[j])
    p.restore(0, (j) => -k[j])
    expect(Array.from(data)).toEqual([126, 0, -127])
    // naive saturating +3, −6, +3 on 126 ends at 124, which is why the log exists
    const naive = Math.min(HI, Math.max(LO, Math.min(HI, Math.max(LO, Math.min(HI, 126 + 3) - 6)) + 3))
    expect(naive).toBe(124)
    expect(p.peakLogBytes()).toBe(16)
  })
})
