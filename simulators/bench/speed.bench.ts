/**
 * Issue 12's benchmark, in one run on one machine: exact integer GEMM and convolution throughput (GMAC/s)
 * of the TypeScript reference, the WASM SIMD backend and onnxruntime-web 1.30 (its wasm backend, one
 * thread: MatMulInteger uint8×uint8 with zero points 128, its fastest exact path; ConvInteger uint8×uint8),
 * on the same shapes and values, as ratios; then training steps per second of the default experiment's
 * shape (cnn-mnist, batch 32, default formats) per algorithm with the TypeScript kernels ("before") and
 * the default backend ("after"). Prints a table and writes test-results/bench-results.json; asserts nothing
 * (shared machines vary by ±25 % between runs: compare figures of one run).
 *
 * onnxruntime is timed through the project's test harness (testing/onnx/ort.ts): each call also copies
 * its inputs into ORT tensors and awaits session.run, so its figures include that per-call overhead.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { test } from 'vitest'
import { measure } from './measure'
import { accTensor, qtensor } from '../core/tensor'
import { perTensor } from '../core/quant'
import { intFormat } from '../core/int-format'
import { newWork } from '../core/work'
import { typescriptBackend } from '../kernels/typescript-backend'
import { wasmBackend } from '../kernels/wasm-backend'
import type { KernelBackend } from '../kernels/backend'
import { ortConvInteger, ortMatMulInteger } from '../testing/onnx/ort'
import { getBuiltinModel } from '../model/builtin'
import { buildGraph } from '../model/graph'
import { initParams } from '../training/float/float-network'
import { quantizeModel } from '../training/network/quantize-model'
import { QNetwork } from '../training/network/qnetwork'
import { resolveFormats, DEFAULT_FORMATS } from '../training/network/formats'
import { MemoryTracker } from '../training/network/memory'
import { resolveHyperparameters } from '../training/algorithms/algorithm'
import { resolveScope } from '../training/network/trainable'
import { trainingAlgorithms } from '../training/algorithms/registry'
import { syntheticDataset } from '../data/synthetic'

const i8 = intFormat(8, true)
const ACC32 = { bits: 32, overflow: 'wrap' } as const
const BUDGET = 1200

/** uint8 codes (deterministic), and the same values as int8 codes with zero point 0 (= uint8 − 128). */
function codes(n: number, seed: number): { u8: Uint8Array; i8: Int32Array } {
  const u8 = new Uint8Array(n)
  let s = seed
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1103515245) + 12345) >>> 0; u8[i] = s >>> 24 }
  return { u8, i8: Int32Array.from(u8, (v) => v - 128) }
}

async function measureAsync(fn: () => Promise<unknown>, budgetMs = BUDGET): Promise<number> {
  const warm = performance.now()
  while (performance.now() - warm < budgetMs / 3) await fn()
  const times: number[] = []
  const start = performance.now()
  while (performance.now() - start < budgetMs || times.length < 5) {
    const t0 = performance.now()
    await fn()
    times.push((performance.now() - t0) / 1000)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

interface KernelRow { shape: string; macs: number; ts: number; wasm: number; ort: number }

test('issue 12 benchmark: kernels vs onnxruntime, training steps/s', async () => {
  const kernels: KernelRow[] = []
  const gemm = async (N: number, K: number, M: number) => {
    const x = codes(N * K, 1), w = codes(M * K, 2)
    const xt = qtensor([N, K], i8, perTensor(1, 0), x.i8), wt = qtensor([M, K], i8, perTensor(1, 0), w.i8)
    const out = accTensor([N, M], ACC32)
    const work = newWork()
    const time = (b: KernelBackend) => measure('', 0, '', () => b.dense({ x: xt, w: wt, out }, work), BUDGET).seconds
    // ORT: B is [K, M]
    const bT = new Uint8Array(K * M)
    for (let m = 0; m < M; m++) for (let k = 0; k < K; k++) bT[k * M + m] = w.u8[m * K + k]
    const ort = await measureAsync(() => ortMatMulInteger({ a: x.u8, aShape: [N, K], aType: 'uint8', b: bT, bShape: [K, M], bType: 'uint8', aZeroPoint: 128, bZeroPoint: 128 }))
    kernels.push({ shape: `GEMM ${N}×${K}×${M}`, macs: N * K * M, ts: time(typescriptBackend), wasm: time(wasmBackend), ort })
  }
  const conv = async (name: string, N: number, H: number, W: number, C: number, CO: number) => {
    const x = codes(N * H * W * C, 3), w = codes(CO * 9 * C, 4)
    const xt = qtensor([N, H, W, C], i8, perTensor(1, 0), x.i8), wt = qtensor([CO, 3, 3, C], i8, perTensor(1, 0), w.i8)
    const out = accTensor([N, H, W, CO], ACC32)
    const work = newWork()
    const time = (b: KernelBackend) => measure('', 0, '', () => b.conv2d({ x: xt, w: wt, out, padding: [1, 1, 1, 1] }, work), BUDGET).seconds
    // ORT is NCHW / OIHW; the values are the same codes, transposed (the MAC count is what matters)
    const xn = new Uint8Array(x.u8.length)
    for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) for (let ww = 0; ww < W; ww++) xn[((n * C + c) * H + h) * W + ww] = x.u8[((n * H + h) * W + ww) * C + c]
    const ort = await measureAsync(() => ortConvInteger({ x: xn, xShape: [N, C, H, W], xType: 'uint8', w: w.u8, wShape: [CO, C, 3, 3], wType: 'uint8', xZeroPoint: 128, wZeroPoint: 128, pads: [1, 1, 1, 1] }))
    // MACs of the valid taps (what both compute usefully): the engine's own count
    const wk = newWork()
    typescriptBackend.conv2d({ x: xt, w: wt, out, padding: [1, 1, 1, 1] }, wk)
    kernels.push({ shape: name, macs: wk.macs, ts: time(typescriptBackend), wasm: time(wasmBackend), ort })
  }
  await gemm(64, 784, 128)
  await gemm(64, 128, 10)
  await gemm(256, 256, 256)
  await conv('conv 3×3 16→32, 14×14, batch 32', 32, 14, 14, 16, 32)
  await conv('cnn-mnist conv1 3×3 1→16, 28×28, batch 32', 32, 28, 28, 1, 16)

  // max pooling (no MACs: milliseconds per call), cnn-mnist's two 2×2 stride-2 pools at batch 32
  const pools: { shape: string; ts: number; wasm: number }[] = []
  for (const [H, C] of [[28, 8], [14, 16]] as const) {
    const xt = qtensor([32, H, H, C], i8, perTensor(1, 0), codes(32 * H * H * C, 5).i8)
    const out = qtensor([32, H / 2, H / 2, C], i8, perTensor(1, 0))
    const work = newWork()
    const time = (b: KernelBackend) => measure('', 0, '', () => b.maxPool2d({ x: xt, out, kernel: [2, 2], stride: [2, 2] }, work), BUDGET).seconds
    pools.push({ shape: `max pool 2×2/2 ${H}×${H}×${C}, batch 32`, ts: time(typescriptBackend), wasm: time(wasmBackend) })
  }

  // training steps/s, default experiment shape (as training.bench.ts), TS kernels vs the default backend
  const B = 32
  const graph = buildGraph(getBuiltinModel('cnn-mnist'))
  const data = syntheticDataset({ seed: 1, perClass: 10, size: 28 })
  const images = data.images.subarray(0, B * 784)
  const labels = data.labels.subarray(0, B)
  const training: { algorithm: string; tsStepsPerSecond: number; wasmStepsPerSecond: number }[] = []
  for (const alg of trainingAlgorithms.values()) {
    const rate = (backend: KernelBackend) => {
      const q = quantizeModel(graph, initParams(graph, 1), resolveFormats(DEFAULT_FORMATS), data.images, 64)
      const net = new QNetwork(q, B, backend)
      const trainer = alg.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 1, tracker: new MemoryTracker(), maxBatch: B }, resolveHyperparameters(alg, {}, alg.id))
      let step = 0
      return 1 / measure('', 1, 'step', () => { trainer.step(images, labels, B, step++) }, 2500).seconds
    }
    training.push({ algorithm: alg.id, tsStepsPerSecond: rate(typescriptBackend), wasmStepsPerSecond: rate(wasmBackend) })
  }
  const qf = quantizeModel(graph, initParams(graph, 1), resolveFormats(DEFAULT_FORMATS), data.images, 64)
  const pass = (backend: KernelBackend) => { const net = new QNetwork(qf, B, backend); const w = newWork(); return measure('', 1, 'pass', () => { net.forward(images, B, w) }, 2000).seconds }
  const forward = { ts: pass(typescriptBackend), wasm: pass(wasmBackend) }

  const g = (macs: number, s: number) => macs / s / 1e9
  const lines = [
    '',
    'Issue 12 benchmark (one core; GMAC/s of exact int8 MACs; ratios in the same run)',
    `  ${'shape'.padEnd(44)} ${'TS'.padStart(7)} ${'WASM'.padStart(7)} ${'ORT'.padStart(7)}  ${'WASM/TS'.padStart(8)} ${'WASM/ORT'.padStart(9)}`,
    ...kernels.map((r) => `  ${r.shape.padEnd(44)} ${g(r.macs, r.ts).toFixed(2).padStart(7)} ${g(r.macs, r.wasm).toFixed(2).padStart(7)} ${g(r.macs, r.ort).toFixed(2).padStart(7)}  ${(r.ts / r.wasm).toFixed(1).padStart(7)}× ${(r.ort / r.wasm).toFixed(2).padStart(8)}×`),
    ...pools.map((r) => `  ${r.shape.padEnd(44)} TS ${(r.ts * 1e3).toFixed(3)} ms, WASM ${(r.wasm * 1e3).toFixed(3)} ms (${(r.ts / r.wasm).toFixed(1)}×)`),
    `  cnn-mnist forward pass, batch 32, default formats: TS ${(forward.ts * 1e3).toFixed(1)} ms, WASM ${(forward.wasm * 1e3).toFixed(1)} ms (${(forward.ts / forward.wasm).toFixed(1)}×)`,
    '  training steps/s, cnn-mnist batch 32, default formats (TS kernels → default backend):',
    ...training.map((t) => `    ${t.algorithm.padEnd(22)} ${t.tsStepsPerSecond.toFixed(2).padStart(8)} → ${t.wasmStepsPerSecond.toFixed(2).padStart(8)}  (${(t.wasmStepsPerSecond / t.tsStepsPerSecond).toFixed(2)}×)`),
  ]
  console.log(lines.join('\n'))
  const dir = resolve(import.meta.dirname, '../../test-results')
  mkdirSync(dir, { recursive: true })
  writeFileSync(resolve(dir, 'bench-results.json'), JSON.stringify({
    date: new Date().toISOString(),
    kernels: kernels.map((r) => ({ shape: r.shape, macs: r.macs, gmacPerSecond: { typescript: g(r.macs, r.ts), wasm: g(r.macs, r.wasm), onnxruntime: g(r.macs, r.ort) }, wasmOverTs: r.ts / r.wasm, wasmOverOrt: r.ort / r.wasm })),
    maxPoolMs: pools.map((r) => ({ shape: r.shape, typescript: r.ts * 1e3, wasm: r.wasm * 1e3 })),
    forwardPassMs: { typescript: forward.ts * 1e3, wasm: forward.wasm * 1e3 },
    training,
  }, null, 2) + '\n')
})
