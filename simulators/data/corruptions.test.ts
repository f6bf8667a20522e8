import { describe, expect, test } from 'vitest'
import { uniformAt } from '../core/rng'
import { imageAt, makeDataset } from './dataset'
import { CORRUPTIONS, corruptDataset, getCorruption, rotateImage } from './corruptions'
import type { Shape } from './image-ops'
import { syntheticDataset } from './synthetic'

const ds28 = syntheticDataset({ seed: 5, perClass: 4, size: 28 }) // 40 MNIST-sized images
const ds12 = syntheticDataset({ seed: 5, perClass: 2, size: 12 })
const addr = (seed: number, step = 0, tensor = 1) => ({ seed, step, tensor })
const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)

/** Extreme and odd inputs: black, white, uniform noise, a half-bright image; 28×28×1 and 9×13×3. */
function oddImages(): [Float32Array, Shape][] {
  const shape: Shape = [28, 28, 1]
  const noise = new Float32Array(784).map((_, i) => uniformAt(addr(1), i))
  const rgb = new Float32Array(9 * 13 * 3).map((_, i) => uniformAt(addr(2), i))
  return [[new Float32Array(784), shape], [new Float32Array(784).fill(1), shape], [noise, shape], [new Float32Array(784).fill(0.5), shape], [rgb, [9, 13, 3]]]
}

const meanAbsChange = (id: string, severity: number, ds = ds28) => {
  const c = getCorruption(id)
  let sum = 0
  for (let i = 0; i < ds.count; i++) {
    const img = imageAt(ds, i)
    const out = c.apply(img, ds.shape, severity, addr(77, i, c.tensor))
    for (let j = 0; j < img.length; j++) sum += Math.abs(out[j] - img[j])
  }
  return sum / ds.images.length
}

describe('corruption registry', () => {
  test('at least 15 corruptions, unique ids and tensors, each described', () => {
    expect(CORRUPTIONS.size).toBeGreaterThanOrEqual(15)
    const tensors = new Set([...CORRUPTIONS.values()].map((c) => c.tensor))
    expect(tensors.size).toBe(CORRUPTIONS.size)
    for (const [id, c] of CORRUPTIONS) {
      expect(c.id).toBe(id)
      expect(c.description.length).toBeGreaterThan(5)
      expect(c.severity.length).toBeGreaterThan(5)
    }
    expect(() => getCorruption('nope')).toThrow(/unknown corruption/)
  })
})

describe.each([...CORRUPTIONS.keys()])('%s', (id) => {
  const c = getCorruption(id)

  test('deterministic: same address → identical bits; other seed → different iff random', () => {
    for (const s of [1, 3, 5]) {
      for (let i = 0; i < 5; i++) {
        const img = imageAt(ds28, i)
        const a = c.apply(img, ds28.shape, s, addr(10, i, c.tensor))
        const b = c.apply(img, ds28.shape, s, addr(10, i, c.tensor))
        expect(bits(a).equals(bits(b))).toBe(true)
      }
      // over several images, a random corruption must differ somewhere for another seed
      let differs = false
      for (let i = 0; i < 5; i++) {
        const img = imageAt(ds28, i)
        const a = c.apply(img, ds28.shape, s, addr(10, i, c.tensor))
        const b = c.apply(img, ds28.shape, s, addr(11, i, c.tensor))
        differs ||= !bits(a).equals(bits(b))
      }
      expect(differs).toBe(c.random)
    }
  })

  test('output stays in [0, 1], has the input size, input untouched (incl. 3 channels, non-square)', () => {
    for (const [img, shape] of oddImages()) {
      const before = img.slice()
      for (let s = 1; s <= 5; s++) {
        const out = c.apply(img, shape, s, addr(3, s, c.tensor))
        expect(out.length).toBe(img.length)
        expect(out.every((v) => v >= 0 && v <= 1)).toBe(true)
      }
      expect(bits(img).equals(bits(before))).toBe(true)
    }
  })

  test('the change grows with severity (mean |corrupted − clean| over 40 images, 28×28)', () => {
    const changes = [1, 2, 3, 4, 5].map((s) => meanAbsChange(id, s))
    for (let s = 1; s < 5; s++) expect(changes[s]).toBeGreaterThan(changes[s - 1])
    expect(changes[0]).toBeGreaterThan(0)
  })

  test('rejects bad severities and sizes', () => {
    const img = imageAt(ds12, 0)
    expect(() => c.apply(img, ds12.shape, 0, addr(1))).toThrow(RangeError)
    expect(() => c.apply(img, ds12.shape, 6, addr(1))).toThrow(RangeError)
    expect(() => c.apply(img, [12, 11, 1], 1, addr(1))).toThrow(RangeError)
  })
})

describe('specific corruptions', () => {
  test('rotation by 0 is the identity, bit for bit; by 2π nearly', () => {
    for (const [img, shape] of oddImages()) {
      expect(bits(rotateImage(img, shape, 0)).equals(bits(img))).toBe(true)
      const full = rotateImage(img, shape, 2 * Math.PI)
      for (let i = 0; i < img.length; i++) expect(Math.abs(full[i] - img[i])).toBeLessThan(1e-5)
    }
  })

  test('rotation by π/2 of a square image moves pixels exactly', () => {
    const img = imageAt(ds12, 3)
    const out = rotateImage(img, [12, 12, 1], Math.PI / 2)
    // a quarter turn with y down: output (x, y) reads input (y, 11 − x)
    for (let y = 0; y < 12; y++) for (let x = 0; x < 12; x++) expect(out[y * 12 + x]).toBeCloseTo(img[(11 - x) * 12 + y], 6)
  })

  test('inverse at severity 5 twice is the identity (exact on 8-bit values, within an ulp otherwise)', () => {
    const inv = getCorruption('inverse')
    const bytes = new Float32Array(784).map((_, i) => (i % 256) / 256)
    const twice = inv.apply(inv.apply(bytes, [28, 28, 1], 5, addr(0)), [28, 28, 1], 5, addr(0))
    expect(bits(twice).equals(bits(bytes))).toBe(true)
    const img = imageAt(ds28, 0)
    const again = inv.apply(inv.apply(img, ds28.shape, 5, addr(0)), ds28.shape, 5, addr(0))
    for (let i = 0; i < img.length; i++) expect(Math.abs(again[i] - img[i])).toBeLessThanOrEqual(2 ** -24)
  })

  test('stripe at severity 4 on 28 columns inverts exactly MNIST-C\'s 7 outer columns per side', () => {
    const img = imageAt(ds28, 1)
    const out = getCorruption('stripe').apply(img, ds28.shape, 4, addr(0))
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const v = img[y * 28 + x]
        expect(out[y * 28 + x]).toBeCloseTo(x < 7 || x >= 21 ? 1 - v : v, 6)
      }
    }
  })

  test('translate at severity 1 on 28×28 shifts by exactly one pixel per axis, zero filled', () => {
    const img = imageAt(ds28, 2)
    const out = getCorruption('translate').apply(img, ds28.shape, 1, addr(4, 0, 9))
    // find the signs it chose: one of four integer shifts must match exactly
    const matches = [-1, 1].flatMap((sx) => [-1, 1].map((sy) => {
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++) {
          const ys = y - sy
          const xs = x - sx
          const expected = ys < 0 || ys >= 28 || xs < 0 || xs >= 28 ? 0 : img[ys * 28 + xs]
          if (out[y * 28 + x] !== expected) return false
        }
      }
      return true
    }))
    expect(matches.filter(Boolean).length).toBe(1)
  })

  test('brightness and contrast follow their formulas', () => {
    const img = imageAt(ds28, 0)
    const b = getCorruption('brightness').apply(img, ds28.shape, 2, addr(0))
    for (let i = 0; i < img.length; i++) expect(b[i]).toBeCloseTo(Math.min(1, img[i] + 0.2), 6)
    const mean = img.reduce((s, v) => s + v, 0) / img.length
    const c = getCorruption('contrast').apply(img, ds28.shape, 1, addr(0))
    for (let i = 0; i < img.length; i++) expect(c[i]).toBeCloseTo((img[i] - mean) * 0.4 + mean, 6)
  })

  test('impulse noise only ever sets pixels to 0 or 1, at about the stated rate', () => {
    const img = new Float32Array(28 * 28 * 50).fill(0.5)
    const out = getCorruption('impulse_noise').apply(img, [28 * 50, 28, 1], 5, addr(6))
    let changed = 0
    for (const v of out) if (v !== 0.5) changed++
    expect(out.every((v) => v === 0 || v === 0.5 || v === 1)).toBe(true)
    expect(Math.abs(changed / out.length - 0.27)).toBeLessThan(0.02)
  })

  test('shot noise is unbiased: mean of Poisson(x·c)/c ≈ x', () => {
    const img = new Float32Array(40000).fill(0.3)
    const out = getCorruption('shot_noise').apply(img, [200, 200, 1], 4, addr(8))
    const mean = out.reduce((s, v) => s + v, 0) / out.length
    expect(Math.abs(mean - 0.3)).toBeLessThan(0.01)
  })

  test('geometric corruptions move all channels alike', () => {
    const grey = imageAt(ds12, 4)
    const rgb = new Float32Array(grey.length * 3).map((_, i) => grey[Math.floor(i / 3)])
    for (const id of ['rotate', 'shear', 'scale', 'translate', 'motion_blur', 'glass_blur', 'gaussian_blur', 'zigzag']) {
      const c = getCorruption(id)
      const g = c.apply(grey, [12, 12, 1], 3, addr(1, 0, c.tensor))
      const m = c.apply(rgb, [12, 12, 3], 3, addr(1, 0, c.tensor))
      for (let i = 0; i < g.length; i++) for (let ch = 0; ch < 3; ch++) expect(m[i * 3 + ch]).toBe(g[i])
    }
  })
})

describe('corruptDataset', () => {
  test('image i uses address {seed, step: i, tensor}; labels and shape kept; reproducible', () => {
    const c = getCorruption('gaussian_noise')
    const out = corruptDataset(ds12, 'gaussian_noise', 3, 21)
    expect(out.name).toBe(`${ds12.name}/gaussian_noise-3`)
    expect([...out.labels]).toEqual([...ds12.labels])
    expect(out.shape).toEqual(ds12.shape)
    for (const i of [0, 7, ds12.count - 1]) {
      const expected = c.apply(imageAt(ds12, i), ds12.shape, 3, { seed: 21, step: i, tensor: c.tensor })
      expect(bits(imageAt(out, i)).equals(bits(expected))).toBe(true)
    }
    expect(bits(corruptDataset(ds12, 'gaussian_noise', 3, 21).images).equals(bits(out.images))).toBe(true)
    // two images with identical pixels get different noise (different steps)
    const twin = makeDataset('twin', new Float32Array(288).fill(0.5), Uint8Array.from([0, 0]), [12, 12, 1], 1)
    const noisy = corruptDataset(twin, 'gaussian_noise', 1, 1)
    expect(bits(imageAt(noisy, 0)).equals(bits(imageAt(noisy, 1)))).toBe(false)
    expect(() => corruptDataset(ds12, 'gaussian_noise', 7, 1)).toThrow(RangeError)
  })
})
