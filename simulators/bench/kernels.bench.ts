/**
 * Kernel throughput of the TypeScript backend on shapes from the built-in models (MNIST MLP and CNN
 * layers, batch 32). Prints a table; asserts nothing.
 */
import { test } from 'vitest'
import { measure, measureAsync, report, type Measurement } from './measure'
import { accTensor, qtensor, type QTensor } from '../core/tensor'
import { perTensor } from '../core/quant'
import { intFormat, maxValue, minValue, type IntFormat } from '../core/int-format'
import { newWork } from '../core/work'
import { dense } from '../kernels/dense'
import { conv2d } from '../kernels/conv2d'
import { depthwiseConv2d } from '../kernels/depthwise-conv2d'
import { fixedPlan, floatPlan, requantize } from '../kernels/requantize'
import { fill, stream } from '../core/rng'
import { typescriptBackend } from '../kernels/typescript-backend'
import { wasmBackend } from '../kernels/wasm-backend'
import type { KernelBackend } from '../kernels/backend'
import { ortConvInteger } from '../testing/onnx/ort'

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

/** NHWC int8 codes → NCHW uint8 codes (+128: the same centred values with zero point 128), for onnxruntime. */
function toNchwU8(t: QTensor): Uint8Array {
  const [N, H, W, C] = t.shape
  const u = new Uint8Array(t.data.length)
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) for (let x = 0; x < W; x++) u[((n * C + c) * H + h) * W + x] = t.data[((n * H + h) * W + x) * C + c] + 128
  return u
}

test('WASM kernels (depthwise, 1-channel first layer, average pooling) vs TypeScript and onnxruntime ConvInteger', async () => {
  const lines: string[] = []
  const w = newWork()
  const row = async (name: string, macs: number, run: (b: KernelBackend) => void, ort: () => Promise<unknown>) => {
    const t = (b: KernelBackend) => measure('', 0, '', () => run(b), 1200).seconds
    const ts = t(typescriptBackend), wasm = t(wasmBackend), o = await measureAsync(ort, 1200)
    const g = (s: number) => (macs / s / 1e9).toFixed(2).padStart(7)
    lines.push(`  ${name.padEnd(44)} ${g(ts)} ${g(wasm)} ${g(o)}  ${(ts / wasm).toFixed(1).padStart(6)}× ${(o / wasm).toFixed(2).padStart(7)}×`)
  }
  {
    // depthwise = ConvInteger with group = C (weights [C, 1, 3, 3]); valid-tap MACs from the engine's count
    const x = random([32, 14, 14, 32], i8, 7), wt = random([3, 3, 32], i8, 8), out = accTensor([32, 14, 14, 32], ACC32)
    const args = { x, w: wt, out, padding: [1, 1, 1, 1] as const }
    const wk = newWork()
    typescriptBackend.depthwiseConv2d(args, wk)
    const xu = toNchwU8(x), wu = new Uint8Array(32 * 9)
    for (let c = 0; c < 32; c++) for (let t = 0; t < 9; t++) wu[c * 9 + t] = wt.data[t * 32 + c] + 128
    await row('depthwise 32×14×14×32, 3×3 same', wk.macs, (b) => b.depthwiseConv2d(args, w),
      () => ortConvInteger({ x: xu, xShape: [32, 32, 14, 14], xType: 'uint8', w: wu, wShape: [32, 1, 3, 3], wType: 'uint8', xZeroPoint: 128, wZeroPoint: 128, pads: [1, 1, 1, 1], group: 32 }))
  }
  {
    const x = random([32, 28, 28, 1], i8, 3), wt = random([16, 3, 3, 1], i8, 4), out = accTensor([32, 28, 28, 16], ACC32)
    const args = { x, w: wt, out, padding: [1, 1, 1, 1] as const }
    const wk = newWork()
    typescriptBackend.conv2d(args, wk)
    const wu = Uint8Array.from(wt.data, (v) => v + 128) // OHWI with I = 1 is OIHW
    await row('conv2d 32×28×28×1 → 16, 3×3 same', wk.macs, (b) => b.conv2d(args, w),
      () => ortConvInteger({ x: toNchwU8(x), xShape: [32, 1, 28, 28], xType: 'uint8', w: wu, wShape: [16, 1, 3, 3], wType: 'uint8', xZeroPoint: 128, wZeroPoint: 128, pads: [1, 1, 1, 1] }))
  }
  // average pooling (no integer AveragePool in onnxruntime): the global pools of DS-CNN and ResNet-8
  for (const [H, W, C, name] of [[24, 5, 64, 'DS-CNN'], [8, 8, 64, 'ResNet-8']] as const) {
    const x = random([32, H, W, C], i8, 9), out = qtensor([32, 1, 1, C], i8, perTensor(0.02, 0))
    const t = (b: KernelBackend) => measure('', 0, '', () => b.avgPool2d({ x, out, kernel: [H, W] }, w), 1200).seconds
    const ts = t(typescriptBackend), wasm = t(wasmBackend)
    lines.push(`  ${`avg pool ${H}×${W}×${C} global (${name}), batch 32`.padEnd(44)} TS ${(ts * 1e3).toFixed(3)} ms, WASM ${(wasm * 1e3).toFixed(3)} ms (${(ts / wasm).toFixed(1)}×)`)
  }
  console.log(`\nWASM kernels vs onnxruntime (one core; GMAC/s of valid-tap MACs; ratios in the same run)\n  ${'shape'.padEnd(44)} ${'TS'.padStart(7)} ${'WASM'.padStart(7)} ${'ORT'.padStart(7)}  ${'WASM/TS'.padStart(7)} ${'WASM/ORT'.padStart(8)}\n${lines.join('\n')}`)
})
