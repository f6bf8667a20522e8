/**
 * The perturbation kernel ≡ training/network/perturbation.ts applied element by element (address, active,
 * drawZ, quantizeZ, then the clamp zo-spsa applies), over random seeds, steps, nodes, directions, signs,
 * distributions, ε, zBits, densities, bias scalings and clamp ranges (fast-check, fixed seed).
 */
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { perturb } from './perturb'
import { active, address, drawZ, quantizeZ, type PerturbationSpec } from '../training/network/perturbation'

it('perturb ≡ per-element active/drawZ/quantizeZ + clamp', () => {
  fc.assert(fc.property(
    fc.record({
      seed: fc.integer({ min: 0, max: 2 ** 40 }), step: fc.integer({ min: 0, max: 10_000 }), node: fc.integer({ min: 0, max: 20 }), k: fc.integer({ min: 0, max: 510 }),
      bias: fc.boolean(), sign: fc.constantFrom<1 | -1>(1, -1), distribution: fc.constantFrom<'gaussian' | 'rademacher'>('gaussian', 'rademacher'),
      epsilonLsb: fc.oneof(fc.double({ min: 0.01, max: 3, noNaN: true }), fc.double({ min: 3, max: 5000, noNaN: true }), fc.constantFrom(0.5, 1, 1.5)),
      zBits: fc.integer({ min: 2, max: 24 }), density: fc.oneof(fc.constant(1), fc.double({ min: 0.001, max: 1, noNaN: true })),
      unitsPerLsb: fc.oneof(fc.constant(1), fc.double({ min: 1e-3, max: 1e3, noNaN: true })), bound: fc.integer({ min: 1, max: 2 ** 15 }),
      src: fc.array(fc.integer({ min: -(2 ** 15), max: 2 ** 15 }), { minLength: 1, maxLength: 60 }),
    }),
    (c) => {
      const spec: PerturbationSpec = { distribution: c.distribution, epsilonLsb: c.epsilonLsb, zBits: c.zBits, density: c.density }
      const lo = -c.bound, hi = c.bound - 1
      const a = address(c.seed, c.step, c.node, c.k, c.bias)
      const want = c.src.map((s, j) => {
        const v = s + (active(spec, c.seed, c.step, c.node, c.bias, j) ? c.sign * quantizeZ(spec, drawZ(spec, a, j), c.unitsPerLsb) : 0)
        return v < lo ? lo : v > hi ? hi : v
      })
      const dst = new Float64Array(c.src.length)
      const mask = { seed: c.seed, step: c.step, tensor: c.node * 1024 + 1023 - (c.bias ? 1 : 0) }
      const ops = perturb({ src: c.src, dst, lo, hi, sign: c.sign, draws: a, mask, ...spec, unitsPerLsb: c.unitsPerLsb })
      expect(Array.from(dst)).toEqual(want)
      expect(ops).toBe(2 * c.src.length)
    },
  ), { numRuns: 300, seed: 20261207 })
})

it('names the field and the reason for bad input', () => {
  const base = { src: [1, 2], lo: -8, hi: 7, sign: 1 as const, draws: { seed: 1, step: 0, tensor: 0 }, mask: { seed: 1, step: 0, tensor: 1023 }, distribution: 'gaussian' as const, epsilonLsb: 1, zBits: 8, density: 1, unitsPerLsb: 1 }
  expect(() => perturb({ ...base, dst: new Float64Array(3) })).toThrow(/dst has 3 values, src 2/)
  expect(() => perturb({ ...base, dst: new Float64Array(2), zBits: 1 })).toThrow(/zBits must be an integer/)
})
