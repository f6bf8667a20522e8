import { describe, expect, test } from 'vitest'
import { batch, batchLabels, classCounts, imageAt, imageSize, indicesByClass, makeDataset, subset } from './dataset'

/** 5 images of 2×2×1 whose pixels are 10·i + j / 10 (so copies are easy to recognise), labels 0,1,2,0,1. */
function tiny() {
  const images = new Float32Array(20)
  for (let i = 0; i < 5; i++) for (let j = 0; j < 4; j++) images[i * 4 + j] = (10 * i + j) / 100
  return makeDataset('tiny', images, Uint8Array.from([0, 1, 2, 0, 1]), [2, 2, 1], 3)
}

describe('Dataset helpers', () => {
  test('makeDataset checks sizes and labels', () => {
    expect(() => makeDataset('x', new Float32Array(7), new Uint8Array(2), [2, 2, 1], 2)).toThrow(RangeError)
    expect(() => makeDataset('x', new Float32Array(8), Uint8Array.from([0, 2]), [2, 2, 1], 2)).toThrow(RangeError)
    const ds = tiny()
    expect(ds.count).toBe(5)
    expect(imageSize(ds)).toBe(4)
  })

  test('imageAt is a view of one image', () => {
    const ds = tiny()
    expect([...imageAt(ds, 3)]).toEqual([...ds.images.subarray(12, 16)])
    expect(() => imageAt(ds, 5)).toThrow(RangeError)
  })

  test('subset copies the selected images and labels in order', () => {
    const ds = tiny()
    const s = subset(ds, [4, 0, 4])
    expect(s.count).toBe(3)
    expect([...s.labels]).toEqual([1, 0, 1])
    expect([...s.images.subarray(0, 4)]).toEqual([...imageAt(ds, 4)])
    expect([...s.images.subarray(4, 8)]).toEqual([...imageAt(ds, 0)])
    s.images[0] = 0.99
    expect(ds.images[16]).not.toBe(0.99)
  })

  test('batch fills a caller buffer without allocating, leaving extra room untouched', () => {
    const ds = tiny()
    const buf = new Float32Array(12).fill(-1)
    const out = batch(ds, [2, 1], buf)
    expect(out).toBe(buf)
    expect([...buf.subarray(0, 4)]).toEqual([...imageAt(ds, 2)])
    expect([...buf.subarray(4, 8)]).toEqual([...imageAt(ds, 1)])
    expect([...buf.subarray(8)]).toEqual([-1, -1, -1, -1])
    expect(() => batch(ds, [0, 1, 2, 3], buf)).toThrow(RangeError)
    expect(() => batch(ds, [7])).toThrow(RangeError)
    const labels = new Uint8Array(3)
    expect(batchLabels(ds, [2, 1], labels)).toBe(labels)
    expect([...labels]).toEqual([2, 1, 0])
  })

  test('classCounts and indicesByClass', () => {
    const ds = tiny()
    expect(classCounts(ds)).toEqual([2, 2, 1])
    expect(classCounts(ds, [0, 3, 3, 2])).toEqual([3, 0, 1])
    expect(indicesByClass(ds).map((a) => [...a])).toEqual([[0, 3], [1, 4], [2]])
  })
})
