/**
 * The 1-input-channel convolution kernel (wasm/conv-c1.ts, kernels.wat conv_c1) against the TypeScript
 * reference (kernels/conv2d.ts), bit for bit with the whole Work record: kernels 1–5 wide and tall (odd
 * widths exercise the zero-weight pair partner), strides, paddings up to windows partly in the padding,
 * vertical dilation, output channel counts on both sides of the 8-channel block and pixel counts not a
 * multiple of the 4-pixel block, batches over several 512-pixel chunks, formats, zero points (per tensor
 * and per output channel), biases and accumulators. `wasmStats.convC1` makes sure the direct kernel ran.
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
  { weight: 6, arbitrary: fc.constantFrom(intFormat(8, true), intFormat(8, false), intFormat(4, true), intFormat(2, false)) },
  { weight: 1, arbitrary: fc.constantFrom(intFormat(16, true), intFormat(12, false)) },
)
const acc: fc.Arbitrary<AccumulatorFormat> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<AccumulatorFormat>({ bits: 32, overflow: 'wrap' }, { bits: 32, overflow: 'saturate' }, { bits: 16, overflow: 'wrap' }, { bits: 24, overflow: 'saturate' }) },
  { weight: 1, arbitrary: accFormat },
)
const zeroPointIn = (f: IntFormat) => fc.oneof(fc.integer({ min: minValue(f), max: maxValue(f) }), fc.constantFrom(minValue(f), maxValue(f), 0).filter((z) => z >= minValue(f)))
const small = (min: number, max: number) => fc.integer({ min, max })

const c1Case = fc.record({
  N: fc.oneof(small(1, 2), fc.constant(3)), H: fc.oneof(small(1, 10), fc.constant(17)), W: fc.oneof(small(1, 10), fc.constant(17)),
  CO: fc.oneof(small(1, 9), fc.constantFrom(16, 17, 24)),
  kernel: fc.tuple(small(1, 5), small(1, 5)), stride: fc.tuple(small(1, 3), small(1, 3)),
  padding: fc.tuple(small(0, 3), small(0, 3), small(0, 3), small(0, 3)), dilation: fc.tuple(small(1, 3), fc.constant(1)),
  xf: format, wf: format, acc, perCh: fc.boolean(), withBias: fc.boolean(),
}).filter((c) => {
  try { resolveWindow('case', c.H, c.W, c); return true } catch { return false }
}).chain((c) => fc.record({
  c: fc.constant(c), x: valuesIn(c.xf, c.N * c.H * c.W), w: valuesIn(c.wf, c.CO * c.kernel[0] * c.kernel[1]), zx: zeroPointIn(c.xf),
  zw: fc.array(zeroPointIn(c.wf), { minLength: c.perCh ? c.CO : 1, maxLength: c.perCh ? c.CO : 1 }),
  bias: fc.array(fc.oneof(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), { minLength: c.CO, maxLength: c.CO }),
}))

it('WASM 1-input-channel conv ≡ TypeScript conv2d: outputs and Work over random geometry, formats and accumulators', () => {
  const before = wasmStats.convC1
  fc.assert(fc.property(c1Case, ({ c, x, w, zx, zw, bias }) => {
    const g = resolveWindow('case', c.H, c.W, c)
    const b = c.withBias ? Float64Array.from(bias) : undefined
    const xt = qtensor([c.N, c.H, c.W, 1], c.xf, perTensor(1, zx), Int32Array.from(x))
    const wt = qtensor([c.CO, c.kernel[0], c.kernel[1], 1], c.wf, zw.length > 1 ? perChannel(zw.map(() => 1), zw, 0) : perTensor(1, zw[0]), Int32Array.from(w))
    const want = accTensor([c.N, g.oh, g.ow, c.CO], c.acc), got = accTensor([c.N, g.oh, g.ow, c.CO], c.acc)
    if (got.data instanceof Float64Array) got.data.fill(12345) // stale values must be overwritten
    const ww = newWork(), gw = newWork()
    const win = { stride: c.stride, padding: c.padding, dilation: c.dilation }
    typescriptBackend.conv2d({ x: xt, w: wt, bias: b, out: want, ...win }, ww)
    wasmBackend.conv2d({ x: xt, w: wt, bias: b, out: got, ...win }, gw)
    expect(Array.from(got.data as ArrayLike<number | bigint>)).toEqual(Array.from(want.data as ArrayLike<number | bigint>))
    expect(gw).toEqual(ww)
  }), { numRuns: 400, ...SEED })
  expect(wasmStats.convC1 - before).toBeGreaterThan(200)
})

it('the cnn-mnist first layer at batch 4 (several 512-pixel chunks), and horizontal dilation taking the im2col path', () => {
  let s = 5
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24)
  const u8 = intFormat(8, false), i8 = intFormat(8, true)
  const xt = qtensor([4, 28, 28, 1], u8, perTensor(1, 7), Int32Array.from({ length: 4 * 784 }, rnd))
  const wt = qtensor([16, 3, 3, 1], i8, perChannel(new Array(16).fill(1), Array.from({ length: 16 }, (_, i) => i - 8), 0), Int32Array.from({ length: 144 }, () => rnd() - 128))
  const f = { bits: 32, overflow: 'saturate' } as const
  for (const [dilation, direct] of [[[1, 1], 1], [[1, 2], 0]] as const) {
    const g = resolveWindow('case', 28, 28, { kernel: [3, 3], padding: [1, 1, 1, 1], dilation })
    const want = accTensor([4, g.oh, g.ow, 16], f), got = accTensor([4, g.oh, g.ow, 16], f)
    const ww = newWork(), gw = newWork()
    typescriptBackend.conv2d({ x: xt, w: wt, out: want, padding: [1, 1, 1, 1], dilation }, ww)
    const before = wasmStats.convC1, fast = wasmStats.fast
    wasmBackend.conv2d({ x: xt, w: wt, out: got, padding: [1, 1, 1, 1], dilation }, gw)
    expect(wasmStats.convC1 - before).toBe(direct)
    expect(wasmStats.fast - fast).toBe(1)
    // the first differing index, not a 50 000-element diff (slow to print when a mutant breaks it)
    expect((got.data as Float64Array).findIndex((v, i) => v !== want.data[i])).toBe(-1)
    expect(gw).toEqual(ww)
  }
})
