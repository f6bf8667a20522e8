/**
 * Counter-based random numbers: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as
 * 1, 2, 3", SC'11), checked against the Random123 known-answer vectors. Every draw is a pure function
 * of its address (seed, step, tensor, index), so a weight perturbation z can be regenerated from its
 * seed instead of stored — the property zeroth-order training relies on for its memory advantage.
 *
 * Address → block: key = (seed mod 2^32, ⌊seed / 2^32⌋), counter = (index mod 2^32, ⌊index / 2^32⌋,
 * tensor, step). Per-element draws use block `index` (word 0, or words 0–1 for 53-bit uniforms).
 * `stream(...)` instead reads the four words of consecutive blocks in order, for consumers that take
 * values one after another (stochastic rounding).
 * Only 32-bit integer operations and exact double arithmetic are used: identical in every runtime.
 */
import { normalQuantile } from './det-math'
import type { UniformSource } from './rounding'

const M0 = 0xd2511f53
const M1 = 0xcd9e8d57
const W0 = 0x9e3779b9
const W1 = 0xbb67ae85
const TWO32 = 4294967296

/** High 32 bits of the 64-bit product of two uint32 values, exact via 16-bit splitting. */
function mulhi(a: number, b: number): number {
  const bl = b & 0xffff
  const bh = b >>> 16
  const t = a * bl // < 2^48
  const u = a * bh // < 2^48
  return Math.floor((u + Math.floor(t / 65536)) / 65536) >>> 0
}

/** One Philox4x32-10 block. Writes 4 uint32 words into `out` (allocates nothing). */
export function philox4x32(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 = (k0 + W0) >>> 0
      k1 = (k1 + W1) >>> 0
    }
    const hi0 = mulhi(M0, c0)
    const lo0 = Math.imul(M0, c0) >>> 0
    const hi1 = mulhi(M1, c2)
    const lo1 = Math.imul(M1, c2) >>> 0
    c0 = (hi1 ^ c1 ^ k0) >>> 0
    c1 = lo1
    c2 = (hi0 ^ c3 ^ k1) >>> 0
    c3 = lo0
  }
  out[0] = c0
  out[1] = c1
  out[2] = c2
  out[3] = c3
}

export interface Address {
  /** experiment seed, an integer in [0, 2^53) */
  readonly seed: number
  /** training step (or any outer counter), an integer in [0, 2^32) */
  readonly step: number
  /** which tensor / purpose, an integer in [0, 2^32) */
  readonly tensor: number
}

function checkAddress(a: Address): void {
  if (!Number.isSafeInteger(a.seed) || a.seed < 0) throw new RangeError(`seed must be an integer in [0, 2^53), got ${a.seed}`)
  if (!Number.isInteger(a.step) || a.step < 0 || a.step >= TWO32) throw new RangeError(`step must be an integer in [0, 2^32), got ${a.step}`)
  if (!Number.isInteger(a.tensor) || a.tensor < 0 || a.tensor >= TWO32) throw new RangeError(`tensor must be an integer in [0, 2^32), got ${a.tensor}`)
}

const block = new Uint32Array(4)

function blockAt(a: Address, index: number): Uint32Array {
  philox4x32(index >>> 0, Math.floor(index / TWO32) >>> 0, a.tensor >>> 0, a.step >>> 0, a.seed >>> 0, Math.floor(a.seed / TWO32) >>> 0, block)
  return block
}

/** A uint32 draw, the first word of block `index`. */
export function uint32At(a: Address, index: number): number {
  return blockAt(a, index)[0]
}

/** A uniform draw in the open interval (0, 1) with 53 bits, from words 0 and 1 of block `index`. */
export function uniformAt(a: Address, index: number): number {
  const b = blockAt(a, index)
  return ((b[0] >>> 0) * 2097152 + (b[1] >>> 11) + 0.5) / 9007199254740992
}

/** A standard normal draw (inverse-CDF method, deterministic). */
export function gaussianAt(a: Address, index: number): number {
  return normalQuantile(uniformAt(a, index))
}

/** ±1 with equal probability (top bit of word 0). */
export function rademacherAt(a: Address, index: number): number {
  return blockAt(a, index)[0] >= 0x80000000 ? 1 : -1
}

export type Distribution = 'uniform' | 'gaussian' | 'rademacher'

/** Fills `out` with draws for indices first, first+1, …; no allocation. */
export function fill(a: Address, dist: Distribution, out: Float64Array, first = 0): Float64Array {
  checkAddress(a)
  const f = dist === 'uniform' ? uniformAt : dist === 'gaussian' ? gaussianAt : rademacherAt
  for (let i = 0; i < out.length; i++) out[i] = f(a, first + i)
  return out
}

/** Sequential uint32 words from consecutive blocks at an address: a seeded UniformSource. */
export class PhiloxStream implements UniformSource {
  private readonly words = new Uint32Array(4)
  private pos: number
  private blockIndex: number

  constructor(private readonly address: Address, startWord = 0) {
    checkAddress(address)
    this.blockIndex = Math.floor(startWord / 4)
    this.pos = startWord % 4
    this.refill()
  }

  private refill(): void {
    const a = this.address
    philox4x32(this.blockIndex >>> 0, Math.floor(this.blockIndex / TWO32) >>> 0, a.tensor >>> 0, a.step >>> 0, a.seed >>> 0, Math.floor(a.seed / TWO32) >>> 0, this.words)
  }

  next(): number {
    if (this.pos === 4) {
      this.blockIndex++
      this.pos = 0
      this.refill()
    }
    return this.words[this.pos++]
  }
}

export function stream(a: Address, startWord = 0): PhiloxStream {
  return new PhiloxStream(a, startWord)
}
