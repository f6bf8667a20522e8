/**
 * Requantization: bringing an accumulator (scale s_x·s_w) to a narrower output format (scale s_y).
 *
 * Two ways, because accelerators differ:
 * - Fixed point (TFLite, gemmlowp, CMSIS-NN, Ethos-U, most NPUs): the real multiplier s_x·s_w/s_y is
 *   stored as an integer M in [2^30, 2^31) and a shift, y = round(acc · M · 2^(shift−31)) + z_y. We
 *   round once, exactly, with the chosen mode. (TFLite's reference rounds twice, once in the doubling
 *   high multiply and once in the shift, which can differ by one LSB from single rounding on ties; we
 *   offer `gemmlowpMultiply` for bit-parity with that path.)
 * - Float scale (onnxruntime's QLinear operators via MLAS): y = round(float32(acc) × scale32) + z_y in
 *   float32 arithmetic, round half to even by default.
 * Both saturate to the output format and count clipped values.
 */
import { maxValue, minValue, type IntFormat } from './int-format'
import { mulShiftRound, mulShiftRoundBig, type RoundingMode, type UniformSource } from './rounding'
import type { Work } from './work'

/** real ≈ multiplier · 2^(shift − 31), multiplier in [2^30, 2^31) (or 0), as TFLite's QuantizeMultiplier. */
export interface QuantizedMultiplier {
  readonly multiplier: number
  readonly shift: number
}

/**
 * TFLite's QuantizeMultiplier: frexp(real) = f·2^e with f in [0.5, 1); M = round_half_away(f·2^31);
 * M == 2^31 renormalises to 2^30 with e+1. Scaling by powers of two is exact, so this is deterministic.
 */
export function quantizeMultiplier(real: number): QuantizedMultiplier {
  if (!(real >= 0) || !Number.isFinite(real)) throw new RangeError(`multiplier must be a finite non-negative number, got ${real}`)
  if (real === 0) return { multiplier: 0, shift: 0 }
  let f = real
  let e = 0
  while (f >= 1) { f /= 2; e++ }
  while (f < 0.5) { f *= 2; e-- }
  let m = Math.round(f * 2 ** 31) // f·2^31 >= 2^30 > 0, so Math.round's half-up equals half-away here
  if (m === 2 ** 31) { m = 2 ** 30; e++ }
  if (e < -31) return { multiplier: 0, shift: 0 }
  return { multiplier: m, shift: e }
}

/** The real number a quantized multiplier stands for. */
export function multiplierValue(q: QuantizedMultiplier): number {
  return q.multiplier * 2 ** (q.shift - 31)
}

/**
 * round(acc · M · 2^(shift−31)) exactly, with the given rounding, before the output zero point and
 * saturation. `acc` is an exact integer (number below 2^53, or bigint).
 */
export function applyMultiplier(acc: number | bigint, q: QuantizedMultiplier, mode: RoundingMode, rng?: UniformSource): number {
  const s = 31 - q.shift
  if (typeof acc === 'number') {
    if (s < 0) return acc * q.multiplier * 2 ** -s // beyond 2^53 only when it saturates anyway
    if (Math.abs(acc) < 2 ** 32 && s <= 52) return mulShiftRound(acc, q.multiplier, s, mode, rng)
    acc = BigInt(acc)
  }
  const big = s < 0 ? acc * BigInt(q.multiplier) << BigInt(-s) : mulShiftRoundBig(acc, BigInt(q.multiplier), s, mode, rng)
  // values beyond ±2^60 saturate every output format, so a clamp here keeps Number() exact where it matters
  const lim = 1n << 60n
  return Number(big > lim ? lim : big < -lim ? -lim : big)
}

/** Adds the zero point and saturates into `format`, counting clipped values in `work`. */
export function saturateOutput(v: number, zeroPoint: number, format: IntFormat, work: Work): number {
  const y = v + zeroPoint
  const lo = minValue(format)
  const hi = maxValue(format)
  work.requantizations++
  if (y < lo) { work.clipped++; return lo }
  if (y > hi) { work.clipped++; return hi }
  return y
}

export function requantizeFixed(
  acc: number | bigint, q: QuantizedMultiplier, zeroPoint: number, format: IntFormat,
  mode: RoundingMode, work: Work, rng?: UniformSource,
): number {
  return saturateOutput(applyMultiplier(acc, q, mode, rng), zeroPoint, format, work)
}

/** float32(acc) × scale32, rounded to float32: the real value MLAS rounds (scale32 already a float32). */
export function scaleFloat32(acc: number, scale32: number): number {
  return Math.fround(Math.fround(acc) * scale32)
}

/** The effective float32 output scale onnxruntime computes for QLinearMatMul/QLinearConv: a·b/y in float32. */
export function ortOutputScale(aScale: number, bScale: number, yScale: number): number {
  const f = Math.fround
  return f(f(f(aScale) * f(bScale)) / f(yScale))
}

// #region TFLite/gemmlowp double rounding, for parity with TFLite's reference kernels

const I32_MIN = -(2 ** 31)
const I32_MAX = 2 ** 31 - 1

/** gemmlowp SaturatingRoundingDoublingHighMul(a, b) for int32 a, b: (a·b + nudge) / 2^31, truncated. */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === I32_MIN && b === I32_MIN) return I32_MAX
  const ab = BigInt(a) * BigInt(b)
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n)
  return Number((ab + nudge) / (1n << 31n)) // BigInt division truncates toward zero, as C does
}

/** gemmlowp RoundingDivideByPOT: arithmetic shift with round half away from zero. */
export function roundingDivideByPOT(x: number, exponent: number): number {
  const d = 2 ** exponent
  const q = Math.floor(x / d)
  const r = x - q * d
  const threshold = Math.floor((d - 1) / 2) + (x < 0 ? 1 : 0)
  return q + (r > threshold ? 1 : 0)
}

/** TFLite MultiplyByQuantizedMultiplier (the non-single-rounding build), for int32 x. */
export function gemmlowpMultiply(x: number, q: QuantizedMultiplier): number {
  const left = q.shift > 0 ? q.shift : 0
  const right = q.shift > 0 ? 0 : -q.shift
  const shifted = Math.max(I32_MIN, Math.min(I32_MAX, x * 2 ** left)) // int32 in TFLite; wraps in C, clamp here
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(shifted, q.multiplier), right)
}
// #endregion
