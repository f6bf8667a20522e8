/**
 * Kernel throughput of the TypeScript backend on shapes from the built-in models (MNIST MLP and CNN
 * layers, batch 32). Prints a table; asserts nothing.
 */
import { test } from 'vitest'
import { measure, report, type Measurement } from './measure'
import { accTensor, qtensor, type QTensor } from '../core/tensor'
import { perTensor } from '../core/quant'
import { intFormat, maxValue, minValue, type IntFormat } from '../core/int-format'
import { newWork } from '../core/work'
import { dense } from '../kernels/dense'
import { conv2d } from '../kernels/conv2d'
import { depthwiseConv2d } from '../kernels/depthwise-conv2d'
import { fixedPlan, floatPlan, requantize } from '../kernels/requantize'
import { fill, stream } from '../core/rng'

const i8 = intFormat(8, true)
const i16 = intFormat(16, true)
const ACC32 = { bits: 32, overflow: 'wrap' } as const

function random(shape: number[], f: IntFormat, seed: number): QTensor {
  const t = qtensor(shape, f, perTensor(0.02, 0))
  const u = fill({ seed, step: 0, tensor: 0 }, 'uniform', new Float64Array(t.data.length))
  const lo = minValue(f), hi = maxValue(f)
  for (let i = 0; i < u.length; i++) t.data[i] = lo + Math.floor(u[i] * (hi - lo + 1))
  return t
}

test('kernel throughput', () => {
  const rows: Measurement[] = []
  const w = newWork()
  for (const [N, K, M, wf] of [[32, 784, 128, i8], [32, 128, 10, i8], [32, 784, 128, i16]] as const) {
    const x = random([N, K], i8, 1), wt = random([M, K], wf, 2), out = accTensor([N, M], ACC32)
    rows.push(measure(`dense ${N}×${K}×${M} int8×${wf.bits === 8 ? 'int8' : 'int16'} → int32`, N * K * M, 'MAC', () => dense({ x, w: wt, out }, w)))
  }
  {
    const x = random([32, 28, 28, 1], i8, 3), wt = random([16, 3, 3, 1], i8, 4), out = accTensor([32, 28, 28, 16], ACC32)
    rows.push(measure('conv2d 32×28×28×1 → 16, 3×3 same', 32 * 28 * 28 * 16 * 9, 'MAC', () => conv2d({ x, w: wt, out, padding: [1, 1, 1, 1] }, w)))
  }
  {
    const x = random([32, 14, 14, 16], i8, 5), wt = random([32, 3, 3, 16], i8, 6), out = accTensor([32, 14, 14, 32], ACC32)
    rows.push(measure('conv2d 32×14×14×16 → 32, 3×3 same', 32 * 14 * 14 * 32 * 9 * 16, 'MAC', () => conv2d({ x, w: wt, out, padding: [1, 1, 1, 1] }, w)))
  }
  {
    const x = random([32, 14, 14, 32], i8, 7), wt = random([3, 3, 32], i8, 8), out = accTensor([32, 14, 14, 32], ACC32)
    rows.push(measure('depthwise 32×14×14×32, 3×3 same', 32 * 14 * 14 * 32 * 9, 'MAC', () => depthwiseConv2d({ x, w: wt, out, padding: [1, 1, 1, 1] }, w)))
  }
  {
    const acc = accTensor([32, 28, 28, 16], ACC32)
    ;(acc.data as Float64Array).forEach((_, i, a) => { a[i] = (i * 7919) % 200000 - 100000 })
    const out = qtensor([32, 28, 28, 16], i8, perTensor(0.1, 0))
    const n = acc.data.length
    rows.push(measure('requantize fixed-point, half-even', n, 'value', () => requantize({ acc, plan: fixedPlan([0.0007], 'half-even'), out }, w)))
    rows.push(measure('requantize fixed-point, stochastic (Philox draws)', n, 'value', () => requantize({ acc, plan: fixedPlan([0.0007], 'stochastic'), out, rng: stream({ seed: 1, step: 0, tensor: 0 }) }, w)))
    rows.push(measure('requantize float32 scale (onnxruntime style)', n, 'value', () => requantize({ acc, plan: floatPlan([0.0007]), out }, w)))
  }
  {
    const buf = new Float64Array(100_000)
    rows.push(measure('Gaussian draws (Philox4x32-10 + inverse CDF)', buf.length, 'draw', () => fill({ seed: 1, step: 2, tensor: 3 }, 'gaussian', buf)))
    rows.push(measure('Rademacher draws', buf.length, 'draw', () => fill({ seed: 1, step: 2, tensor: 3 }, 'rademacher', buf)))
  }
  report('Kernel throughput (TypeScript backend, one core)', rows)
})
