/**
 * Depthwise convolution in WASM (kernels.wat, depthwise), bit-identical to kernels/depthwise-conv2d.ts,
 * which stays the oracle and the fallback. The routing rule is the one of the GEMM kernels (wasm/mac.ts):
 * the formats must centre into int16 and leave the reference on its `number` or `number-saturating`
 * tier (`formatsCovered`), and, from the centred data, every partial sum of every output is bounded by
 * ‖x‖∞ · max_oc Σ_taps |w[tap, oc] − z_w[oc]|, which must stay below the limit (2^31, or inside a
 * saturating accumulator so that the reference's per-MAC clamp never fires). Every stride, padding,
 * dilation and channel multiplier the reference accepts is covered.
 *
 * Layout: channels are padded to Cp (a multiple of 8, the int16 lanes of one v128) with zeros. Output
 * channel oc = c·mult + m reads input channel c; for mult > 1 the input is expanded here so that slot
 * oc of each pixel already holds channel c (the kernel then needs no gather).
 */
import type { Work } from '../../core/work'
import { packedBytes } from '../../core/int-format'
import { depthwiseShape, type DepthwiseConv2dArgs } from '../depthwise-conv2d'
import { zpAt } from '../mac-core'
import { i32Scratch } from '../scratch'
import { epilogue, finish, formatsCovered, Plan, putBias, wasmStats } from './mac-shared'
import { roundUp, wasmKernels, type WasmKernels } from './runtime'

/** Centred int16 weights [taps][Cp] at ptr (padding channels 0); returns the largest per-channel L1 norm. */
function putWeights(k: WasmKernels, ptr: number, a: DepthwiseConv2dArgs, taps: number, OC: number, Cp: number): number {
  const w = a.w.data, zws = a.w.quant.zeroPoints
  const m = k.i16, b = ptr >> 1
  const l1 = i32Scratch('wasm.depthwise.l1', OC).fill(0, 0, OC)
  for (let t = 0; t < taps; t++) {
    for (let oc = 0; oc < OC; oc++) {
      const v = w[t * OC + oc] - zpAt(zws, oc)
      m[b + t * Cp + oc] = v
      l1[oc] += Math.abs(v)
    }
    m.fill(0, b + t * Cp + OC, b + (t + 1) * Cp)
  }
  let best = 0
  for (let oc = 0; oc < OC; oc++) best = Math.max(best, l1[oc])
  return best
}

/** Centred int16 input with each pixel's OC slots holding channel oc/mult (mult > 1); returns max |x − z|. */
function putExpanded(k: WasmKernels, ptr: number, a: DepthwiseConv2dArgs, pixels: number, C: number, OC: number, Cp: number): number {
  const x = a.x.data, zx = a.x.quant.zeroPoints[0], mult = OC / C
  const m = k.i16, b = ptr >> 1
  const channelOf = i32Scratch('wasm.depthwise.c', OC)
  for (let oc = 0; oc < OC; oc++) channelOf[oc] = Math.floor(oc / mult)
  let inf = 0
  for (let p = 0; p < pixels; p++) {
    const src = p * C, dst = b + p * Cp
    for (let oc = 0; oc < OC; oc++) {
      const v = x[src + channelOf[oc]] - zx
      m[dst + oc] = v
      if (v > inf) inf = v
      else if (-v > inf) inf = -v
    }
    m.fill(0, dst + OC, dst + Cp)
  }
  return inf
}

export function wasmDepthwiseConv2d(a: DepthwiseConv2dArgs, work: Work): boolean {
  const k = wasmKernels()
  if (!k) return false
  const { x, w, bias, out } = a
  const { N, H, W, C, OC, KH, KW, g } = depthwiseShape(a)
  const taps = KH * KW
  const limit = formatsCovered(taps, x.format, x.quant.zeroPoints, w.format, w.quant.zeroPoints, bias, out.format, out.data)
  if (limit <= 0) { wasmStats.fallback++; return false }

  const Cp = roundUp(OC, 8)
  const inPixels = N * H * W, pixels = N * g.oh * g.ow
  const xLen = inPixels * C
  const plan = new Plan()
  // the int32 copy of x and its zero point are only needed when pack_rows centres it (mult = 1)
  const xSrc = OC === C ? plan.take(xLen * 4) : 0, zxPtr = plan.take(4), norms = plan.take(16)
  const xPtr = plan.take(inPixels * Cp * 2), wPtr = plan.take(taps * Cp * 2), tapPtr = plan.take(taps * 8)
  const cPtr = plan.take(pixels * Cp * 4), biasPtr = plan.take(OC * 8), fPtr = plan.take(pixels * OC * 8)
  k.reserve(plan.at)
  let xInf: number
  if (OC === C) {
    k.i32.set(x.data, xSrc >> 2)
    k.i32[zxPtr >> 2] = x.quant.zeroPoints[0]
    // one row per pixel, padded from C to Cp channels (one row for all when no padding is needed)
    if (C === Cp) k.pack(xSrc, 1, xLen, xLen, zxPtr, 0, xPtr, 1, norms)
    else k.pack(xSrc, inPixels, C, Cp, zxPtr, 0, xPtr, inPixels, norms)
    xInf = k.i32[(norms >> 2) + 1]
  } else xInf = putExpanded(k, xPtr, a, inPixels, C, OC, Cp)
  const wL1 = putWeights(k, wPtr, a, taps, OC, Cp)
  if (xInf * wL1 > limit) { wasmStats.fallback++; return false }
  wasmStats.fast++

  const valid = k.depthwise(xPtr, wPtr, cPtr, tapPtr, N, H, W, Cp, KH, KW, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, g.oh, g.ow)
  putBias(k, biasPtr, bias, OC)
  const outside = epilogue(k, cPtr, Cp, pixels, OC, biasPtr, fPtr, out.format)
  finish(k, fPtr, pixels * OC, out.data as Float64Array, outside, out.format, work)

  work.macs += valid * OC
  work.bytesRead += packedBytes(x.format, xLen) + packedBytes(w.format, taps * OC) + (bias ? 4 * OC : 0)
  work.bytesWritten += (out.data.length * out.format.bits) / 8
  return true
}
