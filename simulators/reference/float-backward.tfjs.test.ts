/**
 * The float64 backward passes agree with an independent autodiff: TensorFlow.js (tfjs-core 4.22 + cpu
 * backend) differentiating Σ dY ⊙ f(x, w, b) with tf.grads. Harness and layout changes: simulators/testing/tfjs.
 *
 * Tolerance. tfjs computes in float32. Every input, weight and dY here is a multiple of 1/4 in [-2, 2] (max
 * pooling: distinct multiples of 1/8; logits: of 1/8), exact in float32. Then every product and partial sum
 * of the dense, conv and depthwise forward and backward passes is a multiple of 1/16 below 2^10, i.e. fewer
 * than 2^24 units, so float32 computes them exactly and they agree with float64 bit for bit. Average pooling
 * divides by a count and softmax uses exp/log, which float32 rounds (2^-24 relative per step). We require
 *   max_i |ours_i − tfjs_i| ≤ 1e-6 · max_i |ours_i|
 * per gradient tensor (for softmax cross-entropy, relative to the size of the terms that cancel: see there),
 * and print the largest relative error seen per layer at the end.
 *
 * Conventions where tfjs differs from ours (pinned in the last describe block):
 * - ReLU6 at exactly x = 6: tfjs passes the gradient (mask = (x ≤ 6)·step(x)), we do not (0 < x < 6).
 *   At x = 0 both give 0 for ReLU and ReLU6. Random data here avoids both kinks.
 * - Max-pool ties: tfjs's cpu backend also picks the first maximum in window scan order (strict > in
 *   maxPoolPositions), same as ours. Random data uses distinct values anyway.
 * - tfjs's built-in avgPool gradient divides by KH·KW even where its forward excluded padding, so with
 *   padding it is not the derivative of its own forward; we compare against a depthwise-sum formulation.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { conv2dF, denseF, depthwiseConv2dF, pool2dF, relu6F, reluF, softmaxCrossEntropyF } from './float-kernels'
import {
  avgPool2dBackwardF, conv2dBackwardF, denseBackwardF, depthwiseConv2dBackwardF, maxPool2dBackwardF, relu6BackwardF, reluBackwardF,
} from './float-backward'
import {
  avgPoolTf, conv2dTf, denseTf, depthwiseConv2dTf, forwardTf, maxPoolTf, softmaxCrossEntropyTf, tf, tfAvgPoolBuiltin,
  useTfCpu, vjpTf,
} from '../testing/tfjs/tfjs'

type Shape4 = [number, number, number, number]

/** Seeded stream of integers in [lo, hi] (mulberry32). */
function ints(seed: number) {
  let a = seed >>> 0
  return (lo: number, hi: number) => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return lo + (((t ^ (t >>> 14)) >>> 0) % (hi - lo + 1))
  }
}
/** Multiples of 1/4 in [-2, 2]: exact in float32, and so are their short dot products. */
const quarters = (r: ReturnType<typeof ints>, n: number) => Float64Array.from({ length: n }, () => r(-8, 8) / 4)
/** Distinct multiples of 1/8 (a shuffled ramp): no max-pool ties. */
function distinctEighths(r: ReturnType<typeof ints>, n: number) {
  const v = Float64Array.from({ length: n }, (_, i) => (i - (n >> 1)) / 8)
  for (let i = n - 1; i > 0; i--) {
    const j = r(0, i)
    ;[v[i], v[j]] = [v[j], v[i]]
  }
  return v
}

const worst = new Map<string, number>()
/** max|ours − theirs| ≤ 1e-6·scale, scale = max|ours| unless given; records the relative error under `layer`. */
function expectAgree(layer: string, ours: Float64Array, theirs: Float64Array, scale = Math.max(...Array.from(ours, Math.abs), 1e-30)) {
  expect(theirs.length).toBe(ours.length)
  const err = Math.max(0, ...Array.from(ours, (v, i) => Math.abs(v - theirs[i]))) / scale
  worst.set(layer, Math.max(worst.get(layer) ?? 0, err))
  expect(err).toBeLessThanOrEqual(1e-6)
}

const padPair = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }))
const windowCase = (maxDilation: number) => fc.record({
  N: fc.integer({ min: 1, max: 2 }), H: fc.integer({ min: 1, max: 6 }), W: fc.integer({ min: 1, max: 6 }), C: fc.integer({ min: 1, max: 3 }),
  KH: fc.integer({ min: 1, max: 3 }), KW: fc.integer({ min: 1, max: 3 }),
  stride: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  dilation: fc.tuple(fc.integer({ min: 1, max: maxDilation }), fc.integer({ min: 1, max: maxDilation })),
  padH: padPair, padW: padPair, seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
}).map((c) => ({
  ...c,
  padding: [Math.min(c.padH[0], (c.KH - 1) * c.dilation[0]), Math.min(c.padW[0], (c.KW - 1) * c.dilation[1]),
    Math.min(c.padH[1], (c.KH - 1) * c.dilation[0]), Math.min(c.padW[1], (c.KW - 1) * c.dilation[1])] as [number, number, number, number],
})).filter((c) => c.H + c.padding[0] + c.padding[2] >= (c.KH - 1) * c.dilation[0] + 1 && c.W + c.padding[1] + c.padding[3] >= (c.KW - 1) * c.dilation[1] + 1)
  .filter((c) => pool2dF('avg', new Float64Array(c.H * c.W).fill(1), [1, c.H, c.W, 1], { kernel: [c.KH, c.KW], stride: c.stride, padding: c.padding, dilation: c.dilation }).y.every(Number.isFinite))
// (≥ one output, and every window reads at least one input: no all-padding windows)

const runs = { numRuns: 100 }
/** Stride 2 with dilation 2 (beyond tfjs's own conv limits), asymmetric padding; pinned so it always runs. */
const pinned = { N: 1, H: 6, W: 5, C: 2, KH: 3, KW: 2, stride: [2, 2], dilation: [2, 2], padH: [1, 2], padW: [2, 1], padding: [1, 2, 2, 1], seed: 7 } satisfies
  (ReturnType<typeof windowCase> extends fc.Arbitrary<infer T> ? T : never)

beforeAll(useTfCpu)
afterAll(() => {
  console.info('largest relative error vs tfjs (float32):\n' + [...worst].map(([k, v]) => `  ${k.padEnd(28)} ${v.toExponential(2)}`).join('\n'))
})

describe('float64 backward passes agree with TensorFlow.js autodiff', () => {
  it('dense', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 6 }), fc.integer(), (N, K, M, s) => {
      const r = ints(s)
      const [x, w, b, dy] = [quarters(r, N * K), quarters(r, M * K), quarters(r, M), quarters(r, N * M)]
      const args = [{ data: x, shape: [N, K] }, { data: w, shape: [M, K] }, { data: b, shape: [M] }]
      expectAgree('dense forward', denseF(x, w, b, N, K, M), forwardTf(denseTf, args))
      const [dx, dw, db] = vjpTf(denseTf, args, dy)
      const g = denseBackwardF(x, w, dy, N, K, M)
      expectAgree('dense dX', g.dx, dx)
      expectAgree('dense dW', g.dw, dw)
      expectAgree('dense dB', g.db, db)
    }), runs)
  })

  it('conv2d (stride, explicit padding, dilation via a zero-stuffed kernel)', () => {
    fc.assert(fc.property(windowCase(2), fc.integer({ min: 1, max: 3 }), (c, CO) => {
      const r = ints(c.seed)
      const xShape: Shape4 = [c.N, c.H, c.W, c.C]
      const wShape: Shape4 = [CO, c.KH, c.KW, c.C]
      const win = { stride: c.stride, padding: c.padding, dilation: c.dilation }
      const [x, w, b] = [quarters(r, c.N * c.H * c.W * c.C), quarters(r, CO * c.KH * c.KW * c.C), quarters(r, CO)]
      const fwd = conv2dF(x, xShape, w, wShape, b, win).y
      const f = (tx: tf.Tensor, tw: tf.Tensor, tb: tf.Tensor) => conv2dTf(tx, tw, tb, win)
      const args = [{ data: x, shape: xShape }, { data: w, shape: wShape }, { data: b, shape: [CO] }]
      expectAgree('conv2d forward', fwd, forwardTf(f, args))
      const dy = quarters(r, fwd.length)
      const [dx, dw, db] = vjpTf(f, args, dy)
      const g = conv2dBackwardF(x, xShape, w, wShape, dy, win)
      expectAgree('conv2d dX', g.dx, dx)
      expectAgree('conv2d dW', g.dw, dw)
      expectAgree('conv2d dB', g.db, db)
    }), { ...runs, examples: [[pinned, 3]] })
  })

  it('depthwise conv2d (channel multiplier 1-3, stride, padding, dilation)', () => {
    fc.assert(fc.property(windowCase(2), fc.integer({ min: 1, max: 3 }), (c, mult) => {
      const r = ints(c.seed)
      const xShape: Shape4 = [c.N, c.H, c.W, c.C]
      const wShape: [number, number, number] = [c.KH, c.KW, c.C * mult]
      const win = { stride: c.stride, padding: c.padding, dilation: c.dilation }
      const [x, w, b] = [quarters(r, c.N * c.H * c.W * c.C), quarters(r, c.KH * c.KW * c.C * mult), quarters(r, c.C * mult)]
      const fwd = depthwiseConv2dF(x, xShape, w, wShape, b, win).y
      const f = (tx: tf.Tensor, tw: tf.Tensor, tb: tf.Tensor) => depthwiseConv2dTf(tx, tw, tb, win)
      const args = [{ data: x, shape: xShape }, { data: w, shape: wShape }, { data: b, shape: [c.C * mult] }]
      expectAgree('depthwise forward', fwd, forwardTf(f, args))
      const dy = quarters(r, fwd.length)
      const [dx, dw, db] = vjpTf(f, args, dy)
      const g = depthwiseConv2dBackwardF(x, xShape, w, wShape, dy, win)
      expectAgree('depthwise dX', g.dx, dx)
      expectAgree('depthwise dW', g.dw, dw)
      expectAgree('depthwise dB', g.db, db)
    }), { ...runs, examples: [[pinned, 2]] })
  })

  it('max pool (tf.maxPool: stride, explicit padding; distinct values)', () => {
    fc.assert(fc.property(windowCase(1), (c) => {
      const r = ints(c.seed)
      const xShape: Shape4 = [c.N, c.H, c.W, c.C]
      const win = { kernel: [c.KH, c.KW] as [number, number], stride: c.stride, padding: c.padding }
      const x = distinctEighths(r, c.N * c.H * c.W * c.C)
      const fwd = pool2dF('max', x, xShape, win).y
      const f = (tx: tf.Tensor) => maxPoolTf(tx, win)
      expectAgree('maxPool forward', fwd, forwardTf(f, [{ data: x, shape: xShape }]))
      const dy = quarters(r, fwd.length)
      expectAgree('maxPool dX', maxPool2dBackwardF(x, xShape, win, dy), vjpTf(f, [{ data: x, shape: xShape }], dy)[0])
    }), runs)
  })

  it('average pool, padding excluded from / included in the count, dilation', () => {
    fc.assert(fc.property(windowCase(2), fc.boolean(), (c, includePad) => {
      const r = ints(c.seed)
      const xShape: Shape4 = [c.N, c.H, c.W, c.C]
      const win = { kernel: [c.KH, c.KW] as [number, number], stride: c.stride, padding: c.padding, dilation: c.dilation }
      const x = quarters(r, c.N * c.H * c.W * c.C)
      const fwd = pool2dF('avg', x, xShape, win, includePad).y
      const f = (tx: tf.Tensor) => avgPoolTf(tx, win, includePad)
      expectAgree('avgPool forward', fwd, forwardTf(f, [{ data: x, shape: xShape }]))
      const dy = quarters(r, fwd.length)
      expectAgree('avgPool dX', avgPool2dBackwardF(xShape, win, dy, includePad), vjpTf(f, [{ data: x, shape: xShape }], dy)[0])
    }), runs)
  })

  it('ReLU and ReLU6 away from the kinks', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 40 }), fc.integer(), (ks, s) => {
      const r = ints(s)
      const x = Float64Array.from(ks, (k) => k / 2 + 0.25) // never 0 or 6, both sides of each kink
      const dy = quarters(r, x.length)
      const arg = [{ data: x, shape: [x.length] }]
      expectAgree('relu forward', reluF(x), forwardTf(tf.relu, arg))
      expectAgree('relu dX', reluBackwardF(x, dy), vjpTf(tf.relu, arg, dy)[0])
      expectAgree('relu6 forward', relu6F(x), forwardTf(tf.relu6, arg))
      expectAgree('relu6 dX', relu6BackwardF(x, dy), vjpTf(tf.relu6, arg, dy)[0])
    }), runs)
  })

  it('softmax cross-entropy (tf.losses.softmaxCrossEntropy, mean over the batch)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 8 }), fc.integer(), (N, K, s) => {
      const r = ints(s)
      const logits = Float64Array.from({ length: N * K }, () => r(-32, 32) / 8)
      const labels = Array.from({ length: N }, () => r(0, K - 1))
      const ours = softmaxCrossEntropyF(logits, labels, N, K)
      const f = (t: tf.Tensor) => softmaxCrossEntropyTf(t, labels)
      const arg = [{ data: logits, shape: [N, K] }]
      // float32 cancellation: the loss is logsumexp − logit and the gradient (p − onehot)/N, so their
      // float32 error is relative to the terms subtracted (max|logit| + log K, and 1/N), not to the result,
      // which is tiny when the right class wins by a wide margin.
      const maxLogit = Math.max(...Array.from(logits, Math.abs))
      expectAgree('softmax CE loss', Float64Array.of(ours.loss), forwardTf(f, arg), Math.max(ours.loss, maxLogit + Math.log(K)))
      expectAgree('softmax CE dLogits', ours.grad, vjpTf(f, arg, Float64Array.of(1))[0], 1 / N)
    }), runs)
  })
})

describe('where tfjs differs from our conventions (documented, pinned)', () => {
  it('ReLU6 at x = 6: tfjs passes the gradient, we do not; at x = 0 neither passes', () => {
    const x = Float64Array.of(0, 6)
    const dy = Float64Array.of(1, 1)
    expect(Array.from(vjpTf(tf.relu6, [{ data: x, shape: [2] }], dy)[0])).toEqual([0, 1])
    expect(Array.from(relu6BackwardF(x, dy))).toEqual([0, 0])
    expect(Array.from(vjpTf(tf.relu, [{ data: x, shape: [2] }], dy)[0])).toEqual([0, 1])
    expect(Array.from(reluBackwardF(x, dy))).toEqual([0, 1])
  })

  it('max-pool ties: tfjs (cpu) also sends the gradient to the first maximum in scan order', () => {
    const x = Float64Array.of(5, 5, 5, 1, 5, 5)
    const xShape: Shape4 = [1, 2, 3, 1]
    const win = { kernel: [2, 2] as [number, number] }
    const dy = Float64Array.of(10, 100)
    const theirs = vjpTf((t) => maxPoolTf(t, win), [{ data: x, shape: xShape }], dy)[0]
    expect(Array.from(theirs)).toEqual(Array.from(maxPool2dBackwardF(x, xShape, win, dy)))
  })

  it("tfjs's built-in avgPool gradient ignores the padding exclusion of its own forward", () => {
    const xShape: Shape4 = [1, 3, 3, 1]
    const win = { kernel: [2, 2] as [number, number], padding: [1, 1, 0, 0] as [number, number, number, number] }
    const x = Float64Array.from({ length: 9 }, (_, i) => i)
    const dy = new Float64Array(9).fill(1)
    const arg = [{ data: x, shape: xShape }]
    // forward: the corner window sees only x[0], divided by 1 (padding excluded), as our default
    expect(Array.from(forwardTf((t) => tfAvgPoolBuiltin(t, win), arg))).toEqual(Array.from(pool2dF('avg', x, xShape, win).y))
    // gradient: every tap gets dY/4, i.e. our countIncludePad = true gradient, not the forward's derivative
    const theirs = vjpTf((t) => tfAvgPoolBuiltin(t, win), arg, dy)[0]
    expect(Array.from(theirs)).toEqual(Array.from(avgPool2dBackwardF(xShape, win, dy, true)))
    expect(Array.from(theirs)).not.toEqual(Array.from(avgPool2dBackwardF(xShape, win, dy, false)))
  })
})
