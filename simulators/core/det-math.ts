/**
 * Deterministic elementary functions. JavaScript's Math.exp/log/cos are allowed to differ between
 * engines and versions; + − × ÷ and sqrt are correctly rounded IEEE-754 operations everywhere. These
 * versions use only those, so the same inputs give the same bits in Node, a worker, Chromium or the
 * CLI — which is what makes a run reproducible from its seed. Accuracy: within a few ulp of the true
 * value (tests compare with Math.exp/log to 1e-14 relative).
 */

const LN2_HI = 6.93147180369123816490e-1 // fdlibm's split of ln 2: LN2_HI has trailing zero bits,
const LN2_LO = 1.90821492927058770002e-10 // so k·LN2_HI is exact for |k| < 2^11
const INV_LN2 = 1.44269504088896338700

/** 2^k for integer k in [−1074, 1023], by exact repeated squaring. */
export function pow2(k: number): number {
  let result = 1
  let base = k < 0 ? 0.5 : 2
  let e = Math.abs(k)
  // split huge exponents so no intermediate underflows before the end
  while (e > 0) {
    if (e & 1) result *= base
    base *= base
    e >>>= 1
  }
  return result
}

/** e^x, deterministic. */
export function detExp(x: number): number {
  if (Number.isNaN(x)) return NaN
  if (x > 709.782712893384) return Infinity
  if (x < -745.1332191019412) return 0
  const k = Math.floor(x * INV_LN2 + 0.5)
  const r = x - k * LN2_HI - k * LN2_LO // |r| <= ln2/2 + tiny
  // Taylor series of e^r to degree 17: the last term is below 2^−60 for |r| <= 0.35
  let term = 1
  let sum = 1
  for (let i = 1; i <= 17; i++) {
    term = (term * r) / i
    sum += term
  }
  // apply 2^k in two halves to avoid overflow/underflow of pow2 at the extremes
  const k1 = Math.trunc(k / 2)
  return sum * pow2(k1) * pow2(k - k1)
}

/** ln x, deterministic, for x > 0 (ln 0 = −Infinity, negative → NaN). */
export function detLog(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN
  if (x === 0) return -Infinity
  if (x === Infinity) return Infinity
  // x = m · 2^e with m in [sqrt(1/2), sqrt(2)), by exact scaling
  let m = x
  let e = 0
  while (m >= 1.4142135623730951) { m *= 0.5; e++ }
  while (m < 0.7071067811865476) { m *= 2; e-- }
  // ln m = 2·atanh(s), s = (m−1)/(m+1), |s| <= 0.1716: the series converges fast
  const s = (m - 1) / (m + 1)
  const s2 = s * s
  let term = s
  let sum = s
  for (let i = 3; i <= 41; i += 2) {
    term *= s2
    sum += term / i
  }
  return e * LN2_HI + (e * LN2_LO + 2 * sum)
}

/**
 * Inverse of the standard normal CDF, p in (0, 1): Acklam's rational approximation (relative error
 * below 1.15e−9), with its tails through the deterministic detLog.
 */
// Acklam's coefficients, once per module: as array literals inside the function they were four new arrays
// per draw, about 11 MB per zo-spsa step on cnn-mnist (issue 12: a training step allocates nothing).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239] as const
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const

export function normalQuantile(p: number): number {
  const a = A, b = B, c = C, d = D
  const pLow = 0.02425
  if (p < pLow) {
    const q = Math.sqrt(-2 * detLog(p))
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  }
  if (p > 1 - pLow) {
    const q = Math.sqrt(-2 * detLog(1 - p))
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  }
  const q = p - 0.5
  const r = q * q
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
}
