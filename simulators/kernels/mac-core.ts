/**
 * The exact multiply-accumulate core shared by dense, conv2d and depthwise conv:
 *   acc = bias + Σ_t (x[t] − z_x) · (w[t] − z_w)
 * summed in ascending tap order with the accumulator's overflow rule.
 *
 * Exactness tiers, chosen once per kernel call from the formats (not the data), so the hot loop has
 * no checks it does not need:
 * - `number`: the bound of every partial sum is below 2^53, so plain double arithmetic is exact; the
 *   accumulator's overflow rule is applied once at the end (exact for wrap, and for saturate whenever
 *   the bound also fits the accumulator, because then nothing can saturate).
 * - `number-saturating`: a saturating accumulator that the sum can overflow: clamp after every MAC
 *   (order matters, as on hardware), still exact in doubles when |acc| + |product| < 2^53.
 * - `bigint`: anything wider (32×32-bit operands, 64-bit accumulators past 2^53). Slow, exact.
 */
import { accMax, accMaxBig, accMin, accMinBig, fitAccumulator, fitAccumulatorBig, type AccumulatorFormat } from '../core/accumulator'
import { maxValue, minValue, type IntFormat } from '../core/int-format'
import type { IntStorage } from '../core/storage'
import type { Work } from '../core/work'

export type Tier = 'number' | 'number-saturating' | 'bigint'
const SAFE = 2 ** 53

/** Largest |q − z| over the format's range and the given zero points. */
export function maxCentered(format: IntFormat, zeroPoints: ArrayLike<number>): number {
  let m = 0
  for (let i = 0; i < zeroPoints.length; i++) {
    m = Math.max(m, Math.abs(minValue(format) - zeroPoints[i]), Math.abs(maxValue(format) - zeroPoints[i]))
  }
  return m
}

export interface MacBounds {
  /** bound on |acc| of an unclamped sum */
  sum: number
  /** bound on one product */
  product: number
}

export function macBounds(taps: number, x: IntFormat, zx: ArrayLike<number>, w: IntFormat, zw: ArrayLike<number>, biasMax: number): MacBounds {
  const product = maxCentered(x, zx) * maxCentered(w, zw)
  return { product, sum: biasMax + taps * product }
}

export function chooseTier(b: MacBounds, acc: AccumulatorFormat): Tier {
  const stepwise = acc.overflow === 'saturate' && b.sum > accMax(acc)
  if (!stepwise) return b.sum < SAFE ? 'number' : 'bigint'
  return b.product + 2 ** (acc.bits - 1) < SAFE ? 'number-saturating' : 'bigint'
}

/** A 64-bit accumulator whose values may pass 2^53 must be stored as BigInt64Array. */
export function needsBigStorage(b: MacBounds, acc: AccumulatorFormat): boolean {
  return acc.bits > 53 && b.sum >= SAFE
}

export function maxAbs(a: ArrayLike<number> | undefined): number {
  let m = 0
  if (a) for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]))
  return m
}

/** One output value; offsets are relative to xBase/wBase. Allocates nothing. */
export type DotFn = (
  x: IntStorage, xBase: number, xOff: Int32Array, zx: number,
  w: IntStorage, wBase: number, wOff: Int32Array, zw: number,
  n: number, init: number, acc: AccumulatorFormat, work: Work,
) => number | bigint

const dotNumber: DotFn = (x, xb, xo, zx, w, wb, wo, zw, n, init, acc, work) => {
  let s = init
  for (let t = 0; t < n; t++) s += (x[xb + xo[t]] - zx) * (w[wb + wo[t]] - zw)
  return fitAccumulator(s, acc, work)
}

const dotSaturating: DotFn = (x, xb, xo, zx, w, wb, wo, zw, n, init, acc, work) => {
  const hi = accMax(acc)
  const lo = accMin(acc)
  let s = fitAccumulator(init, acc, work)
  for (let t = 0; t < n; t++) {
    s += (x[xb + xo[t]] - zx) * (w[wb + wo[t]] - zw)
    if (s > hi) { s = hi; work.accSaturations++ } else if (s < lo) { s = lo; work.accSaturations++ }
  }
  return s
}

const dotBig: DotFn = (x, xb, xo, zx, w, wb, wo, zw, n, init, acc, work) => {
  const stepwise = acc.overflow === 'saturate'
  const hi = accMaxBig(acc)
  const lo = accMinBig(acc)
  const bzx = bigOf(zx, 'input zero point')
  const bzw = bigOf(zw, 'weight zero point')
  let s = fitAccumulatorBig(bigOf(init, 'bias'), acc, work)
  try {
    for (let t = 0; t < n; t++) {
      s += (BigInt(x[xb + xo[t]]) - bzx) * (BigInt(w[wb + wo[t]]) - bzw)
      if (stepwise) {
        if (s > hi) { s = hi; work.accSaturations++ } else if (s < lo) { s = lo; work.accSaturations++ }
      }
    }
  } catch (err) {
    // only a non-integer code (a NaN or a fraction in a Float64Array store) makes BigInt() throw: say which
    if (!(err instanceof RangeError)) throw err
    const t = Array.from({ length: n }, (_, k) => k).find((k) => !Number.isInteger(x[xb + xo[k]]) || !Number.isInteger(w[wb + wo[k]]))!
    throw new RangeError(`a ${Number.isInteger(x[xb + xo[t]]) ? `weight code is ${w[wb + wo[t]]}` : `input code is ${x[xb + xo[t]]}`}, not an integer, in a wide-accumulator MAC (term ${t})`, { cause: err })
  }
  const r = fitAccumulatorBig(s, acc, work)
  return acc.bits > 53 ? r : Number(r)
}

/** An integer operand of the BigInt tier; anything else (NaN from a diverged update, ±∞, a fraction) is named. */
function bigOf(v: number, what: string): bigint {
  if (!Number.isInteger(v)) throw new RangeError(`the ${what} of a wide-accumulator MAC is ${v}, not an integer`)
  return BigInt(v)
}

export const DOT: Record<Tier, DotFn> = { number: dotNumber, 'number-saturating': dotSaturating, bigint: dotBig }

/** Writes one accumulator value into a Float64Array or BigInt64Array buffer. */
export function store(out: Float64Array | BigInt64Array, i: number, v: number | bigint): void {
  if (out instanceof BigInt64Array) out[i] = typeof v === 'bigint' ? v : BigInt(v)
  else out[i] = Number(v)
}

/** Resolves the zero point of channel c (per-tensor arrays have length 1). */
export function zpAt(zps: Float64Array, c: number): number {
  return zps.length === 1 ? zps[0] : zps[c]
}
