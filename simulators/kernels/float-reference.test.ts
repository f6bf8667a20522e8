/**
 * The integer MAC kernels mean what the float definitions say: with a wide accumulator, acc·s_x·s_w
 * equals the float64 reference on dequantized inputs (up to float64 rounding of the reference).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dense } from './dense'
import { conv2d } from './conv2d'
import { depthwiseConv2d } from './depthwise-conv2d'
import { accTensor, qtensor } from '../core/tensor'
import { calibrate, dequantize, quantize } from '../core/quant'
import { newWork } from '../core/work'
import { intFormat } from '../core/int-format'
import { conv2dF, denseF, depthwiseConv2dF } from '../reference/float-kernels'

const wide = { bits: 48, overflow: 'saturate' } as const
const realArray = (n: number) => fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n })

function quantized(real: number[], shape: number[], bits: number, axis?: number) {
  const f = intFormat(bits, true)
  const q = calibrate(real, shape, f, { symmetric: axis !== undefined, axis })
  return qtensor(shape, f, q, quantize(real, shape, f, q))
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>) {
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want[i])))
}

describe('integer kernels agree with the float64 references on dequantized values', () => {
  it('dense, per-channel weights', () => {
    fc.assert(fc.property(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 6 }), fc.constantFrom(4, 8, 16), fc.constantFrom(4, 8, 16)).chain(([N, K, M, bx, bw]) => fc.tuple(fc.constant([N, K, M, bx, bw]), realArray(N * K), realArray(M * K))), ([[N, K, M, bx, bw], xr, wr]) => {
      const x = quantized(xr, [N, K], bx)
      const w = quantized(wr, [M, K], bw, 0)
      const out = accTensor([N, M], wide)
      dense({ x, w, out }, newWork())
      const ref = denseF(dequantize(x.data, x.shape, x.quant), dequantize(w.data, w.shape, w.quant), undefined, N, K, M)
      expectClose(Array.from(out.data as Float64Array, (v, i) => v * x.quant.scales[0] * w.quant.scales[i % M]), ref)
    }), { numRuns: 150 })
  })

  it('conv2d with stride, padding and dilation', () => {
    fc.assert(fc.property(fc.tuple(fc.constantFrom(1, 2), fc.constantFrom([0, 0, 0, 0], [1, 1, 1, 1], [0, 1, 1, 0]), fc.constantFrom(1, 2)).chain(([s, p, d]) => fc.tuple(fc.constant([s, p, d] as const), realArray(1 * 6 * 5 * 2), realArray(3 * 2 * 2 * 2))), ([[s, p, d], xr, wr]) => {
      const x = quantized(xr, [1, 6, 5, 2], 8)
      const w = quantized(wr, [3, 2, 2, 2], 8, 0)
      const ref = conv2dF(dequantize(x.data, x.shape, x.quant), [1, 6, 5, 2], dequantize(w.data, w.shape, w.quant), [3, 2, 2, 2], undefined, { stride: [s, s], padding: p as [number, number, number, number], dilation: [d, d] })
      const out = accTensor(ref.shape, wide)
      conv2d({ x, w, out, stride: [s, s], padding: p as [number, number, number, number], dilation: [d, d] }, newWork())
      expectClose(Array.from(out.data as Float64Array, (v, i) => v * x.quant.scales[0] * w.quant.scales[i % 3]), ref.y)
    }), { numRuns: 60 })
  })

  it('depthwise with a channel multiplier', () => {
    fc.assert(fc.property(realArray(2 * 5 * 5 * 3), realArray(3 * 3 * 6), (xr, wr) => {
      const x = quantized(xr, [2, 5, 5, 3], 8)
      const w = quantized(wr, [3, 3, 6], 8, 2)
      const ref = depthwiseConv2dF(dequantize(x.data, x.shape, x.quant), [2, 5, 5, 3], dequantize(w.data, w.shape, w.quant), [3, 3, 6], undefined, { padding: [1, 1, 1, 1] })
      const out = accTensor(ref.shape, wide)
      depthwiseConv2d({ x, w, out, padding: [1, 1, 1, 1] }, newWork())
      expectClose(Array.from(out.data as Float64Array, (v, i) => v * x.quant.scales[0] * w.quant.scales[i % 6]), ref.y)
    }), { numRuns: 60 })
  })
})
