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
import { denseShape, type DenseArgs } from '../dense'
import { conv2dShape, type Conv2dArgs } from '../conv2d'
import { chooseTier, macBounds, maxAbs } from '../mac-core'
import { roundUp, wasmKernels, type WasmKernels } from './runtime'
import { wasmConvC1 } from './conv-c1'

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

/** Calls that ran in WASM / fell back to TypeScript, and of the former the 1-input-channel direct convolutions (tests use them to make sure the fast path is what they test). */
export const wasmStats = { fast: 0, fallback: 0, convC1: 0 }

/**
 * The broadcast GEMM (gemm_bc: K padded to 2, M to 8, no horizontal sums) is the faster one for small K
 * and whenever M needs no padding; the dot GEMM (K padded to 8, M to 2, one horizontal sum per output)
 * for large K with an output count that is not a multiple of 8 (a 10-class head).
 */
const useBroadcast = (K: number, M: number) => K < 64 || M % 8 === 0

/** Largest K whose row L1 norm (≤ K·32768) fits int32 in pack_rows. */
const MAX_K = 65535

/**
 * Memory plan of one call, in bytes from address 0: the caller's int32 operands copied in, their zero
 * points, two norm pairs, then the packed int16 operands and the int32 sums. Planned per call from the
 * shapes; the memory itself only grows (runtime.ts).
 */
export class Plan {
  at = 0
  take(bytes: number): number {
    const p = this.at
    this.at = roundUp(p + bytes, 16)
    return p
  }
}

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

/** Writes the M bias values (or zeros) as f64 at ptr. */
export function putBias(k: WasmKernels, ptr: number, bias: ArrayLike<number> | undefined, M: number): void {
  const f = k.f64, b = ptr >> 3
  if (bias) for (let m = 0; m < M; m++) f[b + m] = bias[m]
  else f.fill(0, b, b + M)
}

/**
 * out[base …] = sums + bias (computed by the module's epilogue into f64 at fPtr), then the
 * accumulator rule for the values outside its range, as fitAccumulatorRange does.
 */
export function epilogue(k: WasmKernels, cPtr: number, ldc: number, rows: number, M: number, biasPtr: number, fPtr: number, f: AccumulatorFormat): number {
  return k.epilogue(cPtr, ldc, rows, M, biasPtr, fPtr, accMin(f), accMax(f))
}

/** Copies n f64 results from fPtr into o; applies the overflow rule if any were out of range. */
export function finish(k: WasmKernels, fPtr: number, n: number, o: Float64Array, outOfRange: number, f: AccumulatorFormat, count: OverflowCount): void {
  const src = k.f64, b = fPtr >> 3
  o.set(src.subarray(b, b + n))
  if (outOfRange === 0) return
  const hi = accMax(f), lo = accMin(f)
  for (let i = 0; i < n; i++) {
    const v = o[i]
    if (v > hi || v < lo) o[i] = fitAccumulator(v, f, count)
  }
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
