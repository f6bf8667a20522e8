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
import { packedBytes } from '../../core/int-format'
import type { Work } from '../../core/work'
import { denseShape, type DenseArgs } from '../dense'
import { conv2dShape, type Conv2dArgs } from '../conv2d'
import { roundUp, wasmKernels, type WasmKernels } from './runtime'
import { epilogue, finish, formatsCovered, Plan, putBias, wasmStats } from './mac-shared'
import { wasmConvC1 } from './conv-c1'

export { wasmStats } from './mac-shared'

/**
 * The broadcast GEMM (gemm_bc: K padded to 2, M to 8, no horizontal sums) is the faster one for small K
 * and whenever M needs no padding; the dot GEMM (K padded to 8, M to 2, one horizontal sum per output)
 * for large K with an output count that is not a multiple of 8 (a 10-class head).
 */
const useBroadcast = (K: number, M: number) => K < 64 || M % 8 === 0

/** Largest K whose row L1 norm (≤ K·32768) fits int32 in pack_rows. */
const MAX_K = 65535

/** Copies zero points (integers) into memory as int32. */
function putZeroPoints(k: WasmKernels, ptr: number, zps: Float64Array): void {
  const m = k.i32, b = ptr >> 2
  for (let i = 0; i < zps.length; i++) m[b + i] = zps[i]
}

/** Centres and packs `rows` int32 rows (already at src) to int16 at dst; returns [max L1, max |v|]. */
function pack(k: WasmKernels, src: number, rows: number, K: number, Kp: number, zpPtr: number, zps: Float64Array, dst: number, rowsP: number, norms: number): void {
  putZeroPoints(k, zpPtr, zps)
  k.pack(src, rows, K, Kp, zpPtr, zps.length === 1 ? 0 : 1, dst, rowsP, norms)
}

export function wasmDense({ x, w, bias, out }: DenseArgs, work: Work): boolean {
  const k = wasmKernels()
  if (!k) return false
  const { N, K, M } = denseShape({ x, w, bias, out })
  const limit = formatsCovered(K, x.format, x.quant.zeroPoints, w.format, w.quant.zeroPoints, bias, out.format, out.data)
  if (limit <= 0) { wasmStats.fallback++; return false }

  if (K > MAX_K) { wasmStats.fallback++; return false }

  const bc = useBroadcast(K, M)
  const Kp = roundUp(K, bc ? 2 : 8), Rp = roundUp(N, 4), Mp = roundUp(M, bc ? 8 : 2)
  const plan = new Plan()
  const xSrc = plan.take(N * K * 4), wSrc = plan.take(M * K * 4)
  const zxPtr = plan.take(4), zwPtr = plan.take(M * 4), norms = plan.take(16)
  const aPtr = plan.take(Rp * Kp * 2), bRows = plan.take(Mp * Kp * 2), cPtr = plan.take(Rp * Mp * 4)
  const bPtr = bc ? plan.take(Mp * Kp * 2) : bRows
  const biasPtr = plan.take(M * 8), fPtr = plan.take(N * M * 8)
  k.reserve(plan.at)
  // the codes are integers in a format whose centred values fit int16, so they convert to int32 exactly
  k.i32.set(x.data, xSrc >> 2)
  k.i32.set(w.data, wSrc >> 2)
  pack(k, xSrc, N, K, Kp, zxPtr, x.quant.zeroPoints, aPtr, Rp, norms)
  pack(k, wSrc, M, K, Kp, zwPtr, w.quant.zeroPoints, bRows, Mp, norms + 8)
  const nm = k.i32, ni = norms >> 2
  if (Math.min(nm[ni] * nm[ni + 3], nm[ni + 1] * nm[ni + 2]) > limit) { wasmStats.fallback++; return false }
  wasmStats.fast++
  if (bc) {
    k.interleave(bRows, Mp, Kp, bPtr)
    k.gemmBc(aPtr, bPtr, cPtr, Rp, Mp, Kp, Mp)
  } else k.gemm(aPtr, bPtr, cPtr, Rp, Mp, Kp, Mp)
  putBias(k, biasPtr, bias, M)
  const outside = epilogue(k, cPtr, Mp, N, M, biasPtr, fPtr, out.format)
  finish(k, fPtr, N * M, out.data as Float64Array, outside, out.format, work)

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
  const shape = conv2dShape(a)
  const { N, H, W, C, CO, KH, KW, g } = shape
  const P = KH * KW * C
  const limit = formatsCovered(P, x.format, x.quant.zeroPoints, w.format, w.quant.zeroPoints, bias, out.format, out.data)
  if (limit <= 0) { wasmStats.fallback++; return false }
  const xLen = N * H * W * C
  const bytes = () => {
    work.bytesRead += packedBytes(x.format, xLen) + packedBytes(w.format, CO * P) + (bias ? 4 * CO : 0)
    work.bytesWritten += (out.data.length * out.format.bits) / 8
  }
  // one input channel: the direct kernel (conv-c1.ts) instead of im2col
  if (C === 1 && g.dw === 1 && P <= MAX_K) {
    if (!wasmConvC1(kk, a, shape, limit, work)) return false
    bytes()
    return true
  }

  if (P > MAX_K) { wasmStats.fallback++; return false }

  const bc = useBroadcast(P, CO)
  const Pp = roundUp(P, bc ? 2 : 8), Mp = roundUp(CO, bc ? 8 : 2)
  const pixels = N * g.oh * g.ow
  const chunk = Math.min(CHUNK, roundUp(pixels, 4))
  const plan = new Plan()
  const xSrc = plan.take(xLen * 4), wSrc = plan.take(CO * P * 4)
  const zxPtr = plan.take(4), zwPtr = plan.take(CO * 4), norms = plan.take(16)
  const xPtr = plan.take(roundUp(xLen, 8) * 2), bRows = plan.take(Mp * Pp * 2), bPtr = bc ? plan.take(Mp * Pp * 2) : bRows, aPtr = plan.take(chunk * Pp * 2), cPtr = plan.take(chunk * Mp * 4)
  const biasPtr = plan.take(CO * 8), fPtr = plan.take(pixels * CO * 8)
  kk.reserve(plan.at)
  kk.i32.set(x.data, xSrc >> 2)
  kk.i32.set(w.data, wSrc >> 2)
  // the whole input centred once (one row; only its max |v| is used), the weights as CO rows of P
  pack(kk, xSrc, 1, xLen, roundUp(xLen, 8), zxPtr, x.quant.zeroPoints, xPtr, 1, norms)
  pack(kk, wSrc, CO, P, Pp, zwPtr, w.quant.zeroPoints, bRows, Mp, norms + 8)
  const nm = kk.i32, ni = norms >> 2
  const xInf = nm[ni + 1]
  // a patch's ‖·‖∞ is at most the input's, and ‖patch‖₁ ≤ P·‖x‖∞
  if (Math.min(xInf * nm[ni + 2], P * xInf * nm[ni + 3]) > limit) { wasmStats.fallback++; return false }
  wasmStats.fast++
  if (bc) kk.interleave(bRows, Mp, Pp, bPtr)

  putBias(kk, biasPtr, bias, CO)
  let valid = 0, outside = 0
  for (let pix = 0; pix < pixels; pix += chunk) {
    const rows = Math.min(chunk, pixels - pix)
    const rowsP = roundUp(rows, 4)
    valid += kk.im2col(xPtr, H, W, C, KH, KW, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, g.oh, g.ow, pix, rows, aPtr, Pp)
    // rows past `rows` (the last chunk) must be zero
    if (rowsP > rows) kk.i16.fill(0, (aPtr >> 1) + rows * Pp, (aPtr >> 1) + rowsP * Pp)
    if (bc) kk.gemmBc(aPtr, bPtr, cPtr, rowsP, Mp, Pp, Mp)
    else kk.gemm(aPtr, bPtr, cPtr, rowsP, Mp, Pp, Mp)
    outside += epilogue(kk, cPtr, Mp, rows, CO, biasPtr, fPtr + pix * CO * 8, out.format)
  }
  finish(kk, fPtr, pixels * CO, out.data as Float64Array, outside, out.format, work)

  work.macs += valid * CO
  bytes()
  return true
}
