import { describe, expect, test } from 'vitest'
import fc from 'fast-check'
import { classCounts, makeDataset } from './dataset'
import { fewShot, shuffle, trainTestSplit } from './splits'

/** Unbalanced labels (class c has 10 + 7c images), scattered in a fixed pseudo-random order. */
function unbalanced(classes = 5) {
  const labels: number[] = []
  for (let c = 0; c < classes; c++) for (let k = 0; k < 10 + 7 * c; k++) labels.push(c)
  const order = shuffle(labels.map((_, i) => i), 99)
  const scrambled = Uint8Array.from(order, (i) => labels[i])
  return makeDataset('unbalanced', new Float32Array(scrambled.length), scrambled, [1, 1, 1], classes)
}

const sortedCopy = (a: ArrayLike<number>) => Array.from(a).sort((x, y) => x - y)

describe('shuffle', () => {
  test('is a permutation, reproducible per (seed, epoch), different across epochs and seeds', () => {
    const idx = Array.from({ length: 100 }, (_, i) => i)
    const a = shuffle(idx, 5, 0)
    expect(sortedCopy(a)).toEqual(idx)
    expect([...shuffle(idx, 5, 0)]).toEqual([...a])
    expect([...shuffle(idx, 5, 1)]).not.toEqual([...a])
    expect([...shuffle(idx, 6, 0)]).not.toEqual([...a])
    expect(idx[0]).toBe(0) // input untouched
  })

  test('property: any index list is permuted, never changed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 200 }), fc.nat(), fc.nat(1000), (idx, seed, epoch) => {
        expect(sortedCopy(shuffle(idx, seed, epoch))).toEqual(sortedCopy(idx))
      }),
    )
  })

  test('every position is roughly uniform (first element over 4000 epochs)', () => {
    const hits = new Array(8).fill(0)
    for (let e = 0; e < 4000; e++) hits[shuffle([0, 1, 2, 3, 4, 5, 6, 7], 1, e)[0]]++
    for (const h of hits) expect(Math.abs(h - 500)).toBeLessThan(100) // > 4.5 σ
  })
})

describe('trainTestSplit', () => {
  test('stratified, disjoint, covering, ascending, reproducible', () => {
    const ds = unbalanced()
    const { train, test: held } = trainTestSplit(ds, 0.25, 3)
    expect(sortedCopy([...train, ...held])).toEqual(Array.from({ length: ds.count }, (_, i) => i))
    expect(new Set([...train, ...held]).size).toBe(ds.count)
    expect([...held]).toEqual(sortedCopy(held))
    const all = classCounts(ds)
    expect(classCounts(ds, held)).toEqual(all.map((n) => Math.round(n * 0.25)))
    const again = trainTestSplit(ds, 0.25, 3)
    expect([...again.test]).toEqual([...held])
    expect([...trainTestSplit(ds, 0.25, 4).test]).not.toEqual([...held])
  })

  test('edge fractions', () => {
    const ds = unbalanced()
    expect(trainTestSplit(ds, 0, 1).test.length).toBe(0)
    expect(trainTestSplit(ds, 1, 1).train.length).toBe(0)
    expect(() => trainTestSplit(ds, 1.5, 1)).toThrow(RangeError)
  })
})

describe('fewShot', () => {
  test('exactly k support images per selected class; query is the disjoint rest of those classes', () => {
    const ds = unbalanced()
    const { support, query, classes } = fewShot(ds, { shots: 5, classes: [3, 1], seed: 8 })
    expect(classes).toEqual([3, 1])
    expect(classCounts(ds, support)).toEqual([0, 5, 0, 5, 0])
    const all = classCounts(ds)
    expect(classCounts(ds, query)).toEqual([0, all[1] - 5, 0, all[3] - 5, 0])
    const s = new Set(support)
    for (const q of query) expect(s.has(q)).toBe(false)
  })

  test('all classes by default, query limit, reproducible, seed-dependent', () => {
    const ds = unbalanced()
    const a = fewShot(ds, { shots: 3, seed: 1, queries: 4 })
    expect(classCounts(ds, a.support)).toEqual([3, 3, 3, 3, 3])
    expect(classCounts(ds, a.query)).toEqual([4, 4, 4, 4, 4])
    expect([...fewShot(ds, { shots: 3, seed: 1, queries: 4 }).support]).toEqual([...a.support])
    expect([...fewShot(ds, { shots: 3, seed: 2, queries: 4 }).support]).not.toEqual([...a.support])
  })

  test('rejects impossible requests', () => {
    const ds = unbalanced()
    expect(() => fewShot(ds, { shots: 11, seed: 1 })).toThrow(/fewer than 11/)
    expect(() => fewShot(ds, { shots: 1, classes: [9], seed: 1 })).toThrow(RangeError)
    expect(() => fewShot(ds, { shots: 1, classes: [1, 1], seed: 1 })).toThrow(RangeError)
  })
})
