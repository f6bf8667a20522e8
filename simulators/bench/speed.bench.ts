/**
 * Issue 12 §2's benchmark, the engine part, in one run on one machine:
 *  - exact int8 GEMM / convolution throughput (GMAC/s) of the TypeScript reference, the WASM SIMD backend and
 *    onnxruntime-web 1.30 (MatMulInteger / ConvInteger, one thread) on the same shapes and values, for the
 *    issue's shapes and the first two MAC layers of every built-in model (bench-shapes.ts, layer-bench.ts),
 *    with a check that onnxruntime's int32 sums equal ours;
 *  - max pooling, TypeScript vs WASM;
 *  - a whole cnn-mnist forward pass: TypeScript vs default backend at the default formats, and the default
 *    backend vs onnxruntime running it as an ONNX QLinear model at W8A8 (forward-vs-ort.ts);
 *  - training steps per second per algorithm: the default experiment's model and formats at batch 32 (the
 *    shape of the issue's "today" figures) with TypeScript kernels and the default backend, at the default
 *    experiment's own batch, and on the MLPerf Tiny DS-CNN (dscnn-kws).
 * Writes test-results/bench-results.json, which scripts/bench-report.mjs (run next by `npm run bench`)
 * merges with the sweep and headless-run figures into the table with targets. Asserts nothing: shared
 * machines vary by ±25 % between runs, so compare figures of one run.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { test } from 'vitest'
import { measure } from './measure'
import { qtensor } from '../core/tensor'
import { perTensor } from '../core/quant'
import { intFormat } from '../core/int-format'
import { newWork } from '../core/work'
import { typescriptBackend } from '../kernels/typescript-backend'
import { wasmBackend } from '../kernels/wasm-backend'
import { getKernelBackend } from '../kernels/registry'
import type { KernelBackend } from '../kernels/backend'
import { getBuiltinModel, type BuiltinModelName } from '../model/builtin'
import { buildGraph } from '../model/graph'
import { initParams } from '../training/float/float-network'
import { quantizeModel } from '../training/network/quantize-model'
import { QNetwork } from '../training/network/qnetwork'
import { resolveFormats } from '../training/network/formats'
import { syntheticDataset } from '../data/synthetic'
import { defaultExperiment } from '../experiment/validate'
import { benchShapes } from './bench-shapes'
import { benchLayer, codes } from './layer-bench'
import { benchForwardVsOrt } from './forward-vs-ort'
import { trainingRates } from './training-rates'

const i8 = intFormat(8, true)
/** per measured kernel call site, ms (the measure harness warms up for a third of it first) */
const BUDGET = 1000
/** per algorithm and configuration, ms: at least 2 timed steps whatever the budget */
const TRAIN_BUDGET = 2000
/** the MLPerf Tiny model of the training rows (DS-CNN keyword spotting; ResNet-8 is about 3× slower per step) */
const TINY_MODEL = 'dscnn-kws' as const

const gmac = (macs: number, s: number) => macs / s / 1e9

test('issue 12 benchmark: kernels vs onnxruntime, forward pass, training steps/s', async () => {
  const t0 = performance.now()
  const kernels = []
  for (const s of benchShapes()) kernels.push(await benchLayer(s, { typescript: typescriptBackend, wasm: wasmBackend }, BUDGET))

  // max pooling (no MACs: milliseconds per call), cnn-mnist's two 2×2 stride-2 pools at batch 32
  const pools: { shape: string; ts: number; wasm: number }[] = []
  for (const [H, C] of [[28, 8], [14, 16]] as const) {
    const xt = qtensor([32, H, H, C], i8, perTensor(1, 0), codes(32 * H * H * C, 5).i8)
    const out = qtensor([32, H / 2, H / 2, C], i8, perTensor(1, 0))
    const work = newWork()
    const time = (b: KernelBackend) => measure('', 0, '', () => b.maxPool2d({ x: xt, out, kernel: [2, 2], stride: [2, 2] }, work), BUDGET).seconds
    pools.push({ shape: `max pool 2×2/2 ${H}×${H}×${C}, batch 32`, ts: time(typescriptBackend), wasm: time(wasmBackend) })
  }

  // the default experiment (`{}`, every field at its default): its model, formats and batch
  const exp = defaultExperiment()
  if (typeof exp.model !== 'string') throw new TypeError('model: the default experiment names a built-in model')
  const model = exp.model as BuiltinModelName
  const B = 32
  const graph = buildGraph(getBuiltinModel(model))
  const data = syntheticDataset({ seed: 1, perClass: 10, size: 28 })
  const images = data.images.subarray(0, B * 784)
  const qf = quantizeModel(graph, initParams(graph, 1), resolveFormats(exp.formats), data.images, 64)
  const pass = (backend: KernelBackend) => { const net = new QNetwork(qf, B, backend); const w = newWork(); return measure('', 1, 'pass', () => { net.forward(images, B, w) }, BUDGET).seconds }
  const forward = { ts: pass(typescriptBackend), wasm: pass(wasmBackend) }
  const forwardVsOrt = await benchForwardVsOrt(BUDGET)

  const backend = getKernelBackend()
  const training = {
    baselineShape: { model, batch: B, formats: exp.formats, typescript: trainingRates(model, B, exp.formats, typescriptBackend, TRAIN_BUDGET), default: trainingRates(model, B, exp.formats, backend, TRAIN_BUDGET) },
    defaultExperiment: { model, batch: exp.batch, formats: exp.formats, default: trainingRates(model, exp.batch, exp.formats, backend, TRAIN_BUDGET) },
    mlperfTiny: { model: TINY_MODEL, batch: exp.batch, formats: exp.formats, default: trainingRates(TINY_MODEL, exp.batch, exp.formats, backend, TRAIN_BUDGET) },
  }

  const lines = [
    '',
    'Issue 12 benchmark, engine part (one core; GMAC/s of exact int8 MACs; ratios in the same run)',
    `  ${'shape (batch 32 unless named)'.padEnd(48)} ${'TS'.padStart(7)} ${'WASM'.padStart(7)} ${'ORT'.padStart(7)}  ${'WASM/TS'.padStart(8)} ${'WASM/ORT'.padStart(9)}  ORT ≡ ours`,
    ...kernels.map((r) => `  ${r.label.padEnd(48)} ${gmac(r.macs, r.seconds.typescript).toFixed(2).padStart(7)} ${gmac(r.macs, r.seconds.wasm).toFixed(2).padStart(7)} ${gmac(r.macs, r.seconds.onnxruntime).toFixed(2).padStart(7)}  ${(r.seconds.typescript / r.seconds.wasm).toFixed(1).padStart(7)}× ${(r.seconds.onnxruntime / r.seconds.wasm).toFixed(2).padStart(8)}×  ${r.ortEqual ? 'yes' : 'NO'}`),
    ...pools.map((r) => `  ${r.shape.padEnd(48)} TS ${(r.ts * 1e3).toFixed(3)} ms, WASM ${(r.wasm * 1e3).toFixed(3)} ms (${(r.ts / r.wasm).toFixed(1)}×)`),
    `  ${model} forward pass, batch 32, default formats: TS ${(forward.ts * 1e3).toFixed(1)} ms, WASM ${(forward.wasm * 1e3).toFixed(1)} ms (${(forward.ts / forward.wasm).toFixed(1)}×)`,
    `  ${model} forward pass, batch 32, ${forwardVsOrt.formats}: ${forwardVsOrt.backend} ${forwardVsOrt.oursMs.toFixed(1)} ms, onnxruntime QLinear model ${forwardVsOrt.onnxruntimeMs.toFixed(1)} ms`,
    `    sanity: logits max |Δ| ${forwardVsOrt.maxLogitCodeDiff} codes, arg-max agrees ${forwardVsOrt.argmaxAgree}/${forwardVsOrt.batch}; with onnxruntime's float32 requantization ${forwardVsOrt.exactWithOrtRequant.equal}/${forwardVsOrt.exactWithOrtRequant.total} logits equal`,
    `  training steps/s (${model}, default formats; batch ${B}: TS kernels → ${backend.id}; batch ${exp.batch}: ${backend.id}; ${TINY_MODEL} batch ${exp.batch}: ${backend.id}):`,
    ...training.baselineShape.default.map((t, i) => {
      const ts = training.baselineShape.typescript[i].stepsPerSecond
      return `    ${t.algorithm.padEnd(14)} ${ts.toFixed(2).padStart(8)} → ${t.stepsPerSecond.toFixed(2).padStart(8)} (${(t.stepsPerSecond / ts).toFixed(2)}×)   batch ${exp.batch}: ${training.defaultExperiment.default[i].stepsPerSecond.toFixed(2).padStart(7)}   ${TINY_MODEL}: ${training.mlperfTiny.default[i].stepsPerSecond.toFixed(3).padStart(7)}`
    }),
    `  (engine part took ${((performance.now() - t0) / 1000).toFixed(0)} s)`,
  ]
  console.log(lines.join('\n'))
  const dir = resolve(import.meta.dirname, '../../test-results')
  mkdirSync(dir, { recursive: true })
  writeFileSync(resolve(dir, 'bench-results.json'), JSON.stringify({
    date: new Date().toISOString(),
    kernelBackend: backend.id,
    kernels: kernels.map((r) => ({ shape: r.label, source: r.source, kind: r.kind, macs: r.macs, gmacPerSecond: { typescript: gmac(r.macs, r.seconds.typescript), wasm: gmac(r.macs, r.seconds.wasm), onnxruntime: gmac(r.macs, r.seconds.onnxruntime) }, wasmOverTs: r.seconds.typescript / r.seconds.wasm, wasmOverOrt: r.seconds.onnxruntime / r.seconds.wasm, ortEqual: r.ortEqual })),
    maxPoolMs: pools.map((r) => ({ shape: r.shape, typescript: r.ts * 1e3, wasm: r.wasm * 1e3 })),
    forwardPassMs: { typescript: forward.ts * 1e3, wasm: forward.wasm * 1e3 },
    forwardVsOrt,
    training,
  }, null, 2) + '\n')
})
