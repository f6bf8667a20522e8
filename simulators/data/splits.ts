/**
 * Deterministic splits and orders, all driven by Philox so that a run is reproducible from its seed in
 * every runtime. Index sets are Int32Array, ascending unless stated (the training loop shuffles per epoch
 * with `shuffle`, so split order carries no information).
 */
import { uniformAt, type Address } from '../core/rng'
import { indicesByClass, type Dataset } from './dataset'

/** Philox tensor ids: one per purpose, so the same seed gives independent draws for each. */
export const SHUFFLE_TENSOR = 0x5711_0001
export const SPLIT_TENSOR = 0x5711_0002
export const FEW_SHOT_TENSOR = 0x5711_0003

/**
 * In-place Fisher–Yates on `a` with draws from `address`: position i (from the end) swaps with
 * ⌊u_i·(i+1)⌋. u has 53 bits, so the bias against any permutation is below 2^−30 for n < 2^23.
 */
function fisherYates(a: Int32Array, address: Address): Int32Array {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(uniformAt(address, i) * (i + 1))
    const t = a[i]
    a[i] = a[j]
    a[j] = t
  }
  return a
}

/** A shuffled copy of `indices` for the given epoch: epoch e of seed s is always the same permutation. */
export function shuffle(indices: ArrayLike<number>, seed: number, epoch = 0): Int32Array {
  return fisherYates(Int32Array.from(indices), { seed, step: epoch, tensor: SHUFFLE_TENSOR })
}

function sortedConcat(parts: Int32Array[]): Int32Array {
  const total = parts.reduce((n, p) => n + p.length, 0)
  const out = new Int32Array(total)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out.sort()
}

/**
 * Stratified split: each class sends round(n_c · testFraction) of its images (a seeded random choice)
 * to the test set, so both sides keep the class proportions. Ascending, disjoint, covering.
 */
export function trainTestSplit(ds: Dataset, testFraction: number, seed: number): { train: Int32Array; test: Int32Array } {
  if (!(testFraction >= 0 && testFraction <= 1)) throw new RangeError(`testFraction must be in [0, 1], got ${testFraction}`)
  const train: Int32Array[] = []
  const test: Int32Array[] = []
  indicesByClass(ds).forEach((members, c) => {
    const shuffled = fisherYates(members, { seed, step: c, tensor: SPLIT_TENSOR })
    const nTest = Math.round(members.length * testFraction)
    test.push(shuffled.subarray(0, nTest))
    train.push(shuffled.subarray(nTest))
  })
  return { train: sortedConcat(train), test: sortedConcat(test) }
}

export interface FewShotOptions {
  /** support images per class */
  shots: number
  /** the classes taking part (e.g. held-out ones); default all */
  classes?: number[]
  seed: number
  /** query images per class; default all the remaining ones */
  queries?: number
}

/**
 * Few-shot episode: for each selected class, a seeded choice of exactly `shots` support images, and
 * query images from the rest of that class. Labels stay the dataset's own (no remapping).
 */
export function fewShot(ds: Dataset, options: FewShotOptions): { support: Int32Array; query: Int32Array; classes: number[] } {
  const { shots, seed, queries } = options
  const classes = options.classes ?? Array.from({ length: ds.classes }, (_, c) => c)
  if (!Number.isInteger(shots) || shots < 0) throw new RangeError(`shots must be a non-negative integer, got ${shots}`)
  if (new Set(classes).size !== classes.length) throw new RangeError('fewShot: classes must be distinct')
  const byClass = indicesByClass(ds)
  const support: Int32Array[] = []
  const query: Int32Array[] = []
  for (const c of classes) {
    if (!Number.isInteger(c) || c < 0 || c >= ds.classes) throw new RangeError(`class ${c} out of [0, ${ds.classes})`)
    const members = byClass[c]
    if (members.length < shots) throw new RangeError(`class ${c} has ${members.length} images, fewer than ${shots} shots`)
    const shuffled = fisherYates(members, { seed, step: c, tensor: FEW_SHOT_TENSOR })
    support.push(shuffled.subarray(0, shots))
    const rest = shuffled.subarray(shots)
    query.push(queries === undefined ? rest : rest.subarray(0, Math.min(queries, rest.length)))
  }
  return { support: sortedConcat(support), query: sortedConcat(query), classes: [...classes] }
}
