/**
 * WASM depthwise convolution against the TypeScript reference (kernels/depthwise-conv2d.ts, itself checked
 * against BigInt oracles and onnxruntime's ConvInteger with group = C), bit for bit with the whole Work
 * record: random geometry (strides, paddings, dilations, windows partly or wholly in the padding),
 * channel counts on both sides of the 8- and 16-lane blocks, channel multipliers 1–3, formats, zero
 * points (per tensor and per output channel), biases and accumulators that wrap or saturate. Cases the
 * fast path does not cover must agree too (they run the fallback); `wasmStats` makes sure most do not.
 */
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { typescriptBackend } from '../typescript-backend'
import { wasmBackend } from '../wasm-backend'
import { wasmStats } from './mac'
import { accTensor, qtensor } from '../../core/tensor'
import { perChannel, perTensor } from '../../core/quant'
import { newWork } from '../../core/work'
import { intFormat, maxValue, minValue, type IntFormat } from '../../core/int-format'
import type { AccumulatorFormat } from '../../core/accumulator'
import { accFormat, valuesIn } from '../../testing/arbitraries'
import { resolveWindow } from '../geometry'

const SEED = { seed: 20261207 }
const format: fc.Arbitrary<IntFormat> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(intFormat(8, true), intFormat(8, false), intFormat(4, true), intFormat(4, false), intFormat(2, true)) },
  { weight: 1, arbitrary: fc.constantFrom(intFormat(16, true), intFormat(12, false), intFormat(15, true)) },
)
const acc: fc.Arbitrary<AccumulatorFormat> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<AccumulatorFormat>({ bits: 32, overflow: 'wrap' }, { bits: 32, overflow: 'saturate' }, { bits: 16, overflow: 'wrap' }, { bits: 24, overflow: 'saturate' }) },
  { weight: 1, arbitrary: accFormat },
)
const zeroPointIn = (f: IntFormat) => fc.oneof(fc.integer({ min: minValue(f), max: maxValue(f) }), fc.constantFrom(minValue(f), maxValue(f), 0).filter((z) => z >= minValue(f)))
const small = (min: number, max: number) => fc.integer({ min, max })

const dwCase = fc.record({
  N: small(1, 2), H: small(1, 9), W: small(1, 9), C: fc.oneof(small(1, 5), fc.constantFrom(8, 16, 17, 24, 32)), mult: fc.oneof(fc.constant(1), small(1, 3)),
  kernel: fc.tuple(small(1, 4), small(1, 4)), stride: fc.tuple(small(1, 3), small(1, 3)),
  padding: fc.tuple(small(0, 3), small(0, 3), small(0, 3), small(0, 3)), dilation: fc.tuple(small(1, 2), small(1, 2)),
  xf: format, wf: format, acc, perCh: fc.boolean(), withBias: fc.boolean(),
}).filter((c) => {
  try { resolveWindow('case', c.H, c.W, c); return true } catch { return false }
}).chain((c) => {
  const OC = c.C * c.mult, taps = c.kernel[0] * c.kernel[1]
  return fc.record({
    c: fc.constant(c), x: valuesIn(c.xf, c.N * c.H * c.W * c.C), w: valuesIn(c.wf, taps * OC), zx: zeroPointIn(c.xf),
    zw: fc.array(zeroPointIn(c.wf), { minLength: c.perCh ? OC : 1, maxLength: c.perCh ? OC : 1 }),
    bias: fc.array(fc.oneof(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), { minLength: OC, maxLength: OC }),
  })
})

it('WASM depthwise ≡ TypeScript: outputs and Work over random geometry, multipliers, formats and accumulators', () => {
  const before = wasmStats.fast
  fc.assert(fc.property(dwCase, ({ c, x, w, zx, zw, bias }) => {
    const g = resolveWindow('case', c.H, c.W, c)
    const OC = c.C * c.mult
    const b = c.withBias ? Int32Array.from(bias) : undefined
    const xt = qtensor([c.N, c.H, c.W, c.C], c.xf, perTensor(1, zx), Int32Array.from(x))
    const wt = qtensor([c.kernel[0], c.kernel[1], OC], c.wf, zw.length > 1 ? perChannel(zw.map(() => 1), zw, 2) : perTensor(1, zw[0]), Int32Array.from(w))
    const want = accTensor([c.N, g.oh, g.ow, OC], c.acc), got = accTensor([c.N, g.oh, g.ow, OC], c.acc)
    if (got.data instanceof Float64Array) got.data.fill(12345) // stale values must be overwritten
    const ww = newWork(), gw = newWork()
    const win = { stride: c.stride, padding: c.padding, dilation: c.dilation }
    typescriptBackend.depthwiseConv2d({ x: xt, w: wt, bias: b, out: want, ...win }, ww)
    wasmBackend.depthwiseConv2d({ x: xt, w: wt, bias: b, out: got, ...win }, gw)
    expect(Array.from(got.data as ArrayLike<number | bigint>)).toEqual(Array.from(want.data as ArrayLike<number | bigint>))
    expect(gw).toEqual(ww)
  }), { numRuns: 400, ...SEED })
  expect(wasmStats.fast - before).toBeGreaterThan(200)
})

it('the int32 bound: a sum just inside 2^31 runs in WASM, one just outside falls back, and both agree', () => {
  // uint8 255 (z 0) against int8 −128 (z 127): |product| = 65025; a 1×T window over a 1×T image, 8 channels
  for (const [T, expectFast] of [[33025, 1], [33026, 0]] as const) {
    const xt = qtensor([1, 1, T, 8], intFormat(8, false), perTensor(1, 0), new Int32Array(8 * T).fill(255))
    const wt = qtensor([1, T, 8], intFormat(8, true), perTensor(1, 127), new Int32Array(8 * T).fill(-128))
    const f = { bits: 32, overflow: 'wrap' } as const
    const want = accTensor([1, 1, 1, 8], f), got = accTensor([1, 1, 1, 8], f)
    const ww = newWork(), gw = newWork()
    typescriptBackend.depthwiseConv2d({ x: xt, w: wt, out: want }, ww)
    const fast = wasmStats.fast
    wasmBackend.depthwiseConv2d({ x: xt, w: wt, out: got }, gw)
    expect(wasmStats.fast - fast).toBe(expectFast)
    expect(Array.from(got.data as Float64Array)).toEqual(Array.from(want.data as Float64Array))
    expect(gw).toEqual(ww)
  }
})
