/**
 * 2-D convolution, NHWC input, OHWI weights, integer in, accumulator out:
 *   acc[n, oy, ox, co] = bias[co] + Σ_{ky, kx, ci} (x[n, iy, ix, ci] − z_x) · (w[co, ky, kx, ci] − z_w[co])
 * with iy = oy·sh − pt + ky·dh (likewise ix). Padded positions hold the input zero point, so they add
 * nothing: they are skipped, and the MAC count is of the taps actually computed.
 * Same contract as onnxruntime's ConvInteger (group 1) after NCHW/OIHW transposition.
 */
import { packedBytes } from '../core/int-format'
import type { AccTensor, QTensor } from '../core/tensor'
import type { Work } from '../core/work'
import { expectChannels, expectEqual, expectLength, expectPerTensor, expectRank } from './checks'
import { gatherWindow, resolveWindow, type ResolvedWindow, type Window2d } from './geometry'
import { chooseTier, DOT, macBounds, maxAbs, needsBigStorage, store, zpAt, type Tier } from './mac-core'
import { f64Scratch, tapBuffers } from './scratch'
import { centerRows, gemm } from './fast-dot'
import { fitAccumulatorRange } from '../core/accumulator'

export interface Conv2dArgs extends Omit<Window2d, 'kernel'> {
  readonly x: QTensor
  readonly w: QTensor
  readonly bias?: Int32Array | Float64Array
  readonly out: AccTensor
}

/** The shapes and window of a conv2d call, checked (every backend's conv2d starts here). */
export function conv2dShape(a: Conv2dArgs) {
  const { x, w, bias, out } = a
  expectRank('conv2d input', x.shape, 4)
  expectRank('conv2d weights', w.shape, 4)
  const [N, H, W, C] = x.shape
  const [CO, KH, KW, CI] = w.shape
  expectEqual('conv2d input channels vs weight input channels', C, CI)
  const g = resolveWindow('conv2d', H, W, { ...a, kernel: [KH, KW] })
  expectEqual('conv2d output size', out.data.length, N * g.oh * g.ow * CO)
  expectPerTensor('conv2d input', x.quant.zeroPoints)
  expectChannels('conv2d weights', w.quant.zeroPoints, CO)
  expectLength('conv2d bias', bias, CO)
  return { N, H, W, C, CO, KH, KW, CI, g }
}

export function conv2d(a: Conv2dArgs, work: Work): void {
  const { x, w, bias, out } = a
  const { N, H, W, C, CO, KH, KW, CI, g } = conv2dShape(a)

  const bounds = macBounds(KH * KW * CI, x.format, x.quant.zeroPoints, w.format, w.quant.zeroPoints, maxAbs(bias))
  if (needsBigStorage(bounds, out.format) && !(out.data instanceof BigInt64Array)) {
    throw new RangeError('conv2d: a 64-bit accumulator can pass 2^53 with these formats; allocate the output with accTensor(shape, format, true)')
  }
  const tier = chooseTier(bounds, out.format)
  const macs = tier === 'number' ? convFast(a, g, N, H, W, C, CO, KH, KW, work) : convTaps(a, g, N, H, W, C, CO, KH, KW, tier, work)
  work.macs += macs
  work.bytesRead += packedBytes(x.format, N * H * W * C) + packedBytes(w.format, CO * KH * KW * CI) + (bias ? 4 * CO : 0)
  work.bytesWritten += (out.data.length * out.format.bits) / 8
}

/**
 * Fast path (`number` tier): im2col one output row at a time — each patch centred, padded taps as 0,
 * which is exactly what a padded position holding the zero point contributes — then the blocked GEMM
 * of fast-dot.ts. Returns the MACs of valid taps (padding is not work the hardware must do).
 */
function convFast(a: Conv2dArgs, g: ResolvedWindow, N: number, H: number, W: number, C: number, CO: number, KH: number, KW: number, work: Work): number {
  const { x, w, bias, out } = a
  const P = KH * KW * C
  const wc = centerRows(w.data, CO, P, w.quant.zeroPoints, 'conv2d.w')
  const patches = f64Scratch('conv2d.patches', g.ow * P)
  const sums = f64Scratch('conv2d.sums', g.ow * CO)
  const zx = x.quant.zeroPoints[0]
  const xd = x.data
  const o = out.data as Float64Array
  let valid = 0
  for (let n = 0; n < N; n++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        let p = ox * P
        for (let ky = 0; ky < KH; ky++) {
          const iy = oy * g.sh - g.pt + ky * g.dh
          for (let kx = 0; kx < KW; kx++) {
            const ix = ox * g.sw - g.pl + kx * g.dw
            if (iy < 0 || iy >= H || ix < 0 || ix >= W) {
              for (let ci = 0; ci < C; ci++) patches[p++] = 0
            } else {
              const base = ((n * H + iy) * W + ix) * C
              for (let ci = 0; ci < C; ci++) patches[p++] = xd[base + ci] - zx
              valid += C
            }
          }
        }
      }
      gemm(patches, g.ow, wc, P, CO, bias, sums)
      const outBase = (n * g.oh + oy) * g.ow * CO
      fitAccumulatorRange(sums, 0, o, outBase, g.ow * CO, out.format, work)
    }
  }
  return valid * CO
}

/** Generic path (saturating and BigInt tiers): the valid taps of each pixel, one exact dot per output. */
function convTaps(a: Conv2dArgs, g: ResolvedWindow, N: number, H: number, W: number, C: number, CO: number, KH: number, KW: number, tier: Tier, work: Work): number {
  const { x, w, bias, out } = a
  const dot = DOT[tier]
  const [xo, wo] = tapBuffers(KH * KW * C)
  const zx = x.quant.zeroPoints[0]
  const zws = w.quant.zeroPoints
  const wStride = KH * KW * C
  let macs = 0
  for (let n = 0; n < N; n++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        // the valid taps of this output pixel, gathered once; every output channel reuses them
        const taps = gatherWindow(g, n, H, W, C, oy, ox, C, C, xo, wo)
        const outBase = ((n * g.oh + oy) * g.ow + ox) * CO
        for (let co = 0; co < CO; co++) {
          const v = dot(x.data, 0, xo, zx, w.data, co * wStride, wo, zpAt(zws, co), taps, bias ? bias[co] : 0, out.format, work)
          store(out.data, outBase + co, v)
        }
        macs += taps * CO
      }
    }
  }
  return macs
}
