/**
 * Depthwise 2-D convolution (TFLite layout): x NHWC [N, H, W, C], w [KH, KW, C·mult], output channel
 * oc = c·mult + m sees only input channel c:
 *   acc[n, oy, ox, oc] = bias[oc] + Σ_{ky, kx} (x[n, iy, ix, c] − z_x) · (w[ky, kx, oc] − z_w[oc])
 * Per-channel weight parameters are along the last axis. Equals onnxruntime's ConvInteger with
 * group = C after transposition.
 */
import { packedBytes } from '../core/int-format'
import type { AccTensor, QTensor } from '../core/tensor'
import type { Work } from '../core/work'
import { expectChannels, expectEqual, expectLength, expectPerTensor, expectRank } from './checks'
import { gatherWindow, resolveWindow, type ResolvedWindow, type Window2d } from './geometry'
import { chooseTier, DOT, macBounds, maxAbs, needsBigStorage, store, zpAt, type Tier } from './mac-core'
import { f64Scratch, i32Scratch, tapBuffers } from './scratch'
import { centerRows } from './fast-dot'
import { fitAccumulatorRange } from '../core/accumulator'

export interface DepthwiseConv2dArgs extends Omit<Window2d, 'kernel'> {
  readonly x: QTensor
  readonly w: QTensor
  readonly bias?: Int32Array | Float64Array
  readonly out: AccTensor
}

/** The shapes and window of a depthwise call, checked (every backend's depthwiseConv2d starts here). */
export function depthwiseShape(a: DepthwiseConv2dArgs) {
  const { x, w, bias, out } = a
  expectRank('depthwise input', x.shape, 4)
  expectRank('depthwise weights', w.shape, 3)
  const [N, H, W, C] = x.shape
  const [KH, KW, OC] = w.shape
  if (OC % C !== 0) throw new RangeError(`depthwise weights have ${OC} channels, not a multiple of the ${C} input channels`)
  const g = resolveWindow('depthwise', H, W, { ...a, kernel: [KH, KW] })
  expectEqual('depthwise output size', out.data.length, N * g.oh * g.ow * OC)
  expectPerTensor('depthwise input', x.quant.zeroPoints)
  expectChannels('depthwise weights', w.quant.zeroPoints, OC)
  expectLength('depthwise bias', bias, OC)
  return { N, H, W, C, OC, KH, KW, g }
}

export function depthwiseConv2d(a: DepthwiseConv2dArgs, work: Work): void {
  const { x, w, bias, out } = a
  const { N, H, W, C, OC, KH, KW, g } = depthwiseShape(a)
  const bounds = macBounds(KH * KW, x.format, x.quant.zeroPoints, w.format, w.quant.zeroPoints, maxAbs(bias))
  if (needsBigStorage(bounds, out.format) && !(out.data instanceof BigInt64Array)) {
    throw new RangeError('depthwise: a 64-bit accumulator can pass 2^53 with these formats; allocate the output with accTensor(shape, format, true)')
  }
  const tier = chooseTier(bounds, out.format)
  const macs = tier === 'number' ? depthwiseFast(a, g, N, H, W, C, OC, KH, KW, work) : depthwiseTaps(a, g, N, H, W, C, OC, KH, KW, tier, work)
  work.macs += macs
  work.bytesRead += packedBytes(x.format, N * H * W * C) + packedBytes(w.format, KH * KW * OC) + (bias ? 4 * OC : 0)
  work.bytesWritten += (out.data.length * out.format.bits) / 8
}

/**
 * Fast path (`number` tier): per output pixel, a vector of OC running sums; each valid tap adds
 * (x[c(oc)] − z_x)·(w[tap, oc] − z_w[oc]) along the contiguous channel axis. Same exact sums as the
 * tap loop, in the same order per output.
 */
function depthwiseFast(a: DepthwiseConv2dArgs, g: ResolvedWindow, N: number, H: number, W: number, C: number, OC: number, KH: number, KW: number, work: Work): number {
  const { x, w, bias, out } = a
  const mult = OC / C
  // weights are [KH·KW rows × OC]; their zero points run along OC, so centre per element, not per row
  const wc = f64Scratch('depthwise.w', KH * KW * OC)
  const zws = w.quant.zeroPoints
  for (let t = 0; t < KH * KW; t++) for (let oc = 0; oc < OC; oc++) wc[t * OC + oc] = w.data[t * OC + oc] - zpAt(zws, oc)
  const channelOf = i32Scratch('depthwise.c', OC)
  for (let oc = 0; oc < OC; oc++) channelOf[oc] = Math.floor(oc / mult)
  const xc = centerRows(x.data, 1, x.data.length, x.quant.zeroPoints, 'depthwise.x')
  const sums = f64Scratch('depthwise.sums', OC)
  const [xo, wo] = tapBuffers(KH * KW)
  const o = out.data as Float64Array
  let macs = 0
  for (let n = 0; n < N; n++) for (let oy = 0; oy < g.oh; oy++) for (let ox = 0; ox < g.ow; ox++) {
    for (let oc = 0; oc < OC; oc++) sums[oc] = bias ? bias[oc] : 0
    const taps = gatherWindow(g, n, H, W, C, oy, ox, 1, OC, xo, wo)
    for (let t = 0; t < taps; t++) {
      const xb = xo[t]
      const wb = wo[t]
      if (mult === 1) for (let oc = 0; oc < OC; oc++) sums[oc] += xc[xb + oc] * wc[wb + oc]
      else for (let oc = 0; oc < OC; oc++) sums[oc] += xc[xb + channelOf[oc]] * wc[wb + oc]
    }
    macs += taps * OC
    fitAccumulatorRange(sums, 0, o, ((n * g.oh + oy) * g.ow + ox) * OC, OC, out.format, work)
  }
  return macs
}

/** Generic path (saturating and BigInt tiers). */
function depthwiseTaps(a: DepthwiseConv2dArgs, g: ResolvedWindow, N: number, H: number, W: number, C: number, OC: number, KH: number, KW: number, tier: Tier, work: Work): number {
  const { x, w, bias, out } = a
  const mult = OC / C
  const dot = DOT[tier]
  const [xo, wo] = tapBuffers(KH * KW)
  const zx = x.quant.zeroPoints[0]
  const zws = w.quant.zeroPoints
  let macs = 0
  for (let n = 0; n < N; n++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        const taps = gatherWindow(g, n, H, W, C, oy, ox, 1, OC, xo, wo)
        const outBase = ((n * g.oh + oy) * g.ow + ox) * OC
        for (let oc = 0; oc < OC; oc++) {
          const c = Math.floor(oc / mult)
          const v = dot(x.data, c, xo, zx, w.data, oc, wo, zpAt(zws, oc), taps, bias ? bias[oc] : 0, out.format, work)
          store(out.data, outBase + oc, v)
        }
        macs += taps * OC
      }
    }
  }
  return macs
}
