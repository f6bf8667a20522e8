/**
 * Float64 backward passes of the reference kernels in float-kernels.ts: the float path of training and the
 * oracle for the fixed-point backward pass. Each function is the adjoint of its forward loop, written from
 * the definition: walk the forward's index space once and, for every output element, scatter its gradient
 * dY back to whatever that output read (input taps, weights, bias). Same layouts as the forward kernels:
 * NHWC activations, OHWI conv weights, [KH, KW, C·mult] depthwise weights (oc = c·mult + m reads channel c),
 * dense weights [M, K] with y = x·Wᵀ + b. Reference code: clear loops, fresh arrays per call.
 *
 * Conventions at the non-differentiable points (chosen, not derived; see float-backward.tfjs.test.ts for
 * how TensorFlow.js differs):
 * - ReLU passes the gradient only where x > 0 (0 at x = 0); ReLU6 only where 0 < x < 6 (0 at 0 and at 6).
 * - Max pooling sends each window's gradient to the FIRST maximal input in the window's scan order
 *   (ky outer, kx inner), i.e. strict `>` while scanning; overlapping windows accumulate. A window that
 *   lies entirely in the padding (forward value -∞) sends nothing.
 * - Average pooling divides by the same count as the forward (in-bounds taps, plus the taps in the padding
 *   when countIncludePad); a window with count 0 (forward NaN) sends nothing.
 * - Residual add y = a + b: dA = dB = dY (addBackwardF). Softmax cross-entropy's gradient is returned by
 *   softmaxCrossEntropyF in float-kernels.ts.
 */
import type { FloatWindow } from './float-kernels'

type Shape4 = [number, number, number, number]
type ConvWindow = Omit<FloatWindow, 'kernel'>

export interface LayerGrads { dx: Float64Array; dw: Float64Array; db: Float64Array }

// Same formula as the forward's (not exported there): output extent of a padded, strided, dilated window.
function outSize(n: number, k: number, s: number, p0: number, p1: number, d: number): number {
  return Math.floor((n + p0 + p1 - d * (k - 1) - 1) / s) + 1
}

function checkLength(name: string, got: number, want: number): void {
  if (got !== want) throw new Error(`${name}: dy has ${got} elements, the forward output has ${want}`)
}

/** Window geometry shared by the conv and pool walks below. */
function geometry(xShape: Shape4, KH: number, KW: number, win: ConvWindow) {
  const [, H, W] = xShape
  const [sh, sw] = win.stride ?? [1, 1]
  const [pt, pl, pb, pr] = win.padding ?? [0, 0, 0, 0]
  const [dh, dw] = win.dilation ?? [1, 1]
  return { sh, sw, pt, pl, pb, pr, dh, dw, OH: outSize(H, KH, sh, pt, pb, dh), OW: outSize(W, KW, sw, pl, pr, dw) }
}

/** y = x·Wᵀ + b: dX = dY·W, dW = dYᵀ·x, dB = Σ_n dY. */
export function denseBackwardF(x: Float64Array, w: Float64Array, dy: Float64Array, N: number, K: number, M: number): LayerGrads {
  checkLength('denseBackwardF', dy.length, N * M)
  const dx = new Float64Array(N * K)
  const dw = new Float64Array(M * K)
  const db = new Float64Array(M)
  for (let n = 0; n < N; n++) for (let m = 0; m < M; m++) {
    const g = dy[n * M + m]
    db[m] += g
    for (let k = 0; k < K; k++) {
      dx[n * K + k] += g * w[m * K + k]
      dw[m * K + k] += g * x[n * K + k]
    }
  }
  return { dx, dw, db }
}

/** Adjoint of conv2dF: every in-bounds tap that fed y[n, oy, ox, co] receives dY times its partner. */
export function conv2dBackwardF(x: Float64Array, xShape: Shape4, w: Float64Array, wShape: Shape4, dy: Float64Array, win: ConvWindow): LayerGrads {
  const [N, H, W, C] = xShape
  const [CO, KH, KW] = wShape
  const { sh, sw, pt, pl, dh, dw: dl, OH, OW } = geometry(xShape, KH, KW, win)
  checkLength('conv2dBackwardF', dy.length, N * OH * OW * CO)
  const dx = new Float64Array(x.length)
  const dw = new Float64Array(w.length)
  const db = new Float64Array(CO)
  for (let n = 0; n < N; n++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) for (let co = 0; co < CO; co++) {
    const g = dy[((n * OH + oy) * OW + ox) * CO + co]
    db[co] += g
    for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) {
      const i = oy * sh - pt + ky * dh
      const j = ox * sw - pl + kx * dl
      if (i < 0 || i >= H || j < 0 || j >= W) continue // padding reads 0: no gradient flows there
      for (let c = 0; c < C; c++) {
        const xi = ((n * H + i) * W + j) * C + c
        const wi = ((co * KH + ky) * KW + kx) * C + c
        dx[xi] += g * w[wi]
        dw[wi] += g * x[xi]
      }
    }
  }
  return { dx, dw, db }
}

/** Adjoint of depthwiseConv2dF (wShape [KH, KW, C·mult]; output channel oc reads input channel ⌊oc / mult⌋). */
export function depthwiseConv2dBackwardF(x: Float64Array, xShape: Shape4, w: Float64Array, wShape: [number, number, number], dy: Float64Array, win: ConvWindow): LayerGrads {
  const [N, H, W, C] = xShape
  const [KH, KW, OC] = wShape
  const mult = OC / C
  const { sh, sw, pt, pl, dh, dw: dl, OH, OW } = geometry(xShape, KH, KW, win)
  checkLength('depthwiseConv2dBackwardF', dy.length, N * OH * OW * OC)
  const dx = new Float64Array(x.length)
  const dw = new Float64Array(w.length)
  const db = new Float64Array(OC)
  for (let n = 0; n < N; n++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) for (let oc = 0; oc < OC; oc++) {
    const c = Math.floor(oc / mult)
    const g = dy[((n * OH + oy) * OW + ox) * OC + oc]
    db[oc] += g
    for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) {
      const i = oy * sh - pt + ky * dh
      const j = ox * sw - pl + kx * dl
      if (i < 0 || i >= H || j < 0 || j >= W) continue
      const xi = ((n * H + i) * W + j) * C + c
      const wi = (ky * KW + kx) * OC + oc
      dx[xi] += g * w[wi]
      dw[wi] += g * x[xi]
    }
  }
  return { dx, dw, db }
}

/** Max pooling: each window's dY goes to its first maximal in-bounds input in (ky, kx) scan order. */
export function maxPool2dBackwardF(x: Float64Array, xShape: Shape4, win: FloatWindow, dy: Float64Array): Float64Array {
  const [N, H, W, C] = xShape
  const [KH, KW] = win.kernel
  const { sh, sw, pt, pl, dh, dw, OH, OW } = geometry(xShape, KH, KW, win)
  checkLength('maxPool2dBackwardF', dy.length, N * OH * OW * C)
  const dx = new Float64Array(x.length)
  for (let n = 0; n < N; n++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) for (let c = 0; c < C; c++) {
    let best = -1
    for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) {
      const i = oy * sh - pt + ky * dh
      const j = ox * sw - pl + kx * dw
      if (i < 0 || i >= H || j < 0 || j >= W) continue
      const xi = ((n * H + i) * W + j) * C + c
      if (best < 0 || x[xi] > x[best]) best = xi // strict: a later equal value does not take over
    }
    if (best >= 0) dx[best] += dy[((n * OH + oy) * OW + ox) * C + c]
  }
  return dx
}

/** Average pooling: each in-bounds tap gets dY / count, count as in pool2dF's forward. */
export function avgPool2dBackwardF(xShape: Shape4, win: FloatWindow, dy: Float64Array, countIncludePad = false): Float64Array {
  const [N, H, W, C] = xShape
  const [KH, KW] = win.kernel
  const { sh, sw, pt, pl, pb, pr, dh, dw, OH, OW } = geometry(xShape, KH, KW, win)
  checkLength('avgPool2dBackwardF', dy.length, N * OH * OW * C)
  const dx = new Float64Array(N * H * W * C)
  for (let n = 0; n < N; n++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
    const taps: [number, number][] = []
    let padded = 0
    for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) {
      const i = oy * sh - pt + ky * dh
      const j = ox * sw - pl + kx * dw
      if (i >= 0 && i < H && j >= 0 && j < W) taps.push([i, j])
      else if (i >= -pt && i < H + pb && j >= -pl && j < W + pr) padded++ // same rule as the forward
    }
    const count = taps.length + (countIncludePad ? padded : 0)
    if (count === 0) continue
    for (let c = 0; c < C; c++) {
      const g = dy[((n * OH + oy) * OW + ox) * C + c] / count
      for (const [i, j] of taps) dx[((n * H + i) * W + j) * C + c] += g
    }
  }
  return dx
}

/** Global average pooling y[n, c] = mean over (h, w): dY [N, C] (or [N, 1, 1, C]) spread as dY / (H·W). */
export function globalAvgPoolBackwardF(xShape: Shape4, dy: Float64Array): Float64Array {
  const [N, H, W, C] = xShape
  checkLength('globalAvgPoolBackwardF', dy.length, N * C)
  const dx = new Float64Array(N * H * W * C)
  for (let n = 0; n < N; n++) for (let p = 0; p < H * W; p++) for (let c = 0; c < C; c++) dx[(n * H * W + p) * C + c] = dy[n * C + c] / (H * W)
  return dx
}

/** ReLU: gradient passes where x > 0 only (0 at the kink x = 0). */
export const reluBackwardF = (x: Float64Array, dy: Float64Array): Float64Array => dy.map((g, i) => (x[i] > 0 ? g : 0))

/** ReLU6: gradient passes strictly inside (0, 6) only (0 at both kinks; TensorFlow.js passes it at x = 6). */
export const relu6BackwardF = (x: Float64Array, dy: Float64Array): Float64Array => dy.map((g, i) => (x[i] > 0 && x[i] < 6 ? g : 0))

/** Residual add y = a + b is linear with coefficient 1 in each operand: both receive dY unchanged. */
export const addBackwardF = (dy: Float64Array): { da: Float64Array; db: Float64Array } => ({ da: dy.slice(), db: dy.slice() })
