/**
 * WASM max pooling against the TypeScript reference (kernels/pool2d.ts, itself checked against the float
 * reference and onnxruntime), bit for bit with the whole Work record: random shapes, channel counts on
 * both sides of the 4-lane SIMD width, strides, dilations, paddings up to windows wholly in the padding,
 * formats from int2 to int32 (zero points do not enter max pooling: it works on raw codes). Then average
 * pooling likewise, with zero points, countIncludePad and every rounding mode (stochastic falls back).
 */
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { typescriptBackend } from '../typescript-backend'
import { wasmBackend } from '../wasm-backend'
import { wasmStats } from './mac'
import { qtensor } from '../../core/tensor'
import { perTensor } from '../../core/quant'
import { newWork } from '../../core/work'
import { intFormat, maxValue, minValue } from '../../core/int-format'
import { resolveWindow } from '../geometry'
import { valuesIn } from '../../testing/arbitraries'
import { stream } from '../../core/rng'
import type { RoundingMode } from '../../core/rounding'

const SEED = { seed: 20261207 }
const format = fc.constantFrom(intFormat(8, true), intFormat(8, false), intFormat(4, true), intFormat(2, false), intFormat(16, true), intFormat(32, true))
const small = (min: number, max: number) => fc.integer({ min, max })

const poolCase = fc.record({
  N: small(1, 2), H: small(1, 9), W: small(1, 9), C: fc.oneof(small(1, 13), fc.constantFrom(4, 8, 16, 32)),
  kernel: fc.tuple(small(1, 4), small(1, 4)), stride: fc.tuple(small(1, 3), small(1, 3)),
  padding: fc.tuple(small(0, 3), small(0, 3), small(0, 3), small(0, 3)), dilation: fc.tuple(small(1, 3), small(1, 3)), f: format,
}).filter((c) => {
  try { resolveWindow('case', c.H, c.W, c); return true } catch { return false }
}).chain((c) => fc.record({ c: fc.constant(c), x: valuesIn(c.f, c.N * c.H * c.W * c.C) }))

it('WASM max pooling ≡ TypeScript: outputs and Work, random windows, paddings, dilations and formats', () => {
  const before = wasmStats.fast
  fc.assert(fc.property(poolCase, ({ c, x }) => {
    const g = resolveWindow('case', c.H, c.W, c)
    const xt = qtensor([c.N, c.H, c.W, c.C], c.f, perTensor(1, 0), Int32Array.from(x))
    const want = qtensor([c.N, g.oh, g.ow, c.C], c.f, perTensor(1, 0)), got = qtensor([c.N, g.oh, g.ow, c.C], c.f, perTensor(1, 0))
    got.data.fill(12345 % (maxValue(c.f) + 1)) // stale values must be overwritten
    const ww = newWork(), gw = newWork()
    const win = { kernel: c.kernel, stride: c.stride, padding: c.padding, dilation: c.dilation }
    typescriptBackend.maxPool2d({ x: xt, out: want, ...win }, ww)
    wasmBackend.maxPool2d({ x: xt, out: got, ...win }, gw)
    expect(Array.from(got.data)).toEqual(Array.from(want.data))
    expect(gw).toEqual(ww)
  }), { numRuns: 400, ...SEED })
  expect(wasmStats.fast - before).toBe(400)
})

it('a window wholly in the padding gives the format minimum, as the reference does', () => {
  // 1×1 input, 1×1 window, dilation irrelevant, padding 1 on every side, stride 1: 3×3 output, only the centre sees the input
  const f = intFormat(8, true)
  const xt = qtensor([1, 1, 1, 5], f, perTensor(1, 0), Int32Array.of(-3, 7, -128, 127, 0))
  const out = qtensor([1, 3, 3, 5], f, perTensor(1, 0))
  wasmBackend.maxPool2d({ x: xt, out, kernel: [1, 1], padding: [1, 1, 1, 1] }, newWork())
  expect(Array.from(out.data.subarray(20, 25))).toEqual([-3, 7, -128, 127, 0])
  expect(Array.from(out.data.subarray(0, 5))).toEqual(Array(5).fill(minValue(f)))
})

it('WASM average pooling ≡ TypeScript: outputs and Work, random windows, zero points, countIncludePad and roundings', () => {
  const before = wasmStats.fast
  const avgCase = poolCase.chain(({ c, x }) => fc.record({
    c: fc.constant(c), x: fc.constant(x), zp: fc.integer({ min: minValue(c.f), max: maxValue(c.f) }), includePad: fc.boolean(),
    rounding: fc.constantFrom<RoundingMode | undefined>(undefined, 'floor', 'half-away', 'half-even', 'stochastic'),
  }))
  fc.assert(fc.property(avgCase, ({ c, x, zp, includePad, rounding }) => {
    const g = resolveWindow('case', c.H, c.W, c)
    const xt = qtensor([c.N, c.H, c.W, c.C], c.f, perTensor(1, zp), Int32Array.from(x))
    const want = qtensor([c.N, g.oh, g.ow, c.C], c.f, perTensor(1, zp)), got = qtensor([c.N, g.oh, g.ow, c.C], c.f, perTensor(1, zp))
    got.data.fill(12345 % (maxValue(c.f) + 1)) // stale values must be overwritten
    const ww = newWork(), gw = newWork()
    const win = { kernel: c.kernel, stride: c.stride, padding: c.padding, dilation: c.dilation, countIncludePad: includePad, rounding }
    typescriptBackend.avgPool2d({ x: xt, out: want, ...win, rng: stream({ seed: 3, step: 0, tensor: 0 }) }, ww)
    wasmBackend.avgPool2d({ x: xt, out: got, ...win, rng: stream({ seed: 3, step: 0, tensor: 0 }) }, gw)
    expect(Array.from(got.data)).toEqual(Array.from(want.data))
    expect(gw).toEqual(ww)
  }), { numRuns: 400, ...SEED })
  // the rest fall back: stochastic rounding (1 in 5), int32 codes (1 in 6), windows with no tap to divide by
  expect(wasmStats.fast - before).toBeGreaterThan(140)
})

it('average pooling ties: half-away and half-even differ on x.5 of both signs, floor rounds towards −∞', () => {
  // 1×2 windows over codes (−3, −2) → −2.5, (1, 2) → 1.5, (2, 3) → 2.5, (−1, 0) → −0.5: an independent table
  const f = intFormat(8, true)
  const xt = qtensor([1, 1, 8, 1], f, perTensor(1, 0), Int32Array.of(-3, -2, 1, 2, 2, 3, -1, 0))
  const want = { 'half-away': [-3, 2, 3, -1], 'half-even': [-2, 2, 2, 0], floor: [-3, 1, 2, -1] } as const
  for (const [mode, expected] of Object.entries(want)) {
    const out = qtensor([1, 1, 4, 1], f, perTensor(1, 0))
    const before = wasmStats.fast
    wasmBackend.avgPool2d({ x: xt, out, kernel: [1, 2], stride: [1, 2], rounding: mode as RoundingMode }, newWork())
    expect(wasmStats.fast - before).toBe(1)
    expect(Array.from(out.data)).toEqual(expected)
  }
})
