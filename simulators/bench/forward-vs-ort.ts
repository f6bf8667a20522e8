/**
 * A whole quantized cnn-mnist forward pass: the engine (default kernel backend) against onnxruntime-web
 * running the same weights, biases, scales and input codes as an ONNX QLinear model (ort-qlinear-model.ts),
 * one thread, all graph optimisations on (onnxruntime's own best for a deployed model). W8A8 with a 32-bit
 * accumulator: onnxruntime's QLinear ops are 8-bit only, so the default W16A8 cannot be run there.
 *
 * Sanity (reported, not asserted): the engine's requantization is fixed-point (integer multiplier and
 * shift, TFLite style) and onnxruntime's is float32, so logits may differ by a few codes. Running the engine
 * once more with onnxruntime's float32 requantization (floatPlan, multiplier fround(fround(s_x·s_w)/s_y))
 * must give onnxruntime's logits exactly: that checks the ONNX model is the same network.
 */
import * as ort from 'onnxruntime-web'
import { newWork } from '../core/work'
import { floatPlan } from '../kernels/requantize'
import { getKernelBackend } from '../kernels/registry'
import { getBuiltinModel } from '../model/builtin'
import { buildGraph } from '../model/graph'
import { initParams } from '../training/float/float-network'
import { quantizeModel, type QuantizedModel } from '../training/network/quantize-model'
import { QNetwork } from '../training/network/qnetwork'
import { resolveFormats, DEFAULT_FORMATS } from '../training/network/formats'
import { syntheticDataset } from '../data/synthetic'
import { ortOutputMultiplier } from '../testing/onnx/ort'
import { measure } from './measure'
import { measureAsync } from './layer-bench'
import { qlinearOnnxModel } from './ort-qlinear-model'

export interface ForwardVsOrt {
  model: string
  batch: number
  formats: string
  backend: string
  oursMs: number
  onnxruntimeMs: number
  /** largest |engine − onnxruntime| over all logit codes (fixed-point vs float32 requantization) */
  maxLogitCodeDiff: number
  /** samples whose arg-max class agrees */
  argmaxAgree: number
  /** logit codes equal to onnxruntime's when the engine uses onnxruntime's float32 requantization */
  exactWithOrtRequant: { equal: number; total: number }
}

/** The same model with onnxruntime's requantization: float32 multiplier per channel, round half to even. */
export function withOrtRequant(q: QuantizedModel): QuantizedModel {
  const nodes = q.nodes.map((p, i) => {
    if (!p.plan || !p.w) return p
    const n = q.graph[i]
    const sx = (n.inputs[0] < 0 ? q.input : q.nodes[n.inputs[0]].out).scales[0]
    return { ...p, plan: floatPlan(Array.from(p.w.quant.scales, (sw) => ortOutputMultiplier(sx, sw, p.out.scales[0])), 'half-even') }
  })
  return { ...q, nodes }
}

export async function benchForwardVsOrt(budgetMs: number): Promise<ForwardVsOrt> {
  const B = 32
  const graph = buildGraph(getBuiltinModel('cnn-mnist'))
  const formats = resolveFormats({ ...DEFAULT_FORMATS, weightBits: 8 })
  const data = syntheticDataset({ seed: 1, perClass: 10, size: 28 })
  const images = data.images.subarray(0, B * 784)
  const q = quantizeModel(graph, initParams(graph, 1), formats, data.images, 64)
  const backend = getKernelBackend()
  const net = new QNetwork(q, B, backend)
  const work = newWork()
  const logits = Int32Array.from(net.forward(images, B, work).data)
  const oursMs = measure('', 1, 'pass', () => { net.forward(images, B, work) }, budgetMs).seconds * 1e3
  const onnx = qlinearOnnxModel(q, B)
  if (onnx.inputShape[1] !== 1) throw new RangeError('input: the benchmark feeds one-channel images (NHWC = NCHW)')
  ort.env.wasm.numThreads = 1
  ort.env.logLevel = 'error'
  const session = await ort.InferenceSession.create(onnx.bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', logSeverityLevel: 3 })
  try {
    // the engine's own input codes (quantized in forward), so both start from the same int8 tensor
    const feeds = { [onnx.input]: new ort.Tensor('int8', Int8Array.from(net.input.subarray(0, B * 784)), onnx.inputShape) }
    const run = async () => (await session.run(feeds))[onnx.output].data as Int8Array
    const ref = await run()
    const onnxruntimeMs = (await measureAsync(run, budgetMs)) * 1e3
    const classes = ref.length / B
    let maxLogitCodeDiff = 0, argmaxAgree = 0
    const argmax = (a: ArrayLike<number>, b: number) => { let k = 0; for (let c = 1; c < classes; c++) if (a[b * classes + c] > a[b * classes + k]) k = c; return k }
    for (let i = 0; i < ref.length; i++) maxLogitCodeDiff = Math.max(maxLogitCodeDiff, Math.abs(ref[i] - logits[i]))
    for (let b = 0; b < B; b++) if (argmax(ref, b) === argmax(logits, b)) argmaxAgree++
    const exact = new QNetwork(withOrtRequant(q), B, backend).forward(images, B, newWork()).data
    let equal = 0
    for (let i = 0; i < ref.length; i++) if (exact[i] === ref[i]) equal++
    return { model: 'cnn-mnist', batch: B, formats: 'W8A8, 32-bit saturating accumulator, per-channel weights', backend: backend.id, oursMs, onnxruntimeMs, maxLogitCodeDiff, argmaxAgree, exactWithOrtRequant: { equal, total: ref.length } }
  } finally {
    await session.release()
  }
}
