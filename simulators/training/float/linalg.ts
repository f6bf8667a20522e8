/**
 * The linear algebra of training on Float64Array values: forward, backward-input and backward-weight
 * of dense, conv2d and depthwise layers, in the engine's layouts (NHWC, OHWI, [KH, KW, C·mult]).
 *
 * Two callers: the float network (real values) and the integer backward pass (centred integer codes,
 * whose sums are exact in doubles while below 2^53 — the network checks that bound when it is built).
 * Each function overwrites `out`; none allocates beyond reusable scratch (kernels/scratch.ts).
 */
import { gemm } from '../../kernels/fast-dot'
import { f64Scratch } from '../../kernels/scratch'
import type { ResolvedWindow } from '../../kernels/geometry'

/** [R, C] → [C, R] into dst */
export function transpose(src: Float64Array, R: number, C: number, dst: Float64Array): Float64Array {
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) dst[c * R + r] = src[r * C + c]
  return dst
}

// #region dense: y[B, M] = x[B, K] · w[M, K]ᵀ (+ b)

export function denseForward(x: Float64Array, B: number, K: number, w: Float64Array, M: number, bias: Float64Array | undefined, out: Float64Array): void {
  gemm(x, B, w, K, M, bias, out)
}

/** dx[B, K] = dy[B, M] · w[M, K] */
export function denseBackwardInput(dy: Float64Array, B: number, M: number, w: Float64Array, K: number, out: Float64Array): void {
  const wt = transpose(w, M, K, f64Scratch('linalg.wt', M * K))
  gemm(dy, B, wt, M, K, undefined, out)
}

/** dw[M, K] = dy[B, M]ᵀ · x[B, K] */
export function denseBackwardWeight(dy: Float64Array, B: number, M: number, x: Float64Array, K: number, out: Float64Array): void {
  const dyt = transpose(dy, B, M, f64Scratch('linalg.dyt', B * M))
  const xt = transpose(x, B, K, f64Scratch('linalg.xt', B * K))
  gemm(dyt, M, xt, B, K, undefined, out)
}
// #endregion

/** Σ over all positions of dy[…, c] for c < C (bias gradient). */
export function sumChannels(dy: Float64Array, C: number, out: Float64Array): void {
  out.fill(0, 0, C)
  for (let i = 0; i < dy.length; i++) out[i % C] += dy[i]
}

// #region conv2d

export interface ConvDims {
  N: number; H: number; W: number; C: number
  CO: number; KH: number; KW: number
  g: ResolvedWindow
}

/** im2col of one output row: patches[ox, (ky, kx, ci)] = x (0 where padded). */
function im2colRow(x: Float64Array, d: ConvDims, n: number, oy: number, patches: Float64Array): void {
  const { H, W, C, KH, KW, g } = d
  const P = KH * KW * C
  for (let ox = 0; ox < g.ow; ox++) {
    let p = ox * P
    for (let ky = 0; ky < KH; ky++) {
      const iy = oy * g.sh - g.pt + ky * g.dh
      for (let kx = 0; kx < KW; kx++) {
        const ix = ox * g.sw - g.pl + kx * g.dw
        if (iy < 0 || iy >= H || ix < 0 || ix >= W) for (let ci = 0; ci < C; ci++) patches[p++] = 0
        else {
          const base = ((n * H + iy) * W + ix) * C
          for (let ci = 0; ci < C; ci++) patches[p++] = x[base + ci]
        }
      }
    }
  }
}

export function conv2dForward(x: Float64Array, w: Float64Array, bias: Float64Array | undefined, d: ConvDims, out: Float64Array): void {
  const P = d.KH * d.KW * d.C
  const patches = f64Scratch('linalg.patches', d.g.ow * P)
  for (let n = 0; n < d.N; n++) for (let oy = 0; oy < d.g.oh; oy++) {
    im2colRow(x, d, n, oy, patches)
    gemm(patches, d.g.ow, w, P, d.CO, bias, out.subarray(((n * d.g.oh + oy) * d.g.ow) * d.CO))
  }
}

/** dw[co, ky, kx, ci] = Σ_{n, oy, ox} dy[n, oy, ox, co] · x[n, iy, ix, ci] */
export function conv2dBackwardWeight(dy: Float64Array, x: Float64Array, d: ConvDims, out: Float64Array): void {
  const P = d.KH * d.KW * d.C
  const patches = f64Scratch('linalg.patches', d.g.ow * P)
  const patchesT = f64Scratch('linalg.patchesT', d.g.ow * P)
  const dyT = f64Scratch('linalg.dyRowT', d.g.ow * d.CO)
  const part = f64Scratch('linalg.dwPart', d.CO * P)
  out.fill(0, 0, d.CO * P)
  for (let n = 0; n < d.N; n++) for (let oy = 0; oy < d.g.oh; oy++) {
    im2colRow(x, d, n, oy, patches)
    transpose(patches, d.g.ow, P, patchesT)
    transpose(dy.subarray(((n * d.g.oh + oy) * d.g.ow) * d.CO), d.g.ow, d.CO, dyT)
    gemm(dyT, d.CO, patchesT, d.g.ow, P, undefined, part)
    for (let i = 0; i < d.CO * P; i++) out[i] += part[i]
  }
}

/** dx[n, iy, ix, ci] = Σ dy[n, oy, ox, co] · w[co, ky, kx, ci] over the taps that read (iy, ix): col2im. */
export function conv2dBackwardInput(dy: Float64Array, w: Float64Array, d: ConvDims, out: Float64Array): void {
  const { H, W, C, KH, KW, CO, g } = d
  const P = KH * KW * C
  const wt = transpose(w, CO, P, f64Scratch('linalg.convWt', CO * P))
  const dPatches = f64Scratch('linalg.dPatches', g.ow * P)
  out.fill(0, 0, d.N * H * W * C)
  for (let n = 0; n < d.N; n++) for (let oy = 0; oy < g.oh; oy++) {
    gemm(dy.subarray(((n * g.oh + oy) * g.ow) * CO), g.ow, wt, CO, P, undefined, dPatches)
    for (let ox = 0; ox < g.ow; ox++) {
      let p = ox * P
      for (let ky = 0; ky < KH; ky++) {
        const iy = oy * g.sh - g.pt + ky * g.dh
        for (let kx = 0; kx < KW; kx++) {
          const ix = ox * g.sw - g.pl + kx * g.dw
          if (iy < 0 || iy >= H || ix < 0 || ix >= W) { p += C; continue }
          const base = ((n * H + iy) * W + ix) * C
          for (let ci = 0; ci < C; ci++) out[base + ci] += dPatches[p++]
        }
      }
    }
  }
}
// #endregion

// #region depthwise: w [KH, KW, OC], oc = c·mult + m reads channel c

export interface DepthwiseDims {
  N: number; H: number; W: number; C: number
  KH: number; KW: number; mult: number
  g: ResolvedWindow
}

function forEachTap(d: DepthwiseDims, fn: (xBase: number, wBase: number, outBase: number) => void): void {
  const { N, H, W, C, KH, KW, mult, g } = d
  const OC = C * mult
  for (let n = 0; n < N; n++) for (let oy = 0; oy < g.oh; oy++) for (let ox = 0; ox < g.ow; ox++) {
    const outBase = ((n * g.oh + oy) * g.ow + ox) * OC
    for (let ky = 0; ky < KH; ky++) {
      const iy = oy * g.sh - g.pt + ky * g.dh
      if (iy < 0 || iy >= H) continue
      for (let kx = 0; kx < KW; kx++) {
        const ix = ox * g.sw - g.pl + kx * g.dw
        if (ix < 0 || ix >= W) continue
        fn(((n * H + iy) * W + ix) * C, (ky * KW + kx) * OC, outBase)
      }
    }
  }
}

export function depthwiseForward(x: Float64Array, w: Float64Array, bias: Float64Array | undefined, d: DepthwiseDims, out: Float64Array): void {
  const OC = d.C * d.mult
  const mult = d.mult
  for (let i = 0; i < out.length && i < d.N * d.g.oh * d.g.ow * OC; i++) out[i] = bias ? bias[i % OC] : 0
  forEachTap(d, (xb, wb, ob) => {
    for (let oc = 0; oc < OC; oc++) out[ob + oc] += x[xb + ((oc / mult) | 0)] * w[wb + oc]
  })
}

export function depthwiseBackwardWeight(dy: Float64Array, x: Float64Array, d: DepthwiseDims, out: Float64Array): void {
  const OC = d.C * d.mult
  const mult = d.mult
  out.fill(0, 0, d.KH * d.KW * OC)
  forEachTap(d, (xb, wb, ob) => {
    for (let oc = 0; oc < OC; oc++) out[wb + oc] += dy[ob + oc] * x[xb + ((oc / mult) | 0)]
  })
}

export function depthwiseBackwardInput(dy: Float64Array, w: Float64Array, d: DepthwiseDims, out: Float64Array): void {
  const OC = d.C * d.mult
  const mult = d.mult
  out.fill(0, 0, d.N * d.H * d.W * d.C)
  forEachTap(d, (xb, wb, ob) => {
    for (let oc = 0; oc < OC; oc++) out[xb + ((oc / mult) | 0)] += dy[ob + oc] * w[wb + oc]
  })
}
// #endregion
