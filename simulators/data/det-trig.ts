/**
 * Deterministic sine and cosine for the rotation corruption (and any other angle the data side needs).
 * Math.sin/cos may differ between JavaScript engines and versions; these use only + − × ÷, which are
 * correctly rounded everywhere, so a rotated image has the same bits in Node, a worker and Chromium.
 *
 * Method: reduce x by multiples of π/2 with a three-part Cody–Waite split of π/2 (each part has trailing
 * zero bits, so k·part is exact for |k| < 2^20), then a Taylor series on |r| ≤ π/4 (+ tiny). Accurate to a
 * few ulp for |x| up to about 1e5, far beyond any angle used here; larger |x| is rejected rather than
 * silently inaccurate.
 */

// π/2 = PIO2_1 + PIO2_2 + PIO2_3 (fdlibm's 33+33+53-bit split)
const PIO2_1 = 1.57079632673412561417e+00
const PIO2_2 = 6.07710050630396597660e-11
const PIO2_3 = 2.02226624879595063154e-21
const TWO_OVER_PI = 6.36619772367581382433e-01
const MAX_ARG = 1e5

/** sin r for |r| ≤ π/4 + ε: Taylor series to r^27 (the next term is below 1e-30 there). */
function sinKernel(r: number): number {
  const r2 = r * r
  let term = r
  let sum = r
  for (let n = 3; n <= 27; n += 2) {
    term = (-term * r2) / ((n - 1) * n)
    sum += term
  }
  return sum
}

/** cos r for |r| ≤ π/4 + ε: Taylor series to r^26. */
function cosKernel(r: number): number {
  const r2 = r * r
  let term = 1
  let sum = 1
  for (let n = 2; n <= 26; n += 2) {
    term = (-term * r2) / ((n - 1) * n)
    sum += term
  }
  return sum
}

/** x = k·π/2 + r with |r| ≤ π/4 (+ rounding); returns [k mod 4, r]. */
function reduce(x: number): [number, number] {
  if (!(Math.abs(x) <= MAX_ARG)) throw new RangeError(`detSin/detCos: |x| must be ≤ ${MAX_ARG}, got ${x}`)
  const k = Math.round(x * TWO_OVER_PI)
  const r = x - k * PIO2_1 - k * PIO2_2 - k * PIO2_3
  return [((k % 4) + 4) % 4, r]
}

export function detSin(x: number): number {
  const [q, r] = reduce(x)
  switch (q) {
    case 0: return sinKernel(r)
    case 1: return cosKernel(r)
    case 2: return -sinKernel(r)
    default: return -cosKernel(r)
  }
}

export function detCos(x: number): number {
  const [q, r] = reduce(x)
  switch (q) {
    case 0: return cosKernel(r)
    case 1: return -sinKernel(r)
    case 2: return -cosKernel(r)
    default: return sinKernel(r)
  }
}
