import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fill, gaussianAt, philox4x32, rademacherAt, stream, uint32At, uniformAt } from './rng'

const hex = (w: Uint32Array) => Array.from(w, (v) => v.toString(16).padStart(8, '0')).join(' ')
const words = (s: string) => s.split(' ').map((h) => parseInt(h, 16))

describe('Philox4x32-10', () => {
  // Random123 known-answer vectors (tests/kat_vectors, "philox4x32 10"): counter, key, expected output.
  const KAT: [string, string, string][] = [
    ['00000000 00000000 00000000 00000000', '00000000 00000000', '6627e8d5 e169c58d bc57ac4c 9b00dbd8'],
    ['ffffffff ffffffff ffffffff ffffffff', 'ffffffff ffffffff', '408f276d 41c83b0e a20bc7c6 6d5451fd'],
    ['243f6a88 85a308d3 13198a2e 03707344', 'a4093822 299f31d0', 'd16cfe09 94fdcceb 5001e420 24126ea1'],
  ]
  for (const [ctr, key, want] of KAT) {
    it(`matches the Random123 vector for counter ${ctr}`, () => {
      const [c0, c1, c2, c3] = words(ctr)
      const [k0, k1] = words(key)
      const out = new Uint32Array(4)
      philox4x32(c0, c1, c2, c3, k0, k1, out)
      expect(hex(out)).toBe(want)
    })
  }
})

describe('addressable draws', () => {
  const addr = { seed: 2024, step: 7, tensor: 3 }

  it('a draw depends only on its address: any sub-range regenerates identically', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 64 }), fc.constantFrom('uniform', 'gaussian', 'rademacher' as const), (first, n, dist) => {
      const all = fill(addr, dist, new Float64Array(first + n))
      const part = fill(addr, dist, new Float64Array(n), first)
      expect(Array.from(part)).toEqual(Array.from(all.subarray(first)))
    }), { numRuns: 200 })
  })

  it('different seeds, steps and tensors give different streams', () => {
    const a = uint32At(addr, 0)
    expect(uint32At({ ...addr, seed: 2025 }, 0)).not.toBe(a)
    expect(uint32At({ ...addr, step: 8 }, 0)).not.toBe(a)
    expect(uint32At({ ...addr, tensor: 4 }, 0)).not.toBe(a)
    expect(uint32At(addr, 1)).not.toBe(a)
  })

  it('seeds above 2^32 use the high key word', () => {
    expect(uint32At({ ...addr, seed: 2 ** 32 + 2024 }, 0)).not.toBe(uint32At(addr, 0))
  })

  it('a stream restarted at any word continues the same sequence', () => {
    const s = stream(addr)
    const seq = Array.from({ length: 23 }, () => s.next())
    const t = stream(addr, 9)
    expect(Array.from({ length: 14 }, () => t.next())).toEqual(seq.slice(9))
  })

  it('uniform draws lie in (0, 1) with mean 1/2 and variance 1/12', () => {
    const u = fill(addr, 'uniform', new Float64Array(100_000))
    const mean = u.reduce((a, b) => a + b, 0) / u.length
    const variance = u.reduce((a, b) => a + (b - mean) ** 2, 0) / u.length
    expect(Math.min(...u)).toBeGreaterThan(0)
    expect(Math.max(...u)).toBeLessThan(1)
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005) // 5 standard errors (σ/√n ≈ 0.0009)
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002)
  })

  it('Gaussian draws have mean 0, variance 1, and the normal tail mass (Kolmogorov–Smirnov)', () => {
    const n = 50_000
    const g = fill(addr, 'gaussian', new Float64Array(n))
    const mean = g.reduce((a, b) => a + b, 0) / n
    const variance = g.reduce((a, b) => a + (b - mean) ** 2, 0) / n
    expect(Math.abs(mean)).toBeLessThan(0.025)
    expect(Math.abs(variance - 1)).toBeLessThan(0.03)
    // KS statistic against the standard normal CDF (erf via Abramowitz–Stegun 7.1.26, |error| < 1.5e-7)
    const erf = (x: number) => {
      const t = 1 / (1 + 0.3275911 * Math.abs(x))
      const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x)
      return x >= 0 ? y : -y
    }
    const cdf = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2))
    const sorted = Array.from(g).sort((a, b) => a - b)
    let d = 0
    sorted.forEach((v, i) => { d = Math.max(d, Math.abs(cdf(v) - i / n), Math.abs(cdf(v) - (i + 1) / n)) })
    expect(d).toBeLessThan(1.63 / Math.sqrt(n)) // 1 % critical value
  })

  it('Rademacher draws are ±1 with equal frequency', () => {
    const r = fill(addr, 'rademacher', new Float64Array(100_000))
    expect(new Set(r)).toEqual(new Set([1, -1]))
    expect(Math.abs(r.reduce((a, b) => a + b, 0)) / r.length).toBeLessThan(0.01)
  })

  it('single draws equal the filled ones', () => {
    expect(uniformAt(addr, 5)).toBe(fill(addr, 'uniform', new Float64Array(6))[5])
    expect(gaussianAt(addr, 5)).toBe(fill(addr, 'gaussian', new Float64Array(6))[5])
    expect(rademacherAt(addr, 5)).toBe(fill(addr, 'rademacher', new Float64Array(6))[5])
  })

  it('rejects malformed addresses, naming the field', () => {
    expect(() => fill({ seed: -1, step: 0, tensor: 0 }, 'uniform', new Float64Array(1))).toThrow(/seed must be an integer/)
    expect(() => fill({ seed: 1, step: 0.5, tensor: 0 }, 'uniform', new Float64Array(1))).toThrow(/step must be an integer/)
  })
})
