/**
 * Accumulator formats: the register a MAC unit sums into. Widths are the ones real accelerators have
 * (16-bit DSP accumulators, 24/40/48-bit audio DSPs, 32-bit NPUs and MCUs, 64-bit SMLALD pairs).
 * Overflow is either saturation (clamp on every addition, as saturating MAC instructions do) or
 * wrap (two's complement; equal to wrapping once at the end, since addition is modular).
 *
 * Values are JS numbers while they are below 2^53 in magnitude (exact integers in a double); kernels
 * switch to BigInt arithmetic when the bound of a sum could reach 2^53 (see kernels/exactness.ts).
 */
import { wrapBits } from './int-format'

export type AccumulatorBits = 16 | 24 | 32 | 40 | 48 | 64
export const ACCUMULATOR_BITS: readonly AccumulatorBits[] = [16, 24, 32, 40, 48, 64]
export type Overflow = 'saturate' | 'wrap'

export interface AccumulatorFormat {
  readonly bits: AccumulatorBits
  readonly overflow: Overflow
}

export function accumulatorFormat(bits: number, overflow: Overflow, field = 'accumulator'): AccumulatorFormat {
  if (!(ACCUMULATOR_BITS as readonly number[]).includes(bits)) {
    throw new RangeError(`${field}.bits must be one of ${ACCUMULATOR_BITS.join(', ')}, got ${bits}`)
  }
  if (overflow !== 'saturate' && overflow !== 'wrap') {
    throw new RangeError(`${field}.overflow must be "saturate" or "wrap", got "${String(overflow)}"`)
  }
  return { bits: bits as AccumulatorBits, overflow }
}

export function accMax(f: AccumulatorFormat): number {
  return 2 ** (f.bits - 1) - 1
}
export function accMin(f: AccumulatorFormat): number {
  return -(2 ** (f.bits - 1))
}

export function accMaxBig(f: AccumulatorFormat): bigint {
  return (1n << BigInt(f.bits - 1)) - 1n
}
export function accMinBig(f: AccumulatorFormat): bigint {
  return -(1n << BigInt(f.bits - 1))
}

/** Counts overflow events; kernels add to it so the dashboard can show how often a format clips. */
export interface OverflowCount {
  accSaturations: number
  accWraps: number
}

/**
 * Brings an exact sum (|v| < 2^53) into the accumulator, for sums that were computed without
 * intermediate overflow checks because their bound fits the accumulator, or for wrap formats.
 */
export function fitAccumulator(v: number, f: AccumulatorFormat, count: OverflowCount): number {
  const hi = accMax(f)
  const lo = accMin(f)
  if (v <= hi && v >= lo) return v
  if (f.overflow === 'saturate') {
    count.accSaturations++
    return v > hi ? hi : lo
  }
  count.accWraps++
  return wrapBits(v, f.bits, true)
}

/**
 * `fitAccumulator` over dst[start, start + n) ← src[srcStart …], with the limits computed once: the
 * per-output epilogue of the fast MAC paths.
 */
export function fitAccumulatorRange(src: Float64Array, srcStart: number, dst: Float64Array, start: number, n: number, f: AccumulatorFormat, count: OverflowCount): void {
  const hi = accMax(f)
  const lo = accMin(f)
  for (let i = 0; i < n; i++) {
    const v = src[srcStart + i]
    dst[start + i] = v <= hi && v >= lo ? v : fitAccumulator(v, f, count)
  }
}

/** BigInt version of `fitAccumulator`, for 64-bit sums that exceed 2^53. */
export function fitAccumulatorBig(v: bigint, f: AccumulatorFormat, count: OverflowCount): bigint {
  const hi = accMaxBig(f)
  const lo = accMinBig(f)
  if (v <= hi && v >= lo) return v
  if (f.overflow === 'saturate') {
    count.accSaturations++
    return v > hi ? hi : lo
  }
  count.accWraps++
  return BigInt.asIntN(f.bits, v)
}
