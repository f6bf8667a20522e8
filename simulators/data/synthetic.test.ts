import { describe, expect, test } from 'vitest'
import { classCounts, imageAt, type Dataset } from './dataset'
import { trainTestSplit } from './splits'
import { PROTOTYPES, syntheticDataset } from './synthetic'

/** Accuracy of a nearest-class-mean classifier (plain float64) fitted on `train`, scored on `test`. */
function nearestMeanAccuracy(ds: Dataset, train: ArrayLike<number>, test: ArrayLike<number>): number {
  const n = ds.shape[0] * ds.shape[1] * ds.shape[2]
  const means = Array.from({ length: ds.classes }, () => new Float64Array(n))
  const counts = classCounts(ds, train)
  for (let k = 0; k < train.length; k++) {
    const img = imageAt(ds, train[k])
    const m = means[ds.labels[train[k]]]
    for (let j = 0; j < n; j++) m[j] += img[j] / counts[ds.labels[train[k]]]
  }
  let correct = 0
  for (let k = 0; k < test.length; k++) {
    const img = imageAt(ds, test[k])
    let best = -1
    let bestD = Infinity
    means.forEach((m, c) => {
      let d = 0
      for (let j = 0; j < n; j++) d += (img[j] - m[j]) ** 2
      if (d < bestD) [best, bestD] = [c, d]
    })
    if (best === ds.labels[test[k]]) correct++
  }
  return correct / test.length
}

describe('synthetic dataset', () => {
  test('shape, interleaved labels, values in [0, 1]', () => {
    const ds = syntheticDataset({ seed: 1, perClass: 7 })
    expect(ds.shape).toEqual([12, 12, 1])
    expect(ds.count).toBe(70)
    expect(ds.classes).toBe(10)
    expect(ds.images.length).toBe(70 * 144)
    for (let i = 0; i < ds.count; i++) expect(ds.labels[i]).toBe(i % 10)
    expect(ds.images.every((v) => v >= 0 && v <= 1)).toBe(true)
    const big = syntheticDataset({ seed: 1, perClass: 2, size: 28, classes: PROTOTYPES.length })
    expect(big.shape).toEqual([28, 28, 1])
    expect(classCounts(big)).toEqual(new Array(PROTOTYPES.length).fill(2))
  })

  test('same seed gives identical bits, another seed differs', () => {
    const a = syntheticDataset({ seed: 42, perClass: 5 })
    const b = syntheticDataset({ seed: 42, perClass: 5 })
    const c = syntheticDataset({ seed: 43, perClass: 5 })
    expect(Buffer.from(a.images.buffer).equals(Buffer.from(b.images.buffer))).toBe(true)
    expect(Buffer.from(a.images.buffer).equals(Buffer.from(c.images.buffer))).toBe(false)
  })

  test('a larger set extends a smaller one: image i depends only on (seed, i)', () => {
    const small = syntheticDataset({ seed: 3, perClass: 2 })
    const large = syntheticDataset({ seed: 3, perClass: 5 })
    expect([...large.images.subarray(0, small.images.length)]).toEqual([...small.images])
  })

  test('learnable: nearest class mean > 90 % on a held-out part, at 12×12 and 28×28', () => {
    for (const size of [12, 28]) {
      const ds = syntheticDataset({ seed: 7, perClass: 60, size })
      const { train, test: held } = trainTestSplit(ds, 0.3, 11)
      expect(nearestMeanAccuracy(ds, train, held)).toBeGreaterThan(0.9)
    }
  })

  test('not trivial: classes overlap once the noise is large', () => {
    const ds = syntheticDataset({ seed: 7, perClass: 60, noise: 0.6 })
    const { train, test: held } = trainTestSplit(ds, 0.3, 11)
    expect(nearestMeanAccuracy(ds, train, held)).toBeLessThan(0.9)
  })
})
