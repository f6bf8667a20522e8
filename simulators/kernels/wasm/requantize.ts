/**
 * Fixed-point requantization in WASM (kernels.wat, requant_fixed), bit-identical to kernels/requantize.ts
 * for fixed plans with deterministic rounding (floor, half-away, half-even): the product acc·m is exact
 * in i64 (|acc| < 2^32, m < 2^31) and rounded once from its floor and remainder, as roundSplit and
 * mulShiftRound do in doubles. Returns false (nothing written, no Work counted) for float plans,
 * stochastic rounding (its draws stay in TypeScript), shifts outside 0 ≤ s ≤ 62, BigInt accumulators,
 * output formats past int32, or any |acc| ≥ 2^32; the caller then runs the TypeScript kernel.
 */
import { maxValue, minValue, packedBytes } from '../../core/int-format'
import type { Work } from '../../core/work'
import type { RequantizeArgs } from '../requantize'
import { expectEqual, expectPerTensor } from '../checks'
import { roundUp, wasmKernels } from './runtime'
import { wasmStats } from './mac-shared'

const MODE = { floor: 0, 'half-away': 1, 'half-even': 2 } as const

export function wasmRequantize({ acc, plan, out }: RequantizeArgs, work: Work): boolean {
  const k = wasmKernels()
  if (!k) return false
  if (plan.kind !== 'fixed' || plan.rounding === 'stochastic' || !(acc.data instanceof Float64Array)) return false
  expectEqual('requantize output size', out.data.length, acc.data.length)
  expectPerTensor('requantize output', out.quant.zeroPoints)
  const channels = acc.shape[acc.shape.length - 1]
  const perChannel = plan.multipliers.length
  if (perChannel !== 1 && perChannel !== channels) {
    throw new RangeError(`requantize plan has ${perChannel} multipliers; expected 1 or ${channels}`)
  }
  const lo = minValue(out.format), hi = maxValue(out.format)
  if (lo < -(2 ** 31) || hi > 2 ** 31 - 1) return false
  for (const m of plan.multipliers) {
    const s = 31 - m.shift
    if (s < 0 || s > 62) return false
  }
  const zy = out.quant.zeroPoints[0]
  const n = acc.data.length
  const srcPtr = 0
  const multPtr = roundUp(n * 8, 16)
  const shiftPtr = multPtr + roundUp(perChannel * 4, 16)
  const dstPtr = shiftPtr + roundUp(perChannel * 4, 16)
  k.reserve(dstPtr + n * 4)
  k.f64.set(acc.data, srcPtr >> 3)
  const m32 = k.i32
  for (let c = 0; c < perChannel; c++) {
    m32[(multPtr >> 2) + c] = plan.multipliers[c].multiplier
    m32[(shiftPtr >> 2) + c] = 31 - plan.multipliers[c].shift
  }
  // as in requantize.ts: with the zero point at the format's minimum, a value clamped there is the
  // fused ReLU, not range lost
  const lowClips = zy !== lo ? 1 : 0
  const clipped = k.requantFixed(srcPtr, n, channels, perChannel === 1 ? 0 : 1, multPtr, shiftPtr, MODE[plan.rounding], zy, lo, hi, lowClips, dstPtr)
  if (clipped < 0) { wasmStats.fallback++; return false }
  wasmStats.fast++
  out.data.set(k.i32.subarray(dstPtr >> 2, (dstPtr >> 2) + n))
  work.requantizations += n
  work.clipped += clipped
  work.bytesRead += (n * acc.format.bits) / 8
  work.bytesWritten += packedBytes(out.format, n)
  return true
}
