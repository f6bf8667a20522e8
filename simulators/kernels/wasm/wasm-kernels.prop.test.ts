/**
 * The WebAssembly SIMD backend against the TypeScript reference kernels, bit for bit: outputs and the
 * whole Work record (MACs, bytes, saturation and wrap counts), over random shapes (odd sizes that are
 * not multiples of the SIMD width, 1×1, large K), formats, zero points, values at the extremes and
 * accumulators that wrap. Cases the fast path does not cover run the TypeScript fallback and must agree
 * too; `covered` counts make sure the fast path is what is being tested.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { typescriptBackend } from '../typescript-backend'
import { wasmBackend } from '../wasm-backend'
import { wasmStats } from './mac'
import { wasmKernels } from './runtime'
import { accTensor, qtensor } from '../../core/tensor'
import { perChannel, perTensor } from '../../core/quant'
import { newWork } from '../../core/work'
import { intFormat, maxValue, minValue, type IntFormat } from '../../core/int-format'
import type { AccumulatorFormat } from '../../core/accumulator'
import { accFormat, valuesIn } from '../../testing/arbitraries'
import { fixedPlan } from '../requantize'

const SEED = { seed: 20261207 }
const int8 = intFormat(8, true), uint8 = intFormat(8, false)
/** formats the fast path covers, weighted towards them, plus some it may not */
const format: fc.Arbitrary<IntFormat> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(int8, uint8, intFormat(4, true), intFormat(4, false), intFormat(2, true)) },
  { weight: 1, arbitrary: fc.constantFrom(intFormat(16, true), intFormat(12, false), intFormat(15, true)) },
)
const acc: fc.Arbitrary<AccumulatorFormat> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<AccumulatorFormat>({ bits: 32, overflow: 'wrap' }, { bits: 32, overflow: 'saturate' }, { bits: 16, overflow: 'wrap' }, { bits: 24, overflow: 'wrap' }) },
  { weight: 1, arbitrary: accFormat },
)
const zeroPointIn = (f: IntFormat) => fc.oneof(fc.integer({ min: minValue(f), max: maxValue(f) }), fc.constantFrom(minValue(f), maxValue(f), 0).filter((z) => z >= minValue(f)))
const zps = (f: IntFormat, n: number) => fc.array(zeroPointIn(f), { minLength: n, maxLength: n })
const asArray = (a: Float64Array | BigInt64Array) => Array.from(a as ArrayLike<number | bigint>)

it('the WASM kernels load in this runtime (Node has WebAssembly SIMD)', () => {
  expect(wasmKernels()).not.toBeNull()
})

describe('WASM dense ≡ TypeScript dense', () => {
  const denseCase = fc.record({
    N: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constant(1)), K: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 1200 })),
    M: fc.integer({ min: 1, max: 11 }), xf: format, wf: format, acc, perCh: fc.boolean(), withBias: fc.boolean(),
  }).chain((c) => fc.record({
    c: fc.constant(c), x: valuesIn(c.xf, c.N * c.K), w: valuesIn(c.wf, c.M * c.K), zx: zeroPointIn(c.xf), zw: zps(c.wf, c.perCh ? c.M : 1),
    bias: fc.array(fc.oneof(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), { minLength: c.M, maxLength: c.M }),
  }))

  it('random shapes, formats, zero points, biases and accumulators', () => {
    const before = wasmStats.fast
    fc.assert(fc.property(denseCase, ({ c, x, w, zx, zw, bias }) => {
      const b = c.withBias ? Float64Array.from(bias) : undefined
      const xt = qtensor([c.N, c.K], c.xf, perTensor(1, zx), Int32Array.from(x))
      const wt = qtensor([c.M, c.K], c.wf, zw.length > 1 ? perChannel(zw.map(() => 1), zw, 0) : perTensor(1, zw[0]), Int32Array.from(w))
      const want = accTensor([c.N, c.M], c.acc), got = accTensor([c.N, c.M], c.acc)
      const ww = newWork(), gw = newWork()
      typescriptBackend.dense({ x: xt, w: wt, bias: b, out: want }, ww)
      wasmBackend.dense({ x: xt, w: wt, bias: b, out: got }, gw)
      expect(asArray(got.data)).toEqual(asArray(want.data))
      expect(gw).toEqual(ww)
    }), { numRuns: 400, ...SEED })
    expect(wasmStats.fast - before).toBeGreaterThan(150)
  })

  it('extreme values where the int32 sum is just below 2^31, and a 16-bit accumulator that wraps', () => {
    // (255 − 0)·(−128 − 127) = −65025 per MAC; 33025 MACs = −2 147 450 625, just inside int32
    for (const K of [33025, 33026]) {
      const xt = qtensor([1, K], uint8, perTensor(1, 0), new Int32Array(K).fill(255))
      const wt = qtensor([3, K], int8, perTensor(1, 127), new Int32Array(3 * K).fill(-128))
      for (const f of [{ bits: 32, overflow: 'wrap' }, { bits: 16, overflow: 'wrap' }, { bits: 32, overflow: 'saturate' }] as const) {
        const want = accTensor([1, 3], f), got = accTensor([1, 3], f)
        const ww = newWork(), gw = newWork()
        typescriptBackend.dense({ x: xt, w: wt, out: want }, ww)
        const fast = wasmStats.fast
        wasmBackend.dense({ x: xt, w: wt, out: got }, gw)
        // in WASM exactly when the sum fits int32 and (saturating) the accumulator
        expect(wasmStats.fast - fast).toBe(K === 33025 && (f.bits === 32 || f.overflow === 'wrap') ? 1 : 0)
        expect(asArray(got.data)).toEqual(asArray(want.data))
        expect(gw).toEqual(ww)
      }
    }
  })
})

describe('WASM conv2d ≡ TypeScript conv2d', () => {
  const convCase = fc.record({
    N: fc.integer({ min: 1, max: 2 }), H: fc.integer({ min: 1, max: 9 }), W: fc.integer({ min: 1, max: 9 }), C: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom(1, 16, 17)),
    CO: fc.integer({ min: 1, max: 7 }), KH: fc.integer({ min: 1, max: 3 }), KW: fc.integer({ min: 1, max: 3 }),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    pad: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
    dil: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    xf: format, wf: format, acc, perCh: fc.boolean(), withBias: fc.boolean(),
  }).filter((c) => c.H + c.pad[0] + c.pad[2] >= c.dil[0] * (c.KH - 1) + 1 && c.W + c.pad[1] + c.pad[3] >= c.dil[1] * (c.KW - 1) + 1)

  it('random geometry (stride, padding, dilation, 1 and 16+ input channels), formats and accumulators', () => {
    const before = wasmStats.fast
    fc.assert(fc.property(convCase.chain((c) => fc.record({
      c: fc.constant(c), x: valuesIn(c.xf, c.N * c.H * c.W * c.C), w: valuesIn(c.wf, c.CO * c.KH * c.KW * c.C), zx: zeroPointIn(c.xf), zw: zps(c.wf, c.perCh ? c.CO : 1),
      bias: fc.array(fc.integer({ min: -(2 ** 24), max: 2 ** 24 }), { minLength: c.CO, maxLength: c.CO }),
    })), ({ c, x, w, zx, zw, bias }) => {
      const b = c.withBias ? Int32Array.from(bias) : undefined
      const xt = qtensor([c.N, c.H, c.W, c.C], c.xf, perTensor(1, zx), Int32Array.from(x))
      const wt = qtensor([c.CO, c.KH, c.KW, c.C], c.wf, zw.length > 1 ? perChannel(zw.map(() => 1), zw, 0) : perTensor(1, zw[0]), Int32Array.from(w))
      const oh = Math.floor((c.H + c.pad[0] + c.pad[2] - c.dil[0] * (c.KH - 1) - 1) / c.stride[0]) + 1
      const ow = Math.floor((c.W + c.pad[1] + c.pad[3] - c.dil[1] * (c.KW - 1) - 1) / c.stride[1]) + 1
      const want = accTensor([c.N, oh, ow, c.CO], c.acc), got = accTensor([c.N, oh, ow, c.CO], c.acc)
      const ww = newWork(), gw = newWork()
      const geo = { stride: c.stride, padding: c.pad, dilation: c.dil }
      typescriptBackend.conv2d({ x: xt, w: wt, bias: b, out: want, ...geo }, ww)
      wasmBackend.conv2d({ x: xt, w: wt, bias: b, out: got, ...geo }, gw)
      expect(asArray(got.data)).toEqual(asArray(want.data))
      expect(gw).toEqual(ww)
    }), { numRuns: 300, ...SEED })
    expect(wasmStats.fast - before).toBeGreaterThan(100)
  })

  it('a batch larger than one im2col chunk (the cnn-mnist first layer shape: 1 input channel, 3×3, same padding)', () => {
    const N = 3, H = 28, W = 28, CO = 8
    let s = 1
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24)
    const xt = qtensor([N, H, W, 1], uint8, perTensor(1, 3), Int32Array.from({ length: N * H * W }, rnd))
    const wt = qtensor([CO, 3, 3, 1], int8, perChannel(new Array(CO).fill(1), Array.from({ length: CO }, (_, i) => i - 4), 0), Int32Array.from({ length: CO * 9 }, () => rnd() - 128))
    const bias = Int32Array.from({ length: CO }, (_, i) => i * 1000 - 3000)
    const f = { bits: 32, overflow: 'wrap' } as const
    const want = accTensor([N, H, W, CO], f), got = accTensor([N, H, W, CO], f)
    const ww = newWork(), gw = newWork()
    typescriptBackend.conv2d({ x: xt, w: wt, bias, out: want, padding: [1, 1, 1, 1] }, ww)
    const fast = wasmStats.fast
    wasmBackend.conv2d({ x: xt, w: wt, bias, out: got, padding: [1, 1, 1, 1] }, gw)
    expect(wasmStats.fast - fast).toBe(1)
    expect(Array.from(got.data as Float64Array)).toEqual(Array.from(want.data as Float64Array))
    expect(gw).toEqual(ww)
  })
})

describe('saturating accumulators: WASM only where the per-MAC clamp provably never fires', () => {
  it('W16A8 into a 32-bit saturating accumulator (the default formats): fast on ordinary data, TypeScript where a sum could saturate', () => {
    const K = 784, N = 5, M = 7
    const i16 = intFormat(16, true)
    const f = { bits: 32, overflow: 'saturate' } as const
    let s = 9
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32)
    // ordinary data (even full-range weights) bounds the sums well inside int32; full-range inputs with
    // full-range weights do not (Σ|x||w| ≈ 3.3·10^9), so that call must fall back
    for (const [extreme, expectFast] of [[false, 1], [true, 0]] as const) {
      const xt = qtensor([N, K], int8, perTensor(1, -3), Int32Array.from({ length: N * K }, () => (extreme ? (rnd() < 0.5 ? -128 : 127) : Math.floor(rnd() * 256) - 128)))
      const wt = qtensor([M, K], i16, perTensor(1, 0), Int32Array.from({ length: M * K }, () => (rnd() < 0.5 ? -1 : 1) * (extreme ? 32767 : Math.floor(rnd() * 32767))))
      const bias = Float64Array.from({ length: M }, () => Math.floor(rnd() * 2e6) - 1e6)
      const want = accTensor([N, M], f), got = accTensor([N, M], f)
      const ww = newWork(), gw = newWork()
      typescriptBackend.dense({ x: xt, w: wt, bias, out: want }, ww)
      const fast = wasmStats.fast
      wasmBackend.dense({ x: xt, w: wt, bias, out: got }, gw)
      expect(wasmStats.fast - fast).toBe(expectFast)
      expect(asArray(got.data)).toEqual(asArray(want.data))
      expect(gw).toEqual(ww)
    }
  })

  it('a 16-bit saturating accumulator that clamps per MAC falls back and agrees (counts included)', () => {
    const xt = qtensor([1, 4], int8, perTensor(1, 0), Int32Array.of(127, 127, 127, -127))
    const wt = qtensor([1, 4], int8, perTensor(1, 0), Int32Array.of(127, 127, 127, 127))
    const f = { bits: 16, overflow: 'saturate' } as const
    const want = accTensor([1, 1], f), got = accTensor([1, 1], f)
    const ww = newWork(), gw = newWork()
    typescriptBackend.dense({ x: xt, w: wt, out: want }, ww)
    wasmBackend.dense({ x: xt, w: wt, out: got }, gw)
    expect(got.data[0]).toBe(32767 - 16129)
    expect(gw).toEqual(ww)
    expect(gw.accSaturations).toBe(1)
  })
})

describe('WASM fixed-point requantization ≡ TypeScript', () => {
  const mode = fc.constantFrom<'floor' | 'half-away' | 'half-even'>('floor', 'half-away', 'half-even')
  const outFormat = fc.oneof(fc.constantFrom(int8, uint8, intFormat(16, true), intFormat(4, true)), fc.constantFrom(intFormat(2, false), intFormat(31, false), intFormat(32, true)))
  const real = fc.oneof(fc.double({ min: 1e-6, max: 0.5, noNaN: true }), fc.double({ min: 0.5, max: 3000, noNaN: true }), fc.constant(0), fc.constantFrom(0.25, 0.5, 1, 2 ** -20))
  const accValue = fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: -(2 ** 20), max: 2 ** 20 }) },
    { weight: 2, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) },
    { weight: 1, arbitrary: fc.constantFrom(2 ** 32 - 1, -(2 ** 32) + 1, 2 ** 31, 0, -1, 1) },
    { weight: 1, arbitrary: fc.constantFrom(2 ** 32, -(2 ** 32), 2 ** 40) }, // the TypeScript path
  )
  it('random multipliers (per tensor and per channel), modes, output formats and zero points, ties and clips', () => {
    const before = wasmStats.fast
    fc.assert(fc.property(
      fc.record({ rows: fc.integer({ min: 1, max: 9 }), channels: fc.integer({ min: 1, max: 7 }), perCh: fc.boolean(), mode, f: outFormat })
        .chain((c) => fc.record({
          c: fc.constant(c), reals: fc.array(real, { minLength: c.perCh ? c.channels : 1, maxLength: c.perCh ? c.channels : 1 }),
          values: fc.array(accValue, { minLength: c.rows * c.channels, maxLength: c.rows * c.channels }), zy: zeroPointIn(c.f),
          // ties: multiples of a power of two times odd halves
          ties: fc.boolean(),
        })),
      ({ c, reals, values, zy, ties }) => {
        const rs = ties ? reals.map(() => 0.5) : reals
        const plan = fixedPlan(rs, c.mode)
        const acc = accTensor([c.rows, c.channels], { bits: 48, overflow: 'wrap' })
        ;(acc.data as Float64Array).set(values)
        const want = qtensor([c.rows, c.channels], c.f, perTensor(1, zy)), got = qtensor([c.rows, c.channels], c.f, perTensor(1, zy))
        const ww = newWork(), gw = newWork()
        typescriptBackend.requantize({ acc, plan, out: want }, ww)
        wasmBackend.requantize({ acc, plan, out: got }, gw)
        expect(Array.from(got.data)).toEqual(Array.from(want.data))
        expect(gw).toEqual(ww)
      },
    ), { numRuns: 500, ...SEED })
    expect(wasmStats.fast - before).toBeGreaterThan(100)
  })
})
