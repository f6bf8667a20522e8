/**
 * Small models and a separable task for training tests (test support, kept beside the training code so
 * tests and benchmarks share it). Pure: no data files.
 */
import type { ModelSpec } from '../model/spec'
import { fill, uniformAt } from '../core/rng'

export const tinyCnn: ModelSpec = {
  schemaVersion: 1, name: 'tiny-cnn', task: 'classification', input: { shape: [8, 8, 1] },
  layers: [
    { type: 'conv2d', id: 'c1', filters: 4, kernel: [3, 3], padding: 'same', activation: 'relu' },
    { type: 'depthwiseConv2d', kernel: [3, 3], padding: 'same', activation: 'relu6' },
    { type: 'add', from: 'c1', activation: 'relu' },
    { type: 'maxPool2d', kernel: [2, 2] },
    { type: 'avgPool2d', kernel: [2, 2], stride: [1, 1], padding: 'same' },
    { type: 'flatten' },
    { type: 'dense', units: 16, activation: 'relu' },
    { type: 'dense', units: 4 },
  ],
}

export const tinyMlp: ModelSpec = {
  schemaVersion: 1, name: 'tiny-mlp', task: 'classification', input: { shape: [8, 8, 1] },
  layers: [{ type: 'flatten' }, { type: 'dense', units: 24, activation: 'relu' }, { type: 'dense', units: 4 }],
}

/**
 * A 4-class 8×8 task: each class is a bright quadrant, plus uniform noise. Linearly separable, so a
 * few dozen SGD steps reach high accuracy.
 */
export function quadrantTask(count: number, seed: number): { images: Float32Array; labels: Uint8Array } {
  const images = new Float32Array(count * 64)
  const labels = new Uint8Array(count)
  const noise = fill({ seed, step: 0, tensor: 1 }, 'uniform', new Float64Array(count * 64))
  for (let n = 0; n < count; n++) {
    const c = Math.floor(uniformAt({ seed, step: 0, tensor: 2 }, n) * 4)
    labels[n] = c
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
      const q = (y < 4 ? 0 : 2) + (x < 4 ? 0 : 1)
      images[n * 64 + y * 8 + x] = Math.min(1, 0.35 * noise[n * 64 + y * 8 + x] + (q === c ? 0.6 : 0))
    }
  }
  return { images, labels }
}
