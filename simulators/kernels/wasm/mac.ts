/**
 * dense and conv2d on the WebAssembly SIMD GEMM (kernels.wat, gemm_i16), bit-identical to the
 * TypeScript kernels (dense.ts, conv2d.ts), which stay the oracle and the fallback.
 *
 * A call is routed here only when the WASM sums are provably the exact sums the reference computes:
 * - statically (`formatsCovered`): every centred operand q − z fits int16, the accumulator is stored as
 *   Float64Array, and the reference's tier is `number` or `number-saturating` (not BigInt);
 * - from the data, once the operands are centred: every partial sum of every output is bounded by
 *   Σ|a_k|·|b_k| ≤ min(‖a‖₁·‖b‖∞, ‖a‖∞·‖b‖₁) (maxima over rows), and that bound must be below 2^31 so
 *   that no int32 partial sum wraps; for a saturating accumulator that the formats could overflow, the
 *   bound plus the largest |bias| must also stay inside the accumulator, so that the reference's per-MAC
 *   clamp never fires (its running sum is then the plain exact sum).
 * The bias is then added and the accumulator's overflow rule applied in TypeScript exactly as the
 * reference does (same values, same saturation and wrap counts). Otherwise the functions return false
 * (having changed nothing but scratch memory) and the caller runs the TypeScript kernel.
 */
import { accMax, accMin, fitAccumulator, type AccumulatorFormat } from '../../core/accumulator'
import { maxValue, minValue, packedBytes, type IntFormat } from '../../core/int-format'
import type { Work } from '../../core/work'
import type { OverflowCount } from '../../core/accumulator'
import type { DenseArgs } from '../dense'
import type { Conv2dArgs } from '../conv2d'
import { chooseTier, macBounds, maxAbs } from '../mac-core'
import { expectChannels, expectEqual, expectLength, expectPerTensor, expectRank } from '../checks'
import { resolveWindow } from '../geometry'
import { roundUp, wasmKernels, type WasmKernels } from './runtime'

const I32_MAX = 2 ** 31 - 1

/** True when every q − z (q in the format, z among the zero points) lies in [−32768, 32767]. */
export function centredFitsInt16(f: IntFormat, zps: ArrayLike<number>): boolean {
  let zmin = Infinity, zmax = -Infinity
  for (let i = 0; i < zps.length; i++) { zmin = Math.min(zmin, zps[i]); zmax = Math.max(zmax, zps[i]) }
  return minValue(f) - zmax >= -32768 && maxValue(f) - zmin <= 32767
}

/**
 * The static half of the routing rule (see the file comment). Returns the largest sum bound the data
 * may have for the call to be exact in WASM, or 0 when the formats alone rule the call out.
 */
export function formatsCovered(taps: number, x: IntFormat, zx: ArrayLike<number>, w: IntFormat, zw: ArrayLike<number>, bias: ArrayLike<number> | undefined, acc: AccumulatorFormat, data: Float64Array | BigInt64Array): number {
  if (!(data instanceof Float64Array)) return 0
  if (!centredFitsInt16(x, zx) || !centredFitsInt16(w, zw)) return 0
  const b = macBounds(taps, x, zx, w, zw, maxAbs(bias))
  const tier = chooseTier(b, acc)
  if (tier === 'number') return I32_MAX
  if (tier === 'number-saturating') return Math.min(I32_MAX, accMax(acc) - maxAbs(bias))
  return 0
}

/** Calls that ran in WASM / fell back to TypeScript (tests use them to make sure the fast path is what they test). */
export const wasmStats = { fast: 0, fallback: 0 }

/** Row norms of the packed operands: max over rows of ‖row‖₁ and of ‖row‖∞. */
interface Norms { l1: number; inf: number }
const normsA: Norms = { l1: 0, inf: 0 }
const normsB: Norms = { l1: 0, inf: 0 }

/** out[base + i] = c[i] + bias[i mod M], then the accumulator rule, as fitAccumulatorRange does. */
function epilogue(k: WasmKernels, cPtr: number, ldc: number, rows: number, M: number, bias: ArrayLike<number> | undefined, o: Float64Array, base: number, f: AccumulatorFormat, count: OverflowCount): void {
  const c = k.i32
  const hi = accMax(f), lo = accMin(f)
  let src = cPtr >> 2
  let dst = base
  for (let r = 0; r < rows; r++, src += ldc) {
    for (let m = 0; m < M; m++) {
      const v = bias ? c[src + m] + bias[m] : c[src + m]
      o[dst++] = v <= hi && v >= lo ? v : fitAccumulator(v, f, count)
    }
  }
}

/** B rows: w[m·K + k] − z_w(m), zero-padded to Kp columns and Mp rows. */
function packRows(k: WasmKernels, bPtr: number, w: ArrayLike<number>, M: number, K: number, Mp: number, Kp: number, zws: ArrayLike<number>, norms: Norms): void {
  const b = k.i16
  const base = bPtr >> 1
  let l1 = 0, inf = 0
  for (let m = 0; m < M; m++) {
    const z = zws.length === 1 ? zws[0] : zws[m]
    const row = base + m * Kp
    const src = m * K
    let s = 0, mx = 0
    for (let i = 0; i < K; i++) {
      const v = w[src + i] - z
      b[row + i] = v
      const a = v < 0 ? -v : v
      s += a
      if (a > mx) mx = a
    }
    if (s > l1) l1 = s
    if (mx > inf) inf = mx
    if (Kp > K) b.fill(0, row + K, row + Kp)
  }
  if (Mp > M) b.fill(0, base + M * Kp, base + Mp * Kp)
  norms.l1 = l1
  norms.inf = inf
}

export function wasmDense({ x, w, bias, out }: DenseArgs, work: Work): boolean {
  const k = wasmKernels()
  if (!k) return false
  expectRank('dense input', x.shape, 2)
  expectRank('dense weights', w.shape, 2)
  const [N, K] = x.shape
  const [M, Kw] = w.shape
  expectEqual('dense input features vs weight columns', K, Kw)
  expectEqual('dense output size', out.data.length, N * M)
  expectPerTensor('dense input', x.quant.zeroPoints)
  expectChannels('dense weights', w.quant.zeroPoints, M)
  expectLength('dense bias', bias, M)
  const limit = formatsCovered(K, x.format, x.quant.zeroPoints, w.format, w.quant.zeroPoints, bias, out.format, out.data)
  if (limit <= 0) { wasmStats.fallback++; return false }

  const Kp = roundUp(K, 8), Rp = roundUp(N, 4), Mp = roundUp(M, 2)
  const aPtr = 0
  const bPtr = aPtr + Rp * Kp * 2
  const cPtr = roundUp(bPtr + Mp * Kp * 2, 16)
  k.reserve(cPtr + Rp * Mp * 4)
  packRows(k, aPtr, x.data, N, K, Rp, Kp, x.quant.zeroPoints, normsA)
  packRows(k, bPtr, w.data, M, K, Mp, Kp, w.quant.zeroPoints, normsB)
  if (Math.min(normsA.l1 * normsB.inf, normsA.inf * normsB.l1) > limit) { wasmStats.fallback++; return false }
  wasmStats.fast++
  k.gemm(aPtr, bPtr, cPtr, Rp, Mp, Kp, Mp)
  epilogue(k, cPtr, Mp, N, M, bias, out.data as Float64Array, 0, out.format, work)

  work.macs += N * M * K
  work.bytesRead += packedBytes(x.format, N * K) + packedBytes(w.format, M * K) + (bias ? 4 * M : 0)
  work.bytesWritten += (N * M * out.format.bits) / 8
  return true
}

/** Output pixels per GEMM call: bounds the im2col buffer (and keeps it in cache). */
const CHUNK = 512

export function wasmConv2d(a: Conv2dArgs, work: Work): boolean {
  const kk = wasmKernels()
  if (!kk) return false
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
  const P = KH * KW * C
  const limit = formatsCovered(P, x.format, x.quant.zeroPoints, w.format, w.quant.zeroPoints, bias, out.format, out.data)
  if (limit <= 0) { wasmStats.fallback++; return false }

  const Pp = roundUp(P, 8), Mp = roundUp(CO, 2)
  const pixels = N * g.oh * g.ow
  const chunk = Math.min(CHUNK, roundUp(pixels, 4))
  // memory: centred input | weights | patches | sums
  const xLen = N * H * W * C
  const xPtr = 0
  const bPtr = roundUp(xPtr + xLen * 2, 16)
  const aPtr = bPtr + Mp * Pp * 2
  const cPtr = aPtr + chunk * Pp * 2
  kk.reserve(cPtr + chunk * Mp * 4)
  const m16 = kk.i16
  const zx = x.quant.zeroPoints[0]
  const xd = x.data
  const xb = xPtr >> 1
  let xInf = 0
  for (let i = 0; i < xLen; i++) {
    const v = xd[i] - zx
    m16[xb + i] = v
    if (v > xInf) xInf = v
    else if (-v > xInf) xInf = -v
  }
  packRows(kk, bPtr, w.data, CO, P, Mp, Pp, w.quant.zeroPoints, normsB)
  // a patch's ‖·‖∞ is at most the input's; ‖patch‖₁ ≤ P·‖x‖∞ gives the other bound
  if (Math.min(xInf * normsB.l1, P * xInf * normsB.inf) > limit) { wasmStats.fallback++; return false }
  wasmStats.fast++

  const o = out.data as Float64Array
  const ab = aPtr >> 1
  const runC = C >= 16 // copy a tap's channels with copyWithin, else element by element
  let valid = 0
  let pix = 0
  while (pix < pixels) {
    const rows = Math.min(chunk, pixels - pix)
    // im2col of `rows` output pixels: each patch centred, padded taps 0 (what a padded position
    // holding the zero point contributes), rows past `rows` and columns past P zero
    for (let r = 0; r < rows; r++) {
      const p = pix + r
      const ox = p % g.ow
      const t = (p - ox) / g.ow
      const oy = t % g.oh
      const n = (t - oy) / g.oh
      let d = ab + r * Pp
      for (let ky = 0; ky < KH; ky++) {
        const iy = oy * g.sh - g.pt + ky * g.dh
        if (iy < 0 || iy >= H) { m16.fill(0, d, d + KW * C); d += KW * C; continue }
        const rowBase = xb + (n * H + iy) * W * C
        for (let kx = 0; kx < KW; kx++) {
          const ix = ox * g.sw - g.pl + kx * g.dw
          if (ix < 0 || ix >= W) { m16.fill(0, d, d + C); d += C; continue }
          const s = rowBase + ix * C
          if (runC) m16.copyWithin(d, s, s + C)
          else for (let ci = 0; ci < C; ci++) m16[d + ci] = m16[s + ci]
          d += C
          valid += C
        }
      }
      if (Pp > P) m16.fill(0, d, d + Pp - P)
    }
    const rowsP = roundUp(rows, 4)
    if (rowsP > rows) m16.fill(0, ab + rows * Pp, ab + rowsP * Pp)
    kk.gemm(aPtr, bPtr, cPtr, rowsP, Mp, Pp, Mp)
    epilogue(kk, cPtr, Mp, rows, CO, bias, o, pix * CO, out.format, work)
    pix += rows
  }

  work.macs += valid * CO
  work.bytesRead += packedBytes(x.format, xLen) + packedBytes(w.format, CO * P) + (bias ? 4 * CO : 0)
  work.bytesWritten += (out.data.length * out.format.bits) / 8
  return true
}
