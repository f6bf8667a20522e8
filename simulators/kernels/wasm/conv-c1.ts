/**
 * conv2d with one input channel (the first layer of image models: MNIST, VWW greyscale, KWS spectrograms)
 * in WASM (kernels.wat, conv_c1), bit-identical to kernels/conv2d.ts. With C = 1, im2col writes one
 * short patch (KH·KW values) per output pixel and the GEMM has K = 9: the copies, not the MACs, took the
 * time. Here the centred input is written once with its padding as zeros, and the kernel reads each pair
 * of adjacent taps straight from it (horizontal dilation 1 only; wasmConv2d uses im2col otherwise).
 * Routing (exactness) is decided by the caller, wasmConv2d, with the same bound as for im2col.
 */
import type { Work } from '../../core/work'
import type { Conv2dArgs, conv2dShape } from '../conv2d'
import { zpAt } from '../mac-core'
import { epilogue, finish, Plan, putBias, wasmStats } from './mac-shared'
import { roundUp, type WasmKernels } from './runtime'

/** Output pixels per kernel call: keeps the int32 sums of one call in cache before the epilogue reads them. */
const CHUNK = 512

/** Number of k in [0, K) with 0 ≤ o·s − p + k·d < n: the valid taps along one axis of output o. */
function validAlong(o: number, s: number, p: number, d: number, K: number, n: number): number {
  let v = 0
  for (let k = 0; k < K; k++) {
    const i = o * s - p + k * d
    if (i >= 0 && i < n) v++
  }
  return v
}

/**
 * Runs the call if the data bound allows (returns false otherwise, having changed nothing but WASM
 * memory). `limit` is formatsCovered's bound for this call.
 */
export function wasmConvC1(k: WasmKernels, a: Conv2dArgs, s: ReturnType<typeof conv2dShape>, limit: number, work: Work): boolean {
  const { x, w, bias, out } = a
  const { N, H, W, CO, KH, KW, g } = s
  const P = KH * KW
  const pairs = (KW + 1) >> 1 // tap pairs per kernel row
  const T = KH * pairs, Kp = 2 * T
  const Mp = roundUp(CO, 8)
  const Hp = H + g.pt + g.pb, Wp = W + g.pl + g.pr
  const pixels = N * g.oh * g.ow
  const chunk = Math.min(CHUNK, roundUp(pixels, 4))
  const plan = new Plan()
  const wSrc = plan.take(CO * Kp * 4), zwPtr = plan.take(CO * 4), norms = plan.take(16)
  const bRows = plan.take(Mp * Kp * 2), bPtr = plan.take(Mp * Kp * 2), tab = plan.take(T * 4)
  // + 2 zero int16: the pair of an odd last tap reads one value past the image (times a zero weight)
  const xPtr = plan.take((N * Hp * Wp + 2) * 2), cPtr = plan.take(chunk * Mp * 4)
  const biasPtr = plan.take(CO * 8), fPtr = plan.take(pixels * CO * 8)
  k.reserve(plan.at)

  // weights as CO rows of KH·2·pairs taps; an odd row's extra tap holds the zero point (centres to 0)
  const m32 = k.i32, zws = w.quant.zeroPoints
  for (let co = 0; co < CO; co++) {
    const z = zpAt(zws, co)
    m32[(zwPtr >> 2) + co] = z
    for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < 2 * pairs; kx++) {
      m32[(wSrc >> 2) + co * Kp + ky * 2 * pairs + kx] = kx < KW ? w.data[(co * KH + ky) * KW + kx] : z
    }
  }
  k.pack(wSrc, CO, Kp, Kp, zwPtr, zws.length === 1 ? 0 : 1, bRows, Mp, norms + 8)

  // the centred input with its padding materialised (zeros), and its largest |x − z|
  const m16 = k.i16, xb = xPtr >> 1, zx = x.quant.zeroPoints[0], xd = x.data
  m16.fill(0, xb, xb + N * Hp * Wp + 2)
  let xInf = 0
  for (let n = 0; n < N; n++) for (let iy = 0; iy < H; iy++) {
    const src = (n * H + iy) * W, dst = xb + (n * Hp + iy + g.pt) * Wp + g.pl
    for (let ix = 0; ix < W; ix++) {
      const v = xd[src + ix] - zx
      m16[dst + ix] = v
      if (v > xInf) xInf = v
      else if (-v > xInf) xInf = -v
    }
  }
  const nm = k.i32, ni = norms >> 2
  // as for im2col: a patch's ‖·‖∞ is at most the input's, and ‖patch‖₁ ≤ P·‖x‖∞
  if (Math.min(xInf * nm[ni + 2], P * xInf * nm[ni + 3]) > limit) { wasmStats.fallback++; return false }
  wasmStats.fast++
  wasmStats.convC1++

  k.interleave(bRows, Mp, Kp, bPtr)
  for (let ky = 0; ky < KH; ky++) for (let j = 0; j < pairs; j++) m32[(tab >> 2) + ky * pairs + j] = (ky * g.dh * Wp + 2 * j) * 2
  putBias(k, biasPtr, bias, CO)
  let outside = 0
  for (let pix = 0; pix < pixels; pix += chunk) {
    const rows = Math.min(chunk, pixels - pix)
    k.convC1(xPtr, bPtr, tab, T, cPtr, Mp, Mp, pix, rows, g.oh, g.ow, Hp, Wp, g.sh, g.sw)
    outside += epilogue(k, cPtr, Mp, rows, CO, biasPtr, fPtr + pix * CO * 8, out.format)
  }
  finish(k, fPtr, pixels * CO, out.data as Float64Array, outside, out.format, work)

  // MACs of the valid taps, as the reference counts them: separable in rows and columns
  let rowsValid = 0, colsValid = 0
  for (let oy = 0; oy < g.oh; oy++) rowsValid += validAlong(oy, g.sh, g.pt, g.dh, KH, H)
  for (let ox = 0; ox < g.ow; ox++) colsValid += validAlong(ox, g.sw, g.pl, g.dw, KW, W)
  work.macs += N * rowsValid * colsValid * CO
  return true
}
