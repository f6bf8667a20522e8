/**
 * Integer number formats of the simulated accelerator: signed or unsigned, 2 to 32 bits, for weights,
 * activations and gradients. A format only states a value range; the storage that holds the values is
 * chosen by `storageFor` so that every value is represented exactly (see tensor.ts).
 */

export interface IntFormat {
  readonly bits: number
  readonly signed: boolean
}

export const MIN_INT_BITS = 2
export const MAX_INT_BITS = 32

/** Builds a format, rejecting widths outside 2..32 bits with a message that names the field. */
export function intFormat(bits: number, signed: boolean, field = 'format'): IntFormat {
  if (!Number.isInteger(bits) || bits < MIN_INT_BITS || bits > MAX_INT_BITS) {
    throw new RangeError(`${field}.bits must be an integer from ${MIN_INT_BITS} to ${MAX_INT_BITS}, got ${bits}`)
  }
  return { bits, signed }
}

/** Smallest representable value: −2^(b−1) for signed, 0 for unsigned. */
export function minValue(f: IntFormat): number {
  return f.signed ? -(2 ** (f.bits - 1)) : 0
}

/** Largest representable value: 2^(b−1)−1 for signed, 2^b−1 for unsigned. */
export function maxValue(f: IntFormat): number {
  return f.signed ? 2 ** (f.bits - 1) - 1 : 2 ** f.bits - 1
}

/** Largest magnitude a value of the format can have (used for exactness bounds). */
export function maxMagnitude(f: IntFormat): number {
  return Math.max(-minValue(f), maxValue(f))
}

/** Bytes that `count` values occupy when packed at the format's width (int4 packs two per byte). */
export function packedBytes(f: IntFormat, count: number): number {
  return Math.ceil((count * f.bits) / 8)
}

/** True when the format's range fits a JS Int32Array (everything except uint32). */
export function fitsInt32(f: IntFormat): boolean {
  return f.signed || f.bits <= 31
}

/** Clamps an integer into the format's range. */
export function saturate(v: number, f: IntFormat): number {
  const lo = minValue(f)
  const hi = maxValue(f)
  return v < lo ? lo : v > hi ? hi : v
}

/**
 * Two's-complement wrap of an integer into `bits` bits (signed or unsigned), exact for |v| < 2^53.
 * `bits` may be anything from 2 to 53 here; wider wraps live in accumulator.ts (BigInt).
 */
export function wrapBits(v: number, bits: number, signed: boolean): number {
  const m = 2 ** bits
  const off = signed ? 2 ** (bits - 1) : 0
  const shifted = v + off
  // floor division by a power of two is exact in binary floating point
  return shifted - Math.floor(shifted / m) * m - off
}
