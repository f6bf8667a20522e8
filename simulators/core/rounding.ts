/**
 * Exact integer rounding. Every function here returns the correctly rounded value of an exact rational
 * (an integer divided by an integer, or an integer product scaled by a power of two), computed with
 * exact double arithmetic on integers below 2^53 and falling back to BigInt beyond that. The property
 * tests compare each mode against a BigInt rational oracle.
 */

/**
 * - `half-away`: round half away from zero (TFLite's RoundingDivideByPOT, C `round`).
 * - `half-even`: round half to even (IEEE default; onnxruntime's QuantizeLinear and MLAS requantize).
 * - `floor`: toward minus infinity (an arithmetic right shift: the cheapest hardware rounding).
 * - `stochastic`: round up with probability equal to the discarded fraction, from a seeded draw.
 */
export type RoundingMode = 'half-away' | 'half-even' | 'floor' | 'stochastic'
export const ROUNDING_MODES: readonly RoundingMode[] = ['half-away', 'half-even', 'floor', 'stochastic']

/**
 * Source of uniform 32-bit draws for stochastic rounding. `next()` returns an integer in [0, 2^32).
 * Kernels take one draw per value that is not already exact, in output order, so a run is reproducible
 * from its seed.
 */
export interface UniformSource {
  next(): number
}

const TWO32 = 2 ** 32

/**
 * Rounds q + r/d where q is the floor of the exact quotient and 0 <= r < d (d > 0).
 * `r` and `d` must be exact doubles; the comparison 2r vs d is exact for d < 2^52.
 */
export function roundFromFloor(q: number, r: number, d: number, mode: RoundingMode, rng?: UniformSource): number {
  if (r === 0 || mode === 'floor') return q
  switch (mode) {
    case 'half-away': {
      const twice = 2 * r
      if (twice > d) return q + 1
      if (twice < d) return q
      return q >= 0 ? q + 1 : q // value = q + 1/2: away from zero is up when q >= 0
    }
    case 'half-even': {
      const twice = 2 * r
      if (twice > d) return q + 1
      if (twice < d) return q
      return q % 2 === 0 ? q : q + 1
    }
    case 'stochastic': {
      if (!rng) throw new Error('stochastic rounding needs a UniformSource')
      // up iff u/2^32 < r/d; both sides are exact doubles (r < d < 2^53, so r/d is rounded once, and
      // the comparison is then exact for all u with probability error below 2^-32 per value).
      return rng.next() / TWO32 < r / d ? q + 1 : q
    }
  }
}

/** Exact floor(n/d) and remainder for integers |n| < 2^53, 0 < d < 2^53. */
export function floorDivRem(n: number, d: number): [number, number] {
  let q = Math.floor(n / d)
  let r = n - q * d // exact: q*d is within one rounding of n, and both are integers below 2^53
  if (r < 0) {
    q -= 1
    r += d
  } else if (r >= d) {
    q += 1
    r -= d
  }
  return [q, r]
}

/** round(n / d) for integers, |n| < 2^53, 0 < d < 2^52. */
export function roundDiv(n: number, d: number, mode: RoundingMode, rng?: UniformSource): number {
  const [q, r] = floorDivRem(n, d)
  return roundFromFloor(q, r, d, mode, rng)
}

/** BigInt round(n / d), d > 0: the general case and the oracle's building block. */
export function roundDivBig(n: bigint, d: bigint, mode: RoundingMode, rng?: UniformSource): bigint {
  let q = n / d
  let r = n - q * d
  if (r < 0n) {
    q -= 1n
    r += d
  }
  if (r === 0n || mode === 'floor') return q
  if (mode === 'stochastic') {
    if (!rng) throw new Error('stochastic rounding needs a UniformSource')
    // up iff u/2^32 < r/d  <=>  u*d < r*2^32 (exact); the Number path above agrees except when r/d
    // itself rounds, which needs d >= 2^53 and so never happens on the Number path.
    return BigInt(rng.next()) * d < r << 32n ? q + 1n : q
  }
  const twice = 2n * r
  if (twice > d) return q + 1n
  if (twice < d) return q
  if (mode === 'half-away') return q >= 0n ? q + 1n : q
  return q % 2n === 0n ? q : q + 1n
}

const TWO16 = 65536

/**
 * round(x · m / 2^s) exactly, for integers |x| < 2^32, 0 <= m < 2^31, 0 <= s <= 52: the fixed-point
 * requantization x·M·2^−s of TFLite/gemmlowp and of integer-only NPUs, computed with single rounding.
 * The 63-bit product is split as x·m = T·2^16 + Br with Br in [0, 2^16), so every partial value stays
 * an exact double. Returns ±Infinity-free finite numbers; callers saturate to their target range.
 */
export function mulShiftRound(x: number, m: number, s: number, mode: RoundingMode, rng?: UniformSource): number {
  if (s >= 16) return roundSplit(x, splitMultiplier({ multiplier: m, shift: 31 - s }), mode, rng)
  // s < 16: floor(x·m / 2^s) = floor(t·2^(16−s) + br/2^s) with x·m = t·2^16 + br; t·2^(16−s) may exceed
  // 2^53 only when the result saturates anyway
  const mh = Math.floor(m / TWO16)
  const b = x * (m - mh * TWO16)
  const bq = Math.floor(b / TWO16)
  const br = b - bq * TWO16 // in [0, 2^16)
  const t = x * mh + bq
  const d = 2 ** s
  const brq = Math.floor(br / d)
  return roundFromFloor(t * 2 ** (16 - s) + brq, br - brq * d, d, mode, rng)
}

/** BigInt round(x · m / 2^s) for any integer x, m >= 0 and s >= 0. */
export function mulShiftRoundBig(x: bigint, m: bigint, s: number, mode: RoundingMode, rng?: UniformSource): bigint {
  return roundDivBig(x * m, 1n << BigInt(s), mode, rng)
}

/**
 * A multiplier prepared for `roundSplit`: the 16-bit halves of m and the powers of two of the shift
 * (the product x·m is split as t·2^16 + br so that every partial value is an exact double),
 * computed once per layer so that the per-value path has no Math.pow. `fast` is false where
 * `roundSplit` does not apply (s < 16 or s > 52): callers then use `mulShiftRound`/BigInt.
 */
export interface SplitMultiplier {
  readonly mh: number
  readonly ml: number
  readonly d: number
  readonly invD: number
  readonly twoS: number
  readonly fast: boolean
}

export function splitMultiplier(q: { multiplier: number; shift: number }): SplitMultiplier {
  const s = 31 - q.shift
  const mh = Math.floor(q.multiplier / TWO16)
  const fast = s >= 16 && s <= 52
  return { mh, ml: q.multiplier - mh * TWO16, d: fast ? 2 ** (s - 16) : 1, invD: fast ? 2 ** (16 - s) : 1, twoS: fast ? 2 ** s : 1, fast }
}

/** round(x · m / 2^s) for |x| < 2^32 with a prepared multiplier (`fast` must be true): mulShiftRound's s ≥ 16 branch. */
export function roundSplit(x: number, p: SplitMultiplier, mode: RoundingMode, rng?: UniformSource): number {
  const a = x * p.mh // |a| < 2^47
  const b = x * p.ml // |b| < 2^48
  const bq = Math.floor(b / TWO16)
  const t = a + bq // exact product = t·2^16 + (b − bq·2^16)
  const q = Math.floor(t * p.invD) // exact: multiplying by a power of two, then floor
  const r = (t - q * p.d) * TWO16 + (b - bq * TWO16) // remainder of the full product, in [0, 2^s), exact for s <= 52
  return roundFromFloor(q, r, p.twoS, mode, rng)
}
