/**
 * Whole networks on the default (WASM SIMD) backend and on the TypeScript reference: the built-in
 * cnn-mnist and mlp-mnist forward passes at the default formats (W16A8, 32-bit saturating accumulator)
 * and at W8A8 with wrapping 32- and 16-bit accumulators give the same activations, logits and Work, bit
 * for bit; and the WASM kernels are really used there.
 */
import { describe, expect, it } from 'vitest'
import { getBuiltinModel } from '../../model/builtin'
import { buildGraph } from '../../model/graph'
import { initParams } from '../../training/float/float-network'
import { quantizeModel } from '../../training/network/quantize-model'
import { QNetwork } from '../../training/network/qnetwork'
import { DEFAULT_FORMATS, resolveFormats, type NumericFormatsSpec } from '../../training/network/formats'
import { syntheticDataset } from '../../data/synthetic'
import { newWork } from '../../core/work'
import { typescriptBackend } from '../typescript-backend'
import { getKernelBackend } from '../registry'
import { wasmStats } from './mac'

describe('networks: default backend ≡ TypeScript reference', () => {
  const data = syntheticDataset({ seed: 3, perClass: 4, size: 28 })
  const B = 16
  const cases: [string, Partial<NumericFormatsSpec>][] = [
    ['default formats (W16A8, acc32 saturating)', {}],
    ['W8A8, acc32 wrapping', { weightBits: 8, activationBits: 8, accumulatorOverflow: 'wrap' }],
    ['W8A8, acc16 wrapping', { weightBits: 8, activationBits: 8, accumulatorBits: 16, accumulatorOverflow: 'wrap' }],
  ]
  it('the default backend is the WASM one here', () => {
    expect(getKernelBackend().id).toBe('wasm-simd')
  })
  for (const model of ['cnn-mnist', 'mlp-mnist'] as const) {
    for (const [name, formats] of cases) {
      it(`${model}, ${name}`, () => {
        const graph = buildGraph(getBuiltinModel(model))
        const q = quantizeModel(graph, initParams(graph, 2), resolveFormats({ ...DEFAULT_FORMATS, ...formats }), data.images, 32)
        const images = data.images.subarray(0, B * 784)
        const ref = new QNetwork(q, B, typescriptBackend)
        const fast = new QNetwork(q, B)
        const rw = newWork(), fw = newWork()
        const want = Array.from(ref.forward(images, B, rw).data)
        const before = wasmStats.fast
        const got = Array.from(fast.forward(images, B, fw).data)
        expect(wasmStats.fast - before).toBeGreaterThan(0)
        expect(got).toEqual(want)
        expect(fw).toEqual(rw)
        for (let i = 0; i < ref.acts.length; i++) expect(fast.acts[i]).toEqual(ref.acts[i])
      })
    }
  }
})
