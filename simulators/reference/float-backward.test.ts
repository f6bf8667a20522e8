/**
 * The backward passes are the derivatives of the forward kernels in float-kernels.ts: for random small
 * shapes, inputs, output gradients dY and directions v, the directional derivative of L(t) = Σ dY ⊙ f(p + t·v)
 * by central differences equals ⟨∂L/∂p, v⟩ from the backward pass (jax's check_grads, in one direction).
 * Conv, dense, pooling (away from ties) and ReLU (away from kinks) are piecewise linear, so the central
 * difference is exact up to float64 rounding: tolerance 1e-9 of the size of the terms. Softmax
 * cross-entropy is smooth: h = 1e-5, tolerance 1e-7.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addF, conv2dF, denseF, depthwiseConv2dF, pool2dF, relu6F, reluF, softmaxCrossEntropyF } from './float-kernels'
import {
  addBackwardF, avgPool2dBackwardF, conv2dBackwardF, denseBackwardF, depthwiseConv2dBackwardF, globalAvgPoolBackwardF,
  maxPool2dBackwardF, relu6BackwardF, reluBackwardF,
} from './float-backward'

type Shape4 = [number, number, number, number]

/** Seeded uniform [-1, 1) stream (mulberry32): fast-check picks the seed, so failures replay. */
function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1
  }
}
const randoms = (r: () => number, n: number) => Float64Array.from({ length: n }, r)

/** Distinct values spaced 0.1 apart (shuffled), so a max is unique by a margin far above the step h. */
function distinct(r: () => number, n: number): Float64Array {
  const v = Float64Array.from({ length: n }, (_, i) => (i - n / 2) * 0.1)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(((r() + 1) / 2) * (i + 1))
    ;[v[i], v[j]] = [v[j], v[i]]
  }
  return v
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + v * b[i], 0)
const absDot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + Math.abs(v * b[i]), 0)

/** Central difference of t ↦ Σ dY ⊙ f(p + t·v) against ⟨grad, v⟩. */
function expectDirectional(f: (p: Float64Array) => ArrayLike<number>, p: Float64Array, grad: Float64Array, dy: ArrayLike<number>, v: Float64Array, h = 1e-3, tol = 1e-9) {
  const L = (t: number) => dot(dy, f(p.map((pi, i) => pi + t * v[i])))
  const numeric = (L(h) - L(-h)) / (2 * h)
  expect(Math.abs(numeric - dot(grad, v))).toBeLessThanOrEqual(tol * (1 + absDot(grad, v)))
}

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 })
const padPair = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }))

/** A window on a small NHWC input with at least one output, padding up to 2 per side (≤ the dilated kernel
 *  reach, as ONNX requires) and no pooling window entirely in the padding (tested separately below). */
const windowCase = fc.record({
  N: fc.integer({ min: 1, max: 2 }), H: fc.integer({ min: 1, max: 7 }), W: fc.integer({ min: 1, max: 7 }), C: fc.integer({ min: 1, max: 3 }),
  KH: fc.integer({ min: 1, max: 3 }), KW: fc.integer({ min: 1, max: 3 }),
  stride: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  padH: padPair, padW: padPair, seed,
}).map((c) => ({
  ...c,
  padding: [Math.min(c.padH[0], (c.KH - 1) * c.dilation[0]), Math.min(c.padW[0], (c.KW - 1) * c.dilation[1]),
    Math.min(c.padH[1], (c.KH - 1) * c.dilation[0]), Math.min(c.padW[1], (c.KW - 1) * c.dilation[1])] as [number, number, number, number],
})).filter((c) => c.H + c.padding[0] + c.padding[2] >= (c.KH - 1) * c.dilation[0] + 1 && c.W + c.padding[1] + c.padding[3] >= (c.KW - 1) * c.dilation[1] + 1)
  // With dilation a window can straddle the input and still miss it (taps -1 and 1 on a width-1 row):
  // keep only cases where every window reads at least one input (exclusive average of ones is then finite).
  .filter((c) => pool2dF('avg', new Float64Array(c.H * c.W).fill(1), [1, c.H, c.W, 1], { kernel: [c.KH, c.KW], stride: c.stride, padding: c.padding, dilation: c.dilation }).y.every(Number.isFinite))

type WindowCase = typeof windowCase extends fc.Arbitrary<infer T> ? T : never
/** Stride 2, dilation 2, asymmetric padding (and multiplier 2 / 3 output channels below), pinned so it always runs. */
const pinned: WindowCase = { N: 1, H: 6, W: 5, C: 2, KH: 3, KW: 2, stride: [2, 2], dilation: [2, 2], padH: [1, 2], padW: [2, 1], padding: [1, 2, 2, 1], seed: 7 }

describe('float64 backward passes match central differences of the forward kernels', () => {
  it('dense: dX, dW, dB', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 5 }), seed, (N, K, M, s) => {
      const r = rng(s)
      const [x, w, b, dy] = [randoms(r, N * K), randoms(r, M * K), randoms(r, M), randoms(r, N * M)]
      const g = denseBackwardF(x, w, dy, N, K, M)
      expectDirectional((p) => denseF(p, w, b, N, K, M), x, g.dx, dy, randoms(r, x.length))
      expectDirectional((p) => denseF(x, p, b, N, K, M), w, g.dw, dy, randoms(r, w.length))
      expectDirectional((p) => denseF(x, w, p, N, K, M), b, g.db, dy, randoms(r, b.length))
    }), { numRuns: 100 })
  })

  it('conv2d: stride, asymmetric padding, dilation', () => {
    fc.assert(fc.property(windowCase, fc.integer({ min: 1, max: 3 }), (c, CO) => {
      const r = rng(c.seed)
      const xShape: Shape4 = [c.N, c.H, c.W, c.C]
      const wShape: Shape4 = [CO, c.KH, c.KW, c.C]
      const win = { stride: c.stride, padding: c.padding, dilation: c.dilation }
      const x = randoms(r, c.N * c.H * c.W * c.C)
      const w = randoms(r, CO * c.KH * c.KW * c.C)
      const b = randoms(r, CO)
      const dy = randoms(r, conv2dF(x, xShape, w, wShape, b, win).y.length)
      const g = conv2dBackwardF(x, xShape, w, wShape, dy, win)
      expectDirectional((p) => conv2dF(p, xShape, w, wShape, b, win).y, x, g.dx, dy, randoms(r, x.length))
      expectDirectional((p) => conv2dF(x, xShape, p, wShape, b, win).y, w, g.dw, dy, randoms(r, w.length))
      expectDirectional((p) => conv2dF(x, xShape, w, wShape, p, win).y, b, g.db, dy, randoms(r, b.length))
    }), { numRuns: 300, examples: [[pinned, 3]] })
  })

  it('depthwise conv2d: channel multiplier, stride, padding, dilation', () => {
    fc.assert(fc.property(windowCase, fc.integer({ min: 1, max: 3 }), (c, mult) => {
      const r = rng(c.seed)
      const xShape: Shape4 = [c.N, c.H, c.W, c.C]
      const wShape: [number, number, number] = [c.KH, c.KW, c.C * mult]
      const win = { stride: c.stride, padding: c.padding, dilation: c.dilation }
      const x = randoms(r, c.N * c.H * c.W * c.C)
      const w = randoms(r, c.KH * c.KW * c.C * mult)
      const b = randoms(r, c.C * mult)
      const dy = randoms(r, depthwiseConv2dF(x, xShape, w, wShape, b, win).y.length)
      const g = depthwiseConv2dBackwardF(x, xShape, w, wShape, dy, win)
      expectDirectional((p) => depthwiseConv2dF(p, xShape, w, wShape, b, win).y, x, g.dx, dy, randoms(r, x.length))
      expectDirectional((p) => depthwiseConv2dF(x, xShape, p, wShape, b, win).y, w, g.dw, dy, randoms(r, w.length))
      expectDirectional((p) => depthwiseConv2dF(x, xShape, w, wShape, p, win).y, b, g.db, dy, randoms(r, b.length))
    }), { numRuns: 300, examples: [[pinned, 2]] })
  })

  it('max pool (distinct inputs; overlapping windows accumulate)', () => {
    fc.assert(fc.property(windowCase, (c) => {
      const r = rng(c.seed)
      const xShape: Shape4 = [c.N, c.H, c.W, c.C]
      const win = { kernel: [c.KH, c.KW] as [number, number], stride: c.stride, padding: c.padding, dilation: c.dilation }
      const x = distinct(r, c.N * c.H * c.W * c.C)
      const dy = randoms(r, pool2dF('max', x, xShape, win).y.length)
      expectDirectional((p) => pool2dF('max', p, xShape, win).y, x, maxPool2dBackwardF(x, xShape, win, dy), dy, randoms(r, x.length))
    }), { numRuns: 300 })
  })

  it('average pool, padding excluded from or included in the count', () => {
    fc.assert(fc.property(windowCase, fc.boolean(), (c, includePad) => {
      const r = rng(c.seed)
      const xShape: Shape4 = [c.N, c.H, c.W, c.C]
      const win = { kernel: [c.KH, c.KW] as [number, number], stride: c.stride, padding: c.padding, dilation: c.dilation }
      const x = randoms(r, c.N * c.H * c.W * c.C)
      const dy = randoms(r, pool2dF('avg', x, xShape, win, includePad).y.length)
      expectDirectional((p) => pool2dF('avg', p, xShape, win, includePad).y, x, avgPool2dBackwardF(xShape, win, dy, includePad), dy, randoms(r, x.length))
    }), { numRuns: 300 })
  })

  it('global average pool (the forward is pool2dF with the whole plane as window)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 3 }), seed, (N, H, W, C, s) => {
      const r = rng(s)
      const xShape: Shape4 = [N, H, W, C]
      const x = randoms(r, N * H * W * C)
      const dy = randoms(r, N * C)
      expectDirectional((p) => pool2dF('avg', p, xShape, { kernel: [H, W] }).y, x, globalAvgPoolBackwardF(xShape, dy), dy, randoms(r, x.length))
    }), { numRuns: 100 })
  })

  it('ReLU and ReLU6 away from the kinks; residual add', () => {
    // Values k/2 + 1/4 lie at least 1/4 from 0 and 6 and span both sides of each kink.
    const awayFromKinks = fc.array(fc.integer({ min: -20, max: 20 }).map((k) => k / 2 + 0.25), { minLength: 1, maxLength: 30 })
    fc.assert(fc.property(awayFromKinks, seed, (xs, s) => {
      const r = rng(s)
      const x = Float64Array.from(xs)
      const dy = randoms(r, x.length)
      expectDirectional(reluF, x, reluBackwardF(x, dy), dy, randoms(r, x.length))
      expectDirectional(relu6F, x, relu6BackwardF(x, dy), dy, randoms(r, x.length))
      const other = randoms(r, x.length)
      const { da, db } = addBackwardF(dy)
      expectDirectional((p) => addF(p, other), x, da, dy, randoms(r, x.length))
      expectDirectional((p) => addF(other, p), x, db, dy, randoms(r, x.length))
    }), { numRuns: 100 })
  })

  it('softmax cross-entropy gradient (already in float-kernels.ts) is the derivative of its loss', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 6 }), seed, (N, K, s) => {
      const r = rng(s)
      const logits = randoms(r, N * K).map((v) => 3 * v)
      const labels = Array.from({ length: N }, () => Math.floor(((r() + 1) / 2) * K))
      const { grad } = softmaxCrossEntropyF(logits, labels, N, K)
      expectDirectional((p) => [softmaxCrossEntropyF(p, labels, N, K).loss], logits, grad, [1], randoms(r, logits.length), 1e-5, 1e-7)
    }), { numRuns: 100 })
  })
})

describe('conventions at kinks and ties', () => {
  it('ReLU passes only x > 0; ReLU6 only 0 < x < 6', () => {
    const x = Float64Array.of(-1, -0, 0, 1e-300, 3, 6 - 2 ** -50, 6, 7)
    const dy = new Float64Array(x.length).fill(1)
    expect(Array.from(reluBackwardF(x, dy))).toEqual([0, 0, 0, 1, 1, 1, 1, 1])
    expect(Array.from(relu6BackwardF(x, dy))).toEqual([0, 0, 0, 1, 1, 1, 0, 0])
  })

  it('max pool: ties go to the first maximum in (ky, kx) order, overlapping windows accumulate', () => {
    // 1×2×3×1 input, 2×2 kernel, stride 1: windows over columns 0-1 and 1-2.
    const x = Float64Array.of(5, 5, 5, 1, 5, 5)
    const dx = maxPool2dBackwardF(x, [1, 2, 3, 1], { kernel: [2, 2] }, Float64Array.of(10, 100))
    // window 0 taps (0,0) (0,1) (1,0) (1,1): first 5 at (0,0); window 1 taps (0,1) (0,2) (1,1) (1,2): first at (0,1)
    expect(Array.from(dx)).toEqual([10, 100, 0, 0, 0, 0])
    // overlap: both windows pick the shared column's maximum
    const y = Float64Array.of(0, 9, 0, 0, 0, 0)
    expect(Array.from(maxPool2dBackwardF(y, [1, 2, 3, 1], { kernel: [2, 2] }, Float64Array.of(10, 100)))).toEqual([0, 110, 0, 0, 0, 0])
  })

  it('pool windows entirely in the padding send no gradient (and no NaN)', () => {
    const win = { kernel: [1, 1] as [number, number], padding: [1, 0, 0, 0] as [number, number, number, number] }
    const x = Float64Array.of(2, 3)
    const dy = Float64Array.of(1, 1, 1, 1) // output row 0 is all padding
    expect(Array.from(maxPool2dBackwardF(x, [1, 1, 2, 1], win, dy))).toEqual([1, 1])
    expect(Array.from(avgPool2dBackwardF([1, 1, 2, 1], win, dy))).toEqual([1, 1])
  })

  it('rejects a dY whose size is not the forward output size', () => {
    expect(() => denseBackwardF(new Float64Array(6), new Float64Array(6), new Float64Array(5), 2, 3, 2)).toThrow(/dy has 5/)
  })
})
