/**
 * The fast float path of training (linalg.ts: im2col + blocked GEMM, transposes, col2im) against the
 * reference backward passes in reference/float-backward.ts — which are themselves checked against
 * tfjs's autodiff to 1e-6 (float-backward.tfjs.test.ts). Together: the float backprop of the studio
 * matches an independent autodiff on every layer type.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as la from './linalg'
import { conv2dBackwardF, denseBackwardF, depthwiseConv2dBackwardF } from '../../reference/float-backward'
import { conv2dF, denseF, depthwiseConv2dF } from '../../reference/float-kernels'
import { resolveWindow } from '../../kernels/geometry'

const reals = (n: number) => fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }).map((a) => Float64Array.from(a))
const close = (got: Float64Array, want: Float64Array) => {
  let scale = 0
  want.forEach((v) => (scale = Math.max(scale, Math.abs(v))))
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, scale))
}

const geometry = fc.record({
  N: fc.integer({ min: 1, max: 2 }), H: fc.integer({ min: 3, max: 7 }), W: fc.integer({ min: 3, max: 7 }), C: fc.integer({ min: 1, max: 3 }),
  CO: fc.integer({ min: 1, max: 5 }), K: fc.integer({ min: 1, max: 3 }), s: fc.integer({ min: 1, max: 2 }), d: fc.integer({ min: 1, max: 2 }),
  p: fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 })),
}).filter((g) => g.H + g.p[0] + g.p[2] >= g.d * (g.K - 1) + 1 && g.W + g.p[1] + g.p[3] >= g.d * (g.K - 1) + 1)

describe('training linear algebra equals the reference (autodiff-checked) float kernels', () => {
  it('dense forward, backward-input, backward-weight', () => {
    fc.assert(fc.property(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 9 })).chain(([N, K, M]) => fc.tuple(fc.constant([N, K, M]), reals(N * K), reals(M * K), reals(N * M))), ([[N, K, M], x, w, dy]) => {
      const y = new Float64Array(N * M), dx = new Float64Array(N * K), dw = new Float64Array(M * K)
      la.denseForward(x, N, K, w, M, undefined, y)
      la.denseBackwardInput(dy, N, M, w, K, dx)
      la.denseBackwardWeight(dy, N, M, x, K, dw)
      const ref = denseBackwardF(x, w, dy, N, K, M)
      close(y, denseF(x, w, undefined, N, K, M)); close(dx, ref.dx); close(dw, ref.dw)
    }), { numRuns: 200 })
  })

  it('conv2d forward, backward-input, backward-weight (stride, padding, dilation)', () => {
    fc.assert(fc.property(geometry.chain((g) => fc.tuple(fc.constant(g), reals(g.N * g.H * g.W * g.C), reals(g.CO * g.K * g.K * g.C))), ([g, x, w]) => {
      const win = resolveWindow('t', g.H, g.W, { kernel: [g.K, g.K], stride: [g.s, g.s], padding: g.p, dilation: [g.d, g.d] })
      const d: la.ConvDims = { N: g.N, H: g.H, W: g.W, C: g.C, CO: g.CO, KH: g.K, KW: g.K, g: win }
      const ref = conv2dF(x, [g.N, g.H, g.W, g.C], w, [g.CO, g.K, g.K, g.C], undefined, { stride: [g.s, g.s], padding: g.p, dilation: [g.d, g.d] })
      const y = new Float64Array(ref.y.length)
      la.conv2dForward(x, w, undefined, d, y)
      close(y, ref.y)
      const dy = Float64Array.from(ref.y, (_, i) => ((i * 37) % 11) / 5 - 1)
      const dx = new Float64Array(x.length), dw = new Float64Array(w.length)
      la.conv2dBackwardInput(dy, w, d, dx)
      la.conv2dBackwardWeight(dy, x, d, dw)
      const b = conv2dBackwardF(x, [g.N, g.H, g.W, g.C], w, [g.CO, g.K, g.K, g.C], dy, { stride: [g.s, g.s], padding: g.p, dilation: [g.d, g.d] })
      close(dx, b.dx); close(dw, b.dw)
    }), { numRuns: 150 })
  })

  it('depthwise forward, backward-input, backward-weight (channel multiplier)', () => {
    fc.assert(fc.property(geometry.chain((g) => fc.tuple(fc.constant(g), fc.integer({ min: 1, max: 3 }), reals(g.N * g.H * g.W * g.C))).chain(([g, m, x]) => fc.tuple(fc.constant([g, m, x] as const), reals(g.K * g.K * g.C * m))), ([[g, m, x], w]) => {
      const win = resolveWindow('t', g.H, g.W, { kernel: [g.K, g.K], stride: [g.s, g.s], padding: g.p, dilation: [g.d, g.d] })
      const d: la.DepthwiseDims = { N: g.N, H: g.H, W: g.W, C: g.C, KH: g.K, KW: g.K, mult: m, g: win }
      const ref = depthwiseConv2dF(x, [g.N, g.H, g.W, g.C], w, [g.K, g.K, g.C * m], undefined, { stride: [g.s, g.s], padding: g.p, dilation: [g.d, g.d] })
      const y = new Float64Array(ref.y.length)
      la.depthwiseForward(x, w, undefined, d, y)
      close(y, ref.y)
      const dy = Float64Array.from(ref.y, (_, i) => ((i * 29) % 13) / 6 - 1)
      const dx = new Float64Array(x.length), dw = new Float64Array(w.length)
      la.depthwiseBackwardInput(dy, w, d, dx)
      la.depthwiseBackwardWeight(dy, x, d, dw)
      const b = depthwiseConv2dBackwardF(x, [g.N, g.H, g.W, g.C], w, [g.K, g.K, g.C * m], dy, { stride: [g.s, g.s], padding: g.p, dilation: [g.d, g.d] })
      close(dx, b.dx); close(dw, b.dw)
    }), { numRuns: 150 })
  })
})
