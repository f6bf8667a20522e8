import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { computeSlice, filterNormalisedDirection, projectOffsets, projectTrajectory, realWeights, updateDirection, validateGrid, type LandscapeTensor, type RealVector } from './landscape'

const RUNS = { numRuns: 200, seed: 1312 }

/**
 * A tiny linear model y = W·x with 2 output channels, 3 inputs; 8-bit symmetric weights, per-channel scales.
 * Scales are powers of two so every grid weight is an exact dyadic rational and the BigInt oracle is exact.
 */
const W: LandscapeTensor = { name: 'dense.w', codes: [10, -20, 30, 5, 0, -7], scales: [2 ** -7, 2 ** -6], zeroPoints: [0, 0], qmin: -127, qmax: 127 }
const X = [[1, 0.5, -1], [0.25, -2, 1], [0, 1, 1]]
const T = [[0.1, -0.2], [0.3, 0], [-0.1, 0.05]]

/** Mean squared error of the linear model on the fixed batch, from codes — the loss the engine is given. */
function mse(codes: Int32Array[]): number {
  const w = realWeights([W], codes)[0]
  let s = 0
  for (let n = 0; n < X.length; n++) for (let o = 0; o < 2; o++) {
    let y = 0
    for (let k = 0; k < 3; k++) y += w[o * 3 + k] * X[n][k]
    s += (y - T[n][o]) ** 2
  }
  return s / (X.length * 2)
}

/** Independent half-away rounding via BigInt on a scaled exact rational (inputs are multiples of 2^-20 here). */
function halfAwayExact(num: number, den: number): number {
  const S = 2 ** 20
  const n = BigInt(Math.round(num * S)) // num is a multiple of 2^-20 by construction → exact
  const d = BigInt(Math.round(den * S))
  const sign = n < 0n ? -1n : 1n
  const m = sign * n
  const q = (2n * m + d) / (2n * d) // floor(m/d + 1/2) for m ≥ 0: half-away on magnitude
  return Number(sign * q)
}

describe('loss landscape slice', () => {
  it('equals a direct computation on a tiny linear model (requantized weights, half-away)', () => {
    // directions in multiples of 2^-8; d1[1] = one code, so a = ±0.5 lands on a tie (−20 ± 0.5: half-away gives
    // −21 and −20 where half-even would give −20 twice)
    const d1: RealVector = [Float64Array.from([0.0625, 2 ** -7, -0.125, 0.25, 0.5, 0])]
    const d2: RealVector = [Float64Array.from([0, 0.03125, 0.0625, -0.25, 0, 0.125])]
    const grid = { aRange: [-1, 1] as [number, number], bRange: [-0.5, 0.5] as [number, number], aPoints: 5, bPoints: 3 }
    const s = computeSlice([W], d1, d2, grid, mse)
    expect(s.a).toEqual([-1, -0.5, 0, 0.5, 1])
    expect(s.b).toEqual([-0.5, 0, 0.5])
    for (let j = 0; j < 3; j++) for (let i = 0; i < 5; i++) {
      const codes = Array.from(W.codes, (c, k) => {
        const sc = W.scales[Math.floor(k / 3)]
        // w0 + a·d1 + b·d2 in units of 2^-20, exactly
        const real = c * sc + s.a[i] * d1[0][k] + s.b[j] * d2[0][k]
        return Math.max(-127, Math.min(127, halfAwayExact(real, sc)))
      })
      expect(s.loss[j][i]).toBe(mse([Int32Array.from(codes)]))
    }
    // the centre is w0 exactly
    expect(s.loss[1][2]).toBe(mse([Int32Array.from(W.codes)]))
  })

  it('counts grid points whose weights clip and reports progress per row', () => {
    const big: RealVector = [new Float64Array(6).fill(10)]
    const zero: RealVector = [new Float64Array(6)]
    const seen: number[] = []
    const s = computeSlice([W], big, zero, { aRange: [0, 1], bRange: [0, 1], aPoints: 2, bPoints: 2 }, mse, (p) => seen.push(p.done))
    expect(s.clippedPoints).toBe(2) // the a = 1 column: 10 / 2^-7 = 1280 codes > 127
    expect(seen).toEqual([2, 4])
  })

  it('stops when cancelled', () => {
    const d: RealVector = [new Float64Array(6).fill(0.01)]
    let calls = 0
    expect(() => computeSlice([W], d, d, { aRange: [0, 1], bRange: [0, 1], aPoints: 3, bPoints: 3 }, mse, undefined, () => ++calls > 4)).toThrow('cancelled')
  })

  it('rejects bad grids and vectors naming the field', () => {
    expect(() => validateGrid({ aRange: [1, 0], bRange: [0, 1], aPoints: 3, bPoints: 3 })).toThrow(/grid.aRange/)
    expect(() => validateGrid({ aRange: [0, 1], bRange: [0, 1], aPoints: 3, bPoints: 52 })).toThrow(/grid.bPoints.*\[2, 51\]/)
    expect(() => validateGrid({ aRange: [0, 1], bRange: [0, 1], aPoints: 1.5, bPoints: 3 })).toThrow(/grid.aPoints/)
    const d: RealVector = [new Float64Array(5)]
    expect(() => computeSlice([W], d, d, { aRange: [0, 1], bRange: [0, 1], aPoints: 2, bPoints: 2 }, mse)).toThrow(/d1\[0\] \(dense.w\): expected 6/)
    expect(() => computeSlice([{ ...W, scales: [0.01, 0] }], [new Float64Array(6)], [new Float64Array(6)], { aRange: [0, 1], bRange: [0, 1], aPoints: 2, bPoints: 2 }, mse)).toThrow(/dense.w.scales\[1\]/)
  })
})

describe('projection onto span(d1, d2)', () => {
  const vec = (n: number) => fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: n, maxLength: n }).map((a) => [Float64Array.from(a, (v) => v / 64)])

  it('recovers the coordinates of a point in the plane, with zero residual', () => {
    fc.assert(fc.property(vec(6), vec(6), fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }), (d1, d2, p, q) => {
      const g11 = d1[0].reduce((s, v) => s + v * v, 0)
      const g22 = d2[0].reduce((s, v) => s + v * v, 0)
      const g12 = d1[0].reduce((s, v, k) => s + v * d2[0][k], 0)
      fc.pre(g11 > 0 && g22 > 0 && g11 * g22 - g12 * g12 > 1e-6 * g11 * g22)
      const a = p / 8
      const b = q / 8
      const x: RealVector = [d1[0].map((v, k) => a * v + b * d2[0][k])]
      const [pt] = projectOffsets(d1, d2, [{ step: 3, x }])
      expect(pt.step).toBe(3)
      expect(pt.a).toBeCloseTo(a, 6)
      expect(pt.b).toBeCloseTo(b, 6)
      expect(pt.residual).toBeLessThan(1e-6 * (1 + pt.norm))
    }), RUNS)
  })

  it('reports the out-of-plane part as the residual', () => {
    const d1: RealVector = [Float64Array.from([1, 0, 0])]
    const d2: RealVector = [Float64Array.from([1, 1, 0])]
    const [pt] = projectOffsets(d1, d2, [{ step: 0, x: [Float64Array.from([2, 3, 4])] }])
    expect(pt.a).toBeCloseTo(-1, 12)
    expect(pt.b).toBeCloseTo(3, 12)
    expect(pt.residual).toBeCloseTo(4, 12)
    expect(pt.norm).toBeCloseTo(Math.sqrt(29), 12)
  })

  it('rejects parallel directions', () => {
    const d: RealVector = [Float64Array.from([1, 2])]
    expect(() => projectOffsets(d, [Float64Array.from([2, 4])], [])).toThrow(/not parallel/)
  })

  it('projects a run whose end point is the d1 direction to (1, 0)', () => {
    const end = [[12, -18, 30, 5, 1, -7]]
    const d1 = updateDirection([W], end)
    const d2 = filterNormalisedDirection([W], 7, 2)
    const pts = projectTrajectory([W], d1, d2, [{ step: 0, codes: [W.codes] }, { step: 9, codes: end }])
    expect(pts[0]).toMatchObject({ step: 0, a: 0, b: 0, residual: 0 })
    expect(pts[1].a).toBeCloseTo(1, 9)
    expect(pts[1].b).toBeCloseTo(0, 9)
  })
})

describe('filter-normalised random directions (Li et al. 2018)', () => {
  it('each output channel has the norm of the same channel of w0, deterministically from the seed', () => {
    const conv: LandscapeTensor = { name: 'conv.w', codes: Array.from({ length: 4 * 9 }, (_, k) => ((k * 37) % 255) - 127), scales: [0.5, 0.01, 0.2, 3], zeroPoints: [0, 0, 0, 0], qmin: -127, qmax: 127 }
    const zeroCh: LandscapeTensor = { ...W, codes: [0, 0, 0, 1, 2, 3] }
    const d = filterNormalisedDirection([conv, zeroCh], 42, 1)
    const w0 = realWeights([conv, zeroCh])
    const norm = (v: Float64Array, lo: number, hi: number) => Math.hypot(...v.slice(lo, hi))
    for (let c = 0; c < 4; c++) expect(norm(d[0], c * 9, c * 9 + 9)).toBeCloseTo(norm(w0[0], c * 9, c * 9 + 9), 9)
    expect(norm(d[1], 0, 3)).toBe(0) // an all-zero filter gets a zero direction
    expect(norm(d[1], 3, 6)).toBeCloseTo(norm(w0[1], 3, 6), 12)
    expect(filterNormalisedDirection([conv, zeroCh], 42, 1)).toEqual(d)
    expect(filterNormalisedDirection([conv, zeroCh], 42, 2)[0]).not.toEqual(d[0])
  })
})
