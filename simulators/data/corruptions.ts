/**
 * Deterministic image corruptions in the spirit of MNIST-C (Mu & Gilmer 2019, arXiv:1906.02337), with
 * five severities as ImageNet-C (Hendrycks & Dietterich 2019). Where MNIST-C's code has per-severity
 * parameters we use them; spatial ones are given for 28×28 images and scaled by min(H, W)/28.
 *
 * Each corruption is pure: (image, shape, severity 1..5, address) → a new image in [0, 1]. Random ones
 * draw from Philox at `address`: indices 0–15 for per-image parameters (a sign, an angle), 16 + i for
 * element i (or for the i-th draw of a sequential procedure), so an image's corruption is a function of
 * its address only — corruptDataset uses {seed, step: image index, tensor: the corruption's own id}.
 * No Math.random, sin, cos, exp or log: the same bits in every runtime.
 */
import { detLog, detExp } from '../core/det-math'
import { gaussianAt, uniformAt, type Address } from '../core/rng'
import { makeDataset, imageSize, type Dataset } from './dataset'
import { detCos, detSin } from './det-trig'
import { clamp01, gaussianBlur, segmentDistance, warpAffine, type Shape } from './image-ops'

export type { Shape } from './image-ops'

export type CorruptionFn = (image: Float32Array, shape: Shape, severity: number, address: Address) => Float32Array

export interface Corruption {
  readonly id: string
  /** one line: what it does */
  readonly description: string
  /** what severity 1..5 controls */
  readonly severity: string
  /** whether the result depends on the address (false: a pure function of image and severity) */
  readonly random: boolean
  /** Philox tensor id used by corruptDataset */
  readonly tensor: number
  readonly apply: CorruptionFn
}

const P = 16 // first per-element draw index; 0..15 are per-image parameters

function checkSeverity(severity: number): void {
  if (!Number.isInteger(severity) || severity < 1 || severity > 5) throw new RangeError(`severity must be an integer in 1..5, got ${severity}`)
}

function level<T>(table: readonly T[], severity: number): T {
  checkSeverity(severity)
  return table[severity - 1]
}

/** Length of one MNIST pixel in this image's pixels. */
const unitOf = (shape: Shape): number => Math.min(shape[0], shape[1]) / 28

const sign = (a: Address, i: number): number => (uniformAt(a, i) < 0.5 ? -1 : 1)

function checkImage(image: Float32Array, shape: Shape): void {
  if (image.length !== shape[0] * shape[1] * shape[2]) throw new RangeError(`image has ${image.length} values, shape ${shape.join('×')} needs ${shape[0] * shape[1] * shape[2]}`)
}

function mapValues(image: Float32Array, f: (v: number, i: number) => number): Float32Array {
  const out = new Float32Array(image.length)
  for (let i = 0; i < image.length; i++) out[i] = clamp01(f(image[i], i))
  return out
}

/** Poisson(λ) by inversion of the CDF with one uniform u (λ ≤ 60 here, so e^−λ does not underflow). */
function poisson(lambda: number, u: number): number {
  if (lambda <= 0) return 0
  let p = detExp(-lambda)
  let cdf = p
  let k = 0
  const limit = lambda + 20 * Math.sqrt(lambda) + 30
  while (u > cdf && k < limit) {
    k++
    p = (p * lambda) / k
    cdf += p
  }
  return k
}

// --- noise ------------------------------------------------------------------------------------------------

const gaussianNoise: CorruptionFn = (image, _shape, s, a) => {
  const sigma = level([0.08, 0.12, 0.18, 0.26, 0.38], s)
  return mapValues(image, (v, i) => v + sigma * gaussianAt(a, P + i))
}

const shotNoise: CorruptionFn = (image, _shape, s, a) => {
  const c = level([60, 25, 12, 5, 3], s)
  return mapValues(image, (v, i) => poisson(v * c, uniformAt(a, P + i)) / c)
}

const impulseNoise: CorruptionFn = (image, _shape, s, a) => {
  const amount = level([0.03, 0.06, 0.09, 0.17, 0.27], s)
  return mapValues(image, (v, i) => {
    const u = uniformAt(a, P + i)
    return u < amount / 2 ? 0 : u < amount ? 1 : v
  })
}

const speckleNoise: CorruptionFn = (image, _shape, s, a) => {
  const c = level([0.15, 0.2, 0.35, 0.45, 0.6], s)
  return mapValues(image, (v, i) => v + v * c * gaussianAt(a, P + i))
}

// --- geometry -----------------------------------------------------------------------------------------------

/** Rotation of the image content by θ (radians, clockwise on screen since y points down) about its centre. */
export function rotateImage(image: Float32Array, shape: Shape, theta: number): Float32Array {
  const c = detCos(theta)
  const s = detSin(theta)
  // inverse map: rotate the output position by −θ
  return warpAffine(image, shape, [c, s, -s, c])
}

const rotate: CorruptionFn = (image, shape, s, a) => rotateImage(image, shape, sign(a, 0) * level([0.2, 0.4, 0.6, 0.8, 1.0], s))

const shear: CorruptionFn = (image, shape, s, a) => {
  // skimage's AffineTransform(shear=c) used as the inverse map, as MNIST-C: x_src = x − sin(c)·y, y_src = cos(c)·y
  const c = sign(a, 0) * level([0.2, 0.4, 0.6, 0.8, 1.0], s)
  return warpAffine(image, shape, [1, -detSin(c), 0, detCos(c)])
}

const scale: CorruptionFn = (image, shape, s) => {
  const f = level([0.9, 0.8, 0.7, 0.6, 0.5], s)
  return warpAffine(image, shape, [1 / f, 0, 0, 1 / f])
}

const translate: CorruptionFn = (image, shape, s, a) => {
  const d = level([1, 2, 3, 4, 5], s) * unitOf(shape)
  // content moves by (+d, +d) up to signs; the inverse map reads from p − shift
  return warpAffine(image, shape, [1, 0, 0, 1], [-sign(a, 0) * d, -sign(a, 1) * d])
}

// --- blur ---------------------------------------------------------------------------------------------------

const gaussianBlurC: CorruptionFn = (image, shape, s) => {
  const sigma = level([1, 2, 3, 4, 6], s) * unitOf(shape)
  const b = gaussianBlur(image, shape, sigma)
  return mapValues(image, (_v, i) => b[i])
}

const glassBlur: CorruptionFn = (image, shape, s, a) => {
  const [h, w, c] = shape
  const [sigma0, delta0, iterations] = level<[number, number, number]>([[0.7, 1, 2], [0.9, 2, 1], [1, 2, 3], [1.1, 3, 2], [1.5, 4, 2]], s)
  const u = unitOf(shape)
  const sigma = sigma0 * u
  const delta = Math.max(1, Math.round(delta0 * u))
  const x = gaussianBlur(image, shape, sigma)
  // MNIST-C's local shuffle: scan from the bottom-right, each pixel swaps (p = 1/2) with one at offset
  // in [−δ, δ) on each axis. Sequential, so the draws are indexed by (iteration, row, column).
  for (let it = 0; it < iterations; it++) {
    for (let y = h - delta; y > delta; y--) {
      for (let xx = w - delta; xx > delta; xx--) {
        const k = P + ((it * h + y) * w + xx) * 3
        if (uniformAt(a, k) >= 0.5) continue
        const dx = Math.floor(uniformAt(a, k + 1) * 2 * delta) - delta
        const dy = Math.floor(uniformAt(a, k + 2) * 2 * delta) - delta
        const y2 = y + dy
        const x2 = xx + dx
        for (let ch = 0; ch < c; ch++) {
          const i1 = (y * w + xx) * c + ch
          const i2 = (y2 * w + x2) * c + ch
          const t = x[i1]
          x[i1] = x[i2]
          x[i2] = t
        }
      }
    }
  }
  const b = gaussianBlur(x, shape, sigma)
  return mapValues(image, (_v, i) => b[i])
}

const motionBlur: CorruptionFn = (image, shape, s, a) => {
  const [h, w, c] = shape
  const [radius0, sigma0] = level<[number, number]>([[10, 3], [15, 5], [15, 8], [15, 12], [20, 15]], s)
  const u = unitOf(shape)
  const sigma = sigma0 * u
  // ImageMagick's motion blur (MNIST-C's): a one-sided kernel of 2·radius+1 taps along the angle with
  // weights exp(−i²/2σ²). Taps past 4σ weigh < e^−8 and are dropped; samples are bilinear, edges clamped.
  const taps = Math.min(2 * Math.ceil(radius0 * u), Math.ceil(4 * sigma)) + 1
  const angle = ((uniformAt(a, 0) * 90 - 45) * Math.PI) / 180
  const ux = detCos(angle)
  const uy = detSin(angle)
  // Every output pixel uses the same tap offsets, so each tap's integer offset and bilinear weights
  // (times its kernel weight) are computed once; per pixel only clamped reads remain.
  const tapX = new Int32Array(taps)
  const tapY = new Int32Array(taps)
  const tapW = new Float64Array(4 * taps)
  let sum = 0
  for (let i = 0; i < taps; i++) sum += detExp(-(i * i) / (2 * sigma * sigma))
  for (let i = 0; i < taps; i++) {
    const k = detExp(-(i * i) / (2 * sigma * sigma)) / sum
    const ox = i * ux
    const oy = i * uy
    tapX[i] = Math.floor(ox)
    tapY[i] = Math.floor(oy)
    const fx = ox - tapX[i]
    const fy = oy - tapY[i]
    tapW[4 * i] = k * (1 - fx) * (1 - fy)
    tapW[4 * i + 1] = k * fx * (1 - fy)
    tapW[4 * i + 2] = k * (1 - fx) * fy
    tapW[4 * i + 3] = k * fx * fy
  }
  const cx = (x: number): number => (x < 0 ? 0 : x >= w ? w - 1 : x)
  const cy = (y: number): number => (y < 0 ? 0 : y >= h ? h - 1 : y)
  const out = new Float32Array(image.length)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < c; ch++) {
        let v = 0
        for (let i = 0; i < taps; i++) {
          const x0 = cx(x + tapX[i])
          const x1 = cx(x + tapX[i] + 1)
          const r0 = cy(y + tapY[i]) * w
          const r1 = cy(y + tapY[i] + 1) * w
          v += tapW[4 * i] * image[(r0 + x0) * c + ch] + tapW[4 * i + 1] * image[(r0 + x1) * c + ch] + tapW[4 * i + 2] * image[(r1 + x0) * c + ch] + tapW[4 * i + 3] * image[(r1 + x1) * c + ch]
        }
        out[(y * w + x) * c + ch] = clamp01(v)
      }
    }
  }
  return out
}

// --- intensity ------------------------------------------------------------------------------------------------

const brightness: CorruptionFn = (image, _shape, s) => {
  const b = level([0.1, 0.2, 0.3, 0.4, 0.5], s)
  return mapValues(image, (v) => v + b)
}

const contrast: CorruptionFn = (image, shape, s) => {
  const f = level([0.4, 0.3, 0.2, 0.1, 0.05], s)
  const c = shape[2]
  const means = new Float64Array(c)
  for (let i = 0; i < image.length; i++) means[i % c] += image[i]
  for (let ch = 0; ch < c; ch++) means[ch] /= image.length / c
  return mapValues(image, (v, i) => (v - means[i % c]) * f + means[i % c])
}

const inverse: CorruptionFn = (image, _shape, s) => {
  const alpha = level([0.6, 0.7, 0.8, 0.9, 1.0], s)
  return mapValues(image, (v) => (alpha === 1 ? 1 - v : v + alpha * (1 - 2 * v)))
}

const stripe: CorruptionFn = (image, shape, s) => {
  const [, w, c] = shape
  // width of each inverted outer band; MNIST-C's stripe (7 of 28 columns per side) is severity 4.
  // A fractional width inverts the innermost column partly, so the change grows smoothly with severity.
  const band = level([0.1, 0.15, 0.2, 0.25, 0.3], s) * w
  return mapValues(image, (v, i) => {
    const x = Math.floor(i / c) % w
    const fromEdge = Math.min(x, w - 1 - x)
    const weight = clamp01(band - fromEdge)
    return weight === 1 ? 1 - v : v + weight * (1 - 2 * v)
  })
}

/** Diamond–square plasma fractal (MNIST-C's, toroidal), size n = 2^k, normalized to [0, 1]. */
function plasma(n: number, decay: number, a: Address): Float64Array {
  const map = new Float64Array(n * n)
  const at = (y: number, x: number): number => map[((y + n) % n) * n + ((x + n) % n)]
  let step = n
  let wibble = 100
  let draw = P
  // MNIST-C's wibbledmean adds wibble·U(−wibble, wibble): an amplitude of wibble², kept for fidelity
  const wibbled = (sum: number): number => sum / 4 + wibble * (2 * uniformAt(a, draw++) - 1) * wibble
  while (step >= 2) {
    const half = step / 2
    for (let y = half; y < n; y += step) {
      for (let x = half; x < n; x += step) {
        map[y * n + x] = wibbled(at(y - half, x - half) + at(y - half, x + half) + at(y + half, x - half) + at(y + half, x + half))
      }
    }
    for (let y = 0; y < n; y += half) {
      for (let x = (y / half) % 2 === 0 ? half : 0; x < n; x += step) {
        map[y * n + x] = wibbled(at(y - half, x) + at(y + half, x) + at(y, x - half) + at(y, x + half))
      }
    }
    step = half
    wibble /= decay
  }
  let lo = Infinity
  let hi = -Infinity
  for (const v of map) {
    lo = Math.min(lo, v)
    hi = Math.max(hi, v)
  }
  for (let i = 0; i < map.length; i++) map[i] = hi > lo ? (map[i] - lo) / (hi - lo) : 0
  return map
}

const fog: CorruptionFn = (image, shape, s, a) => {
  const [h, w, c] = shape
  const [amount, decay] = level<[number, number]>([[1.5, 2], [2, 2], [2.5, 1.7], [2.75, 1.5], [3, 1.4]], s)
  // MNIST-C crops 28×28 from a 256² map; we use the smallest power of two covering the image (far
  // fewer draws), so our fog varies faster across the image than theirs. Severity 4's amount is 2.75,
  // not MNIST-C's 2.5 (equal to severity 3's), so that the change grows with every severity step.
  let n = 2
  while (n < Math.max(h, w)) n *= 2
  const p = plasma(n, decay, a)
  let max = 0
  for (const v of image) max = Math.max(max, v)
  return mapValues(image, (v, i) => {
    const pix = Math.floor(i / c)
    const y = Math.floor(pix / w)
    const x = pix % w
    return ((v + amount * p[y * n + x]) * max) / (max + amount)
  })
}

// --- drawn lines ------------------------------------------------------------------------------------------------

/** MNIST-C's stroke profile 1 + ln(1 − d/2.3), d in MNIST pixels, clipped to [0, 1]. */
function strokeProfile(d: number): number {
  if (d >= 2.3 * (1 - 0.36787944117144233)) return 0 // beyond 1 + ln(1 − d/2.3) = 0
  return clamp01(1 + detLog(1 - d / 2.3))
}

/** Adds strokes along a polyline (in pixel coordinates) to every channel, saturating at 1. */
function addPolyline(out: Float64Array, shape: Shape, pts: number[], mask?: (x: number) => boolean): void {
  const [h, w, c] = shape
  const u = unitOf(shape)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (mask && !mask(x)) continue
      let d = Infinity
      for (let k = 2; k < pts.length; k += 2) d = Math.min(d, segmentDistance(x, y, pts[k - 2], pts[k - 1], pts[k], pts[k + 1]))
      const add = strokeProfile(d / u)
      if (add === 0) continue
      for (let ch = 0; ch < c; ch++) out[(y * w + x) * c + ch] = Math.min(1, out[(y * w + x) * c + ch] + add)
    }
  }
}

const zigzag: CorruptionFn = (image, shape, s, a) => {
  const [h] = shape
  const u = unitOf(shape)
  const out = Float64Array.from(image)
  const lines = level([1, 2, 3, 4, 5], s)
  for (let l = 0; l < lines; l++) {
    // MNIST-C: from column 2 to 25, start row uniform, end row within ±5, zigzag half-period a = 2, amplitude b = 2
    const c0 = 2 * u
    const c1 = 25 * u
    const r0 = uniformAt(a, 2 * l) * (h - 1)
    const r1 = r0 + (uniformAt(a, 2 * l + 1) * 10 - 5) * u
    const len = Math.sqrt((c1 - c0) ** 2 + (r1 - r0) ** 2)
    const dirX = (c1 - c0) / len
    const dirY = (r1 - r0) / len
    const pts = [c0, r0]
    for (let i = 0; (2 * i + 1) * 2 * u < len; i++) {
      const along = (2 * i + 1) * 2 * u
      const off = (i % 2 === 0 ? 2 : -2) * u
      pts.push(c0 + along * dirX - off * dirY, r0 + along * dirY + off * dirX)
    }
    pts.push(c1, r1)
    addPolyline(out, shape, pts)
  }
  return mapValues(image, (_v, i) => out[i])
}

const dottedLine: CorruptionFn = (image, shape, s, a) => {
  const [h, w] = shape
  const u = unitOf(shape)
  const out = Float64Array.from(image)
  const lines = level([1, 2, 3, 4, 5], s)
  for (let l = 0; l < lines; l++) {
    // MNIST-C: a line across the image between two random rows, blanked in every other 2-pixel column band
    const r0 = uniformAt(a, 2 * l) * (h - 1)
    const r1 = uniformAt(a, 2 * l + 1) * (h - 1)
    addPolyline(out, shape, [0, r0, w - 1, r1], (x) => Math.floor(x / (2 * u)) % 2 === 1)
  }
  return mapValues(image, (_v, i) => out[i])
}

// --- registry ---------------------------------------------------------------------------------------------------

const TENSOR_BASE = 0xc0220000

const table: [string, string, string, boolean, CorruptionFn][] = [
  ['gaussian_noise', 'adds Gaussian noise to every pixel', 'σ = 0.08, 0.12, 0.18, 0.26, 0.38', true, gaussianNoise],
  ['shot_noise', 'Poisson (photon) noise: Poisson(x·c)/c', 'c = 60, 25, 12, 5, 3 (fewer photons)', true, shotNoise],
  ['impulse_noise', 'salt-and-pepper: pixels set to 0 or 1', 'fraction = 0.03, 0.06, 0.09, 0.17, 0.27', true, impulseNoise],
  ['speckle_noise', 'multiplicative Gaussian noise x + x·c·N(0, 1)', 'c = 0.15, 0.2, 0.35, 0.45, 0.6', true, speckleNoise],
  ['rotate', 'rotation about the centre, random direction', 'angle = 0.2, 0.4, 0.6, 0.8, 1.0 rad', true, rotate],
  ['shear', 'horizontal shear about the centre (skimage shear angle), random direction', 'shear angle = 0.2, 0.4, 0.6, 0.8, 1.0 rad', true, shear],
  ['scale', 'shrinks the content about the centre', 'factor = 0.9, 0.8, 0.7, 0.6, 0.5', false, scale],
  ['translate', 'shifts the content diagonally, random signs per axis', 'shift = 1, 2, 3, 4, 5 MNIST pixels per axis', true, translate],
  ['gaussian_blur', 'Gaussian blur, nearest-edge padding', 'σ = 1, 2, 3, 4, 6 MNIST pixels', false, gaussianBlurC],
  ['glass_blur', 'blur, local random pixel swaps, blur again', '(σ, max offset, passes) = (0.7,1,2), (0.9,2,1), (1,2,3), (1.1,3,2), (1.5,4,2)', true, glassBlur],
  ['motion_blur', 'one-sided Gaussian-weighted smear along a random angle in ±45°', '(radius, σ) = (10,3), (15,5), (15,8), (15,12), (20,15) MNIST pixels', true, motionBlur],
  ['brightness', 'adds a constant', '+0.1, +0.2, +0.3, +0.4, +0.5', false, brightness],
  ['contrast', 'pulls pixels towards the image mean', 'factor = 0.4, 0.3, 0.2, 0.1, 0.05', false, contrast],
  ['inverse', 'inverts intensities (blend towards 1 − x)', 'blend = 0.6, 0.7, 0.8, 0.9, 1 (5 = full inversion)', false, inverse],
  ['stripe', 'inverts the left and right outer bands', 'band = 10, 15, 20, 25, 30 % of the width per side', false, stripe],
  ['fog', 'adds a plasma-fractal haze, rescaled by the image maximum', '(amount, roughness decay) = (1.5,2), (2,2), (2.5,1.7), (2.75,1.5), (3,1.4)', true, fog],
  ['zigzag', 'draws zigzag lines across the image', 'lines = 1, 2, 3, 4, 5', true, zigzag],
  ['dotted_line', 'draws dashed straight lines across the image', 'lines = 1, 2, 3, 4, 5', true, dottedLine],
]

/** All corruptions by id. */
export const CORRUPTIONS: ReadonlyMap<string, Corruption> = new Map(
  table.map(([id, description, severity, random, fn], k) => {
    const apply: CorruptionFn = (image, shape, s, address) => {
      checkImage(image, shape)
      return fn(image, shape, s, address)
    }
    return [id, { id, description, severity, random, tensor: TENSOR_BASE + k, apply }]
  }),
)

export function getCorruption(id: string): Corruption {
  const c = CORRUPTIONS.get(id)
  if (!c) throw new RangeError(`unknown corruption '${id}' (known: ${[...CORRUPTIONS.keys()].join(', ')})`)
  return c
}

/** Corrupts every image of `ds`; image i uses address {seed, step: i, tensor: the corruption's id}. */
export function corruptDataset(ds: Dataset, id: string, severity: number, seed: number): Dataset {
  const corruption = getCorruption(id)
  checkSeverity(severity)
  const size = imageSize(ds)
  const images = new Float32Array(ds.images.length)
  for (let i = 0; i < ds.count; i++) {
    const img = ds.images.subarray(i * size, (i + 1) * size)
    images.set(corruption.apply(img, ds.shape, severity, { seed, step: i, tensor: corruption.tensor }), i * size)
  }
  return makeDataset(`${ds.name}/${id}-${severity}`, images, ds.labels.slice(), [...ds.shape], ds.classes)
}
