/**
 * What the WASM MAC kernels (mac.ts: dense and im2col conv; conv-c1.ts: the direct 1-input-channel conv;
 * depthwise.ts) share: the static routing rule, the per-call memory plan, bias and epilogue, and the
 * fast/fallback counters. Its own file so that mac.ts can route to conv-c1.ts without an import cycle.
 */
import { accMax, accMin, fitAccumulator, type AccumulatorFormat } from '../../core/accumulator'
import { maxValue, minValue, type IntFormat } from '../../core/int-format'
import type { OverflowCount } from '../../core/accumulator'
import { chooseTier, macBounds, maxAbs } from '../mac-core'
import { roundUp, type WasmKernels } from './runtime'

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
