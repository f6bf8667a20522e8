/**
 * dense, conv2d and depthwise conv against the BigInt oracles (naive loops, one MAC at a time), over
 * random formats, zero points, accumulator widths and overflow rules — including accumulators too
 * narrow for the sum, where per-MAC saturation order matters.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { kernelBackends } from './registry'
import { accTensor, qtensor } from '../core/tensor'
import { perChannel, perTensor } from '../core/quant'
import { newWork } from '../core/work'
import { maxValue, minValue, type IntFormat } from '../core/int-format'
import type { AccumulatorFormat } from '../core/accumulator'
import { accFormat, commonFormat, valueIn, valuesIn } from '../testing/arbitraries'
import { oracleConv2d, oracleDense, oracleDepthwise } from '../testing/oracles'
import { macBounds, needsBigStorage } from './mac-core'

const zeroPointIn = (f: IntFormat) => fc.integer({ min: minValue(f), max: maxValue(f) })

function accOut(shape: number[], acc: AccumulatorFormat, taps: number, xf: IntFormat, zx: number, wf: IntFormat, zw: number[], bias?: number[]) {
  const big = needsBigStorage(macBounds(taps, xf, [zx], wf, zw, Math.max(0, ...(bias ?? [0]).map(Math.abs))), acc)
  return accTensor(shape, acc, big)
}
const asBig = (a: Float64Array | BigInt64Array) => Array.from(a as ArrayLike<number | bigint>, (v) => BigInt(v))

const denseCase = fc.record({ N: fc.integer({ min: 1, max: 3 }), K: fc.integer({ min: 1, max: 40 }), M: fc.integer({ min: 1, max: 5 }), xf: commonFormat, wf: commonFormat, acc: accFormat, perCh: fc.boolean(), withBias: fc.boolean() })
  .chain((c) => fc.record({
    c: fc.constant(c),
    x: valuesIn(c.xf, c.N * c.K), w: valuesIn(c.wf, c.M * c.K), zx: zeroPointIn(c.xf),
    zw: fc.array(zeroPointIn(c.wf), { minLength: c.perCh ? c.M : 1, maxLength: c.perCh ? c.M : 1 }),
    bias: fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: c.M, maxLength: c.M }),
  }))

// every registered kernel backend (all-backends.ts) must pass the same checks
for (const backend of kernelBackends.values()) {
  describe(`${backend.id}: dense is bit-exact against the BigInt oracle`, () => {
    it('for random formats, zero points and accumulators', () => {
      fc.assert(fc.property(denseCase, ({ c, x, w, zx, zw, bias }) => {
        const b = c.withBias ? Float64Array.from(bias) : undefined
        const xt = qtensor([c.N, c.K], c.xf, perTensor(0.1, zx), Float64Array.from(x))
        const wt = qtensor([c.M, c.K], c.wf, zw.length > 1 ? perChannel(zw.map(() => 0.01), zw, 0) : perTensor(0.01, zw[0]), Float64Array.from(w))
        const out = accOut([c.N, c.M], c.acc, c.K, c.xf, zx, c.wf, zw, c.withBias ? bias : undefined)
        backend.dense({ x: xt, w: wt, bias: b, out }, newWork())
        expect(asBig(out.data)).toEqual(oracleDense(x, zx, w, zw, b, c.N, c.K, c.M, c.acc))
      }), { numRuns: 400 })
    })

    it('saturates a 16-bit accumulator per MAC, in tap order, and counts it', () => {
      // 127·127 = 16129 per MAC: the running sum passes 32767 at the third MAC and must stay clamped there
      const x = qtensor([1, 4], { bits: 8, signed: true }, perTensor(1), Int32Array.of(127, 127, 127, -127))
      const w = qtensor([1, 4], { bits: 8, signed: true }, perTensor(1), Int32Array.of(127, 127, 127, 127))
      const out = accTensor([1, 1], { bits: 16, overflow: 'saturate' })
      const work = newWork()
      backend.dense({ x, w, out }, work)
      expect(out.data[0]).toBe(32767 - 16129) // clamped at 32767, then one negative MAC
      expect(work.accSaturations).toBe(1)
      const wrapped = accTensor([1, 1], { bits: 16, overflow: 'wrap' })
      backend.dense({ x, w, out: wrapped }, newWork())
      expect(wrapped.data[0]).toBe(Number(BigInt.asIntN(16, 2n * 16129n)))
    })

    it('clamps per MAC even when the sum bound is below twice the accumulator range', () => {
      // int8 × int4 into 16 bits: 37 MACs of 127·7 = 889 pass 32767, then 3 MACs of −889 come back.
      // Saturating per MAC gives 32767 − 2667; saturating only the end sum would give 32893 − 2667.
      const x = qtensor([1, 40], { bits: 8, signed: true }, perTensor(1), new Int32Array(40).fill(127))
      const w = qtensor([1, 40], { bits: 4, signed: true }, perTensor(1), Int32Array.from({ length: 40 }, (_, i) => (i < 37 ? 7 : -7)))
      const out = accTensor([1, 1], { bits: 16, overflow: 'saturate' })
      const work = newWork()
      backend.dense({ x, w, out }, work)
      expect(out.data[0]).toBe(32767 - 3 * 889)
      expect(work.accSaturations).toBe(1)
    })

    it('handles 32-bit operands in a 64-bit accumulator past 2^53 (BigInt storage)', () => {
      const f = { bits: 32, signed: true }
      const x = qtensor([1, 3], f, perTensor(1), Int32Array.of(-(2 ** 31), 2 ** 31 - 1, -(2 ** 31)))
      const w = qtensor([1, 3], f, perTensor(1), Int32Array.of(-(2 ** 31), -(2 ** 31), -(2 ** 31)))
      const acc = { bits: 64, overflow: 'wrap' } as const
      expect(() => backend.dense({ x, w, out: accTensor([1, 1], acc) }, newWork())).toThrow(/allocate the output with accTensor\(shape, format, true\)/)
      const out = accTensor([1, 1], acc, true)
      backend.dense({ x, w, out }, newWork())
      expect(out.data[0]).toBe(BigInt.asIntN(64, 2n ** 62n - (2n ** 31n - 1n) * 2n ** 31n + 2n ** 62n))
    })

    it('counts MACs and ideal bytes', () => {
      const f = { bits: 8, signed: true }
      const work = newWork()
      backend.dense({ x: qtensor([2, 5], f, perTensor(1)), w: qtensor([3, 5], { bits: 4, signed: true }, perTensor(1)), bias: new Int32Array(3), out: accTensor([2, 3], { bits: 32, overflow: 'wrap' }) }, work)
      expect(work.macs).toBe(30)
      expect(work.bytesRead).toBe(10 + Math.ceil(15 / 2) + 12)
      expect(work.bytesWritten).toBe(6 * 4)
    })
  })

  const convCase = fc.record({
    N: fc.integer({ min: 1, max: 2 }), H: fc.integer({ min: 1, max: 7 }), W: fc.integer({ min: 1, max: 7 }), C: fc.integer({ min: 1, max: 3 }),
    CO: fc.integer({ min: 1, max: 4 }), KH: fc.integer({ min: 1, max: 3 }), KW: fc.integer({ min: 1, max: 3 }),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    pad: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
    dil: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    xf: commonFormat, wf: commonFormat, acc: accFormat, perCh: fc.boolean(),
  }).filter((c) => c.H + c.pad[0] + c.pad[2] >= c.dil[0] * (c.KH - 1) + 1 && c.W + c.pad[1] + c.pad[3] >= c.dil[1] * (c.KW - 1) + 1)

  describe(`${backend.id}: conv2d and depthwise conv are bit-exact against the BigInt oracle`, () => {
    it('conv2d: random geometry (stride, padding, dilation), formats and accumulators', () => {
      fc.assert(fc.property(convCase.chain((c) => fc.record({
        c: fc.constant(c), x: valuesIn(c.xf, c.N * c.H * c.W * c.C), w: valuesIn(c.wf, c.CO * c.KH * c.KW * c.C), zx: zeroPointIn(c.xf),
        zw: fc.array(zeroPointIn(c.wf), { minLength: c.perCh ? c.CO : 1, maxLength: c.perCh ? c.CO : 1 }),
        bias: fc.array(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), { minLength: c.CO, maxLength: c.CO }),
      })), ({ c, x, w, zx, zw, bias }) => {
        const want = oracleConv2d(x, [c.N, c.H, c.W, c.C], zx, w, [c.CO, c.KH, c.KW, c.C], zw, bias, c.stride, [...c.pad], c.dil, c.acc)
        const xt = qtensor([c.N, c.H, c.W, c.C], c.xf, perTensor(1, zx), Float64Array.from(x))
        const wt = qtensor([c.CO, c.KH, c.KW, c.C], c.wf, zw.length > 1 ? perChannel(zw.map(() => 1), zw, 0) : perTensor(1, zw[0]), Float64Array.from(w))
        const out = accOut(want.shape, c.acc, c.KH * c.KW * c.C, c.xf, zx, c.wf, zw, bias)
        backend.conv2d({ x: xt, w: wt, bias: Float64Array.from(bias), out, stride: c.stride, padding: c.pad, dilation: c.dil }, newWork())
        expect(asBig(out.data)).toEqual(want.out)
      }), { numRuns: 300 })
    })

    it('depthwise: random geometry, channel multiplier, formats and accumulators', () => {
      fc.assert(fc.property(convCase.chain((c) => fc.record({
        c: fc.constant(c), mult: fc.integer({ min: 1, max: 3 }), x: valuesIn(c.xf, c.N * c.H * c.W * c.C), zx: zeroPointIn(c.xf),
      }).chain((d) => fc.record({
        d: fc.constant(d), w: valuesIn(c.wf, c.KH * c.KW * c.C * d.mult),
        zw: fc.array(zeroPointIn(c.wf), { minLength: c.perCh ? c.C * d.mult : 1, maxLength: c.perCh ? c.C * d.mult : 1 }),
      }))), ({ d, w, zw }) => {
        const { c, mult, x, zx } = d
        const OC = c.C * mult
        const want = oracleDepthwise(x, [c.N, c.H, c.W, c.C], zx, w, [c.KH, c.KW, OC], zw, undefined, c.stride, [...c.pad], c.dil, c.acc)
        const xt = qtensor([c.N, c.H, c.W, c.C], c.xf, perTensor(1, zx), Float64Array.from(x))
        const wt = qtensor([c.KH, c.KW, OC], c.wf, zw.length > 1 ? perChannel(zw.map(() => 1), zw, 2) : perTensor(1, zw[0]), Float64Array.from(w))
        const out = accOut(want.shape, c.acc, c.KH * c.KW, c.xf, zx, c.wf, zw)
        backend.depthwiseConv2d({ x: xt, w: wt, out, stride: c.stride, padding: c.pad, dilation: c.dil }, newWork())
        expect(asBig(out.data)).toEqual(want.out)
      }), { numRuns: 300 })
    })

    it('rejects mismatched shapes with a message that names them', () => {
      const f = { bits: 8, signed: true }
      expect(() => backend.conv2d({ x: qtensor([1, 4, 4, 2], f, perTensor(1)), w: qtensor([3, 3, 3, 1], f, perTensor(1)), out: accTensor([1, 2, 2, 3], { bits: 32, overflow: 'wrap' }) }, newWork()))
        .toThrow(/conv2d input channels vs weight input channels: 2 ≠ 1/)
    })
  })
}

void valueIn
