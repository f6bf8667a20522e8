// The ONNX QLinear model the benchmark runs in onnxruntime must be the engine's network: with onnxruntime's own
// float32 requantization swapped into the engine (withOrtRequant), every logit code must equal onnxruntime's.
// onnxruntime-web is the independent reference (its CPU kernels compiled to WebAssembly).
import * as ort from 'onnxruntime-web'
import { describe, expect, it } from 'vitest'
import { newWork } from '../core/work'
import { typescriptBackend } from '../kernels/typescript-backend'
import { getBuiltinModel } from '../model/builtin'
import { buildGraph } from '../model/graph'
import { initParams } from '../training/float/float-network'
import { quantizeModel } from '../training/network/quantize-model'
import { QNetwork } from '../training/network/qnetwork'
import { resolveFormats, DEFAULT_FORMATS } from '../training/network/formats'
import { syntheticDataset } from '../data/synthetic'
import { qlinearOnnxModel } from './ort-qlinear-model'
import { withOrtRequant } from './forward-vs-ort'

const B = 4
const graph = buildGraph(getBuiltinModel('cnn-mnist'))
const data = syntheticDataset({ seed: 3, perClass: 4, size: 28 })
const quantized = (weightBits: number, granularity: 'per-channel' | 'per-tensor') =>
  quantizeModel(graph, initParams(graph, 5), resolveFormats({ ...DEFAULT_FORMATS, weightBits, weightGranularity: granularity }), data.images, 40)

describe('ONNX QLinear model of cnn-mnist', () => {
  for (const granularity of ['per-channel', 'per-tensor'] as const) {
    it(`onnxruntime's logits equal the engine's with onnxruntime's requantization (W8A8, ${granularity})`, async () => {
      const q = quantized(8, granularity)
      const net = new QNetwork(withOrtRequant(q), B, typescriptBackend)
      const ours = net.forward(data.images.subarray(0, B * 784), B, newWork()).data
      const onnx = qlinearOnnxModel(q, B)
      ort.env.wasm.numThreads = 1
      const session = await ort.InferenceSession.create(onnx.bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', logSeverityLevel: 3 })
      try {
        const out = await session.run({ [onnx.input]: new ort.Tensor('int8', Int8Array.from(net.input.subarray(0, B * 784)), onnx.inputShape) })
        const ref = Array.from(out[onnx.output].data as Int8Array)
        expect(ref).toHaveLength(B * 10)
        expect(Array.from(ours)).toEqual(ref)
        // not a trivial network: the logits are not all one value
        expect(new Set(ref).size).toBeGreaterThan(5)
      } finally {
        await session.release()
      }
    })
  }

  it('refuses formats onnxruntime QLinear ops cannot run, naming the field', () => {
    expect(() => qlinearOnnxModel(quantized(16, 'per-channel'), B)).toThrow(/^formats: .*8-bit weights and activations, got W16A8/)
  })
})
