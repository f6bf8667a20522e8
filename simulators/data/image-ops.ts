/**
 * Pixel-level building blocks for the corruptions: bilinear sampling, affine warps, separable Gaussian
 * blur, and distance-to-segment for drawn strokes. Images are H×W×C float32 (channels last); geometry
 * uses pixel centres at integer coordinates and the image centre at ((W−1)/2, (H−1)/2), as MNIST-C.
 * Only + − × ÷, √ and det-math are used, so results are bit-identical across runtimes.
 */
import { detExp } from '../core/det-math'

export type Shape = readonly [number, number, number]

/** What a sample outside the image reads: 0 (black background, as skimage's warp) or the nearest edge pixel. */
export type Edge = 'zero' | 'clamp'

export const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v)

/**
 * Bilinear sample of channel ch at (xs, ys). An integer position returns that pixel exactly (the other
 * taps get weight 0), which is what makes a warp by the identity transform the identity.
 */
export function sampleBilinear(src: ArrayLike<number>, shape: Shape, ch: number, xs: number, ys: number, edge: Edge): number {
  const [h, w, c] = shape
  const x0 = Math.floor(xs)
  const y0 = Math.floor(ys)
  const fx = xs - x0
  const fy = ys - y0
  const at = (x: number, y: number): number => {
    if (x < 0 || x >= w || y < 0 || y >= h) {
      if (edge === 'zero') return 0
      x = x < 0 ? 0 : x >= w ? w - 1 : x
      y = y < 0 ? 0 : y >= h ? h - 1 : y
    }
    return src[(y * w + x) * c + ch]
  }
  const top = fx === 0 ? at(x0, y0) : at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
  if (fy === 0) return top
  const bottom = fx === 0 ? at(x0, y0 + 1) : at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
  return top * (1 - fy) + bottom * fy
}

/**
 * Inverse-mapped affine warp: output pixel p reads the input at m·(p − centre) + centre + t, with
 * m = [[m00, m01], [m10, m11]]; zero outside the image. Clamped to [0, 1].
 */
export function warpAffine(src: Float32Array, shape: Shape, m: readonly [number, number, number, number], t: readonly [number, number] = [0, 0]): Float32Array {
  const [h, w, c] = shape
  const cx = (w - 1) / 2
  const cy = (h - 1) / 2
  const out = new Float32Array(src.length)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = x - cx
      const dy = y - cy
      const xs = m[0] * dx + m[1] * dy + cx + t[0]
      const ys = m[2] * dx + m[3] * dy + cy + t[1]
      for (let ch = 0; ch < c; ch++) out[(y * w + x) * c + ch] = clamp01(sampleBilinear(src, shape, ch, xs, ys, 'zero'))
    }
  }
  return out
}

/** Normalized 1-D Gaussian taps for offsets −r…r, r = ⌈4σ⌉ (skimage's default truncation). */
export function gaussianKernel(sigma: number): Float64Array {
  const r = Math.max(1, Math.ceil(4 * sigma))
  const k = new Float64Array(2 * r + 1)
  let sum = 0
  for (let i = -r; i <= r; i++) {
    k[i + r] = detExp(-(i * i) / (2 * sigma * sigma))
    sum += k[i + r]
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum
  return k
}

/** Separable Gaussian blur with nearest-edge padding (skimage.filters.gaussian's default mode). Not clamped. */
export function gaussianBlur(src: ArrayLike<number>, shape: Shape, sigma: number): Float64Array {
  const [h, w, c] = shape
  const k = gaussianKernel(sigma)
  const r = (k.length - 1) / 2
  const tmp = new Float64Array(h * w * c)
  const out = new Float64Array(h * w * c)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < c; ch++) {
        let s = 0
        for (let i = -r; i <= r; i++) {
          const xx = x + i < 0 ? 0 : x + i >= w ? w - 1 : x + i
          s += k[i + r] * src[(y * w + xx) * c + ch]
        }
        tmp[(y * w + x) * c + ch] = s
      }
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < c; ch++) {
        let s = 0
        for (let i = -r; i <= r; i++) {
          const yy = y + i < 0 ? 0 : y + i >= h ? h - 1 : y + i
          s += k[i + r] * tmp[(yy * w + x) * c + ch]
        }
        out[(y * w + x) * c + ch] = s
      }
    }
  }
  return out
}

/** Euclidean distance from (px, py) to the segment (x0, y0)–(x1, y1). */
export function segmentDistance(px: number, py: number, x0: number, y0: number, x1: number, y1: number): number {
  const dx = x1 - x0
  const dy = y1 - y0
  const len2 = dx * dx + dy * dy
  let t = len2 > 0 ? ((px - x0) * dx + (py - y0) * dy) / len2 : 0
  t = t < 0 ? 0 : t > 1 ? 1 : t
  const ex = px - (x0 + t * dx)
  const ey = py - (y0 + t * dy)
  return Math.sqrt(ex * ex + ey * ey)
}
