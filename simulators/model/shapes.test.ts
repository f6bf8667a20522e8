import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { analyzeShapes, inferShapes, summarizeModel, type LayerInfo } from './shapes'
import { ModelSpecError } from './errors'
import { builtinModels, MLPERF_TINY_MODELS } from './builtin'
import type { LayerSpec, ModelSpec } from './spec'
import { conv2d } from '../kernels/conv2d'
import { depthwiseConv2d } from '../kernels/depthwise-conv2d'
import { accTensor, qtensor } from '../core/tensor'
import { intFormat } from '../core/int-format'
import { perTensor } from '../core/quant'
import { newWork } from '../core/work'

const model = (shape: number[], layers: LayerSpec[], task: ModelSpec['task'] = 'classification'): ModelSpec =>
  ({ schemaVersion: 1, name: 't', task, input: { shape }, layers })
const brief = (l: LayerInfo) => [l.path, l.inputShape, l.outputShape, l.weightParams, l.biasParams, l.macs, l.nominalMacs]

describe('hand-computed built-ins', () => {
  it('mlp-mnist: 784 → 128 → 128 → 10', () => {
    expect(inferShapes(builtinModels['mlp-mnist']).map(brief)).toEqual([
      ['layers[0]', [28, 28, 1], [784], 0, 0, 0, 0],
      ['layers[1]', [784], [128], 784 * 128, 128, 784 * 128, 784 * 128],
      ['layers[2]', [128], [128], 128 * 128, 128, 128 * 128, 128 * 128],
      ['layers[3]', [128], [10], 1280, 10, 1280, 1280],
    ])
    expect(summarizeModel(builtinModels['mlp-mnist'])).toMatchObject({ params: 118_282, macs: 118_016, weightLayerCount: 3, outputShape: [10] })
  })

  it('cnn-mnist: same padding, pooling, flatten', () => {
    // Engine MACs skip padded taps: along a 28-wide axis a 3-tap 'same' window has 28·3 − 2 in-bounds taps.
    const conv1Taps = (28 * 3 - 2) ** 2
    const conv2Taps = (14 * 3 - 2) ** 2
    expect(inferShapes(builtinModels['cnn-mnist']).map(brief)).toEqual([
      ['layers[0]', [28, 28, 1], [28, 28, 8], 72, 8, conv1Taps * 8, 28 * 28 * 9 * 8],
      ['layers[1]', [28, 28, 8], [14, 14, 8], 0, 0, 0, 0],
      ['layers[2]', [14, 14, 8], [14, 14, 16], 9 * 8 * 16, 16, conv2Taps * 8 * 16, 14 * 14 * 72 * 16],
      ['layers[3]', [14, 14, 16], [7, 7, 16], 0, 0, 0, 0],
      ['layers[4]', [7, 7, 16], [784], 0, 0, 0, 0],
      ['layers[5]', [784], [10], 7840, 10, 7840, 7840],
    ])
    expect(summarizeModel(builtinModels['cnn-mnist'])).toMatchObject({
      params: 9098, macs: 266_432, nominalMacs: 290_080, maxActivationElements: 28 * 28 * 8,
      totalActivationElements: 6272 + 1568 + 3136 + 784 + 784 + 10,
    })
  })

  it('dscnn-mnist: strided same padding and a 4×4 same average pool to a 2×2 map', () => {
    const infos = inferShapes(builtinModels['dscnn-mnist'])
    expect(infos.map((l) => [l.outputShape, l.padding])).toEqual([
      [[14, 14, 8], [0, 0, 1, 1]], [[14, 14, 8], [1, 1, 1, 1]], [[14, 14, 16], [0, 0, 0, 0]],
      [[7, 7, 16], [0, 0, 1, 1]], [[7, 7, 32], [0, 0, 0, 0]], [[2, 2, 32], [0, 0, 1, 1]], [[128], undefined], [[10], undefined],
    ])
    expect(summarizeModel(builtinModels['dscnn-mnist']).params).toBe(80 + 80 + 144 + 160 + 544 + 1290)
  })
})

describe('MLPerf Tiny reference topologies', () => {
  // Computed from the layer lists of the MLCommons tiny model files (BatchNorm folded, so BN's 4 values per
  // channel are not counted). Nominal MACs count every window tap, as published figures do.
  const expected: Record<string, { params: number; nominalMacs: number; output: number[] }> = {
    'dscnn-kws': { params: 22_604, nominalMacs: 2_656_768, output: [12] },
    'mobilenetv1-vww': { params: 210_850, nominalMacs: 7_489_664, output: [2] },
    'resnet8-cifar10': { params: 77_706, nominalMacs: 12_501_632, output: [10] },
    'fc-autoencoder-ad': { params: 265_864, nominalMacs: 264_192, output: [640] },
  }
  it.each(MLPERF_TINY_MODELS)('%s', (name) => {
    const s = summarizeModel(builtinModels[name])
    expect({ params: s.params, nominalMacs: s.nominalMacs, output: s.outputShape }).toEqual(expected[name])
    expect(s.macs).toBeLessThanOrEqual(s.nominalMacs)
  })

  it('ResNet-8 by hand: stem, three stacks with 1×1 projections, 8×8 average pool', () => {
    const conv = (k: number, cin: number, cout: number) => k * k * cin * cout + cout
    expect(summarizeModel(builtinModels['resnet8-cifar10']).params).toBe(
      conv(3, 3, 16) + 2 * conv(3, 16, 16) + conv(3, 16, 32) + conv(3, 32, 32) + conv(1, 16, 32) + conv(3, 32, 64) + conv(3, 64, 64) + conv(1, 32, 64) + 64 * 10 + 10,
    )
    const infos = inferShapes(builtinModels['resnet8-cifar10'])
    const paths = infos.map((l) => l.path)
    // shortcut layers are listed just before their add, in execution order
    expect(paths.slice(5, 8)).toEqual(['layers[5]', 'layers[6].shortcut[0]', 'layers[6]'])
    expect(infos[6]).toMatchObject({ inputShape: [32, 32, 16], outputShape: [16, 16, 32], padding: [0, 0, 0, 0], weightParams: 512 })
    expect(infos[7]).toMatchObject({ type: 'add', id: 'stack2', inputShape: [16, 16, 32], addendShape: [16, 16, 32], outputShape: [16, 16, 32] })
    expect(infos[3]).toMatchObject({ type: 'add', addendShape: [32, 32, 16] })
  })

  it('DS-CNN KWS: 10×4 stride-2 same conv on 49×10 gives 25×5; the 24×5 average pool gives 1×1', () => {
    const infos = inferShapes(builtinModels['dscnn-kws'])
    expect(infos[0]).toMatchObject({ outputShape: [25, 5, 64], padding: [4, 1, 5, 1], weightParams: 2560 })
    expect(infos.at(-3)).toMatchObject({ type: 'avgPool2d', outputShape: [1, 1, 64] })
  })
})

describe('same padding (TensorFlow rule: the odd pixel goes bottom/right)', () => {
  const cases: [number, number, number, [number, number], number][] = [
    // [input, kernel, stride, [before, after], output]
    [28, 3, 1, [1, 1], 28],
    [28, 3, 2, [0, 1], 14], // even input, stride 2: total 1, all after
    [27, 3, 2, [1, 1], 14], // odd input: total 2, split evenly
    [28, 4, 1, [1, 2], 28], // even kernel: total 3, extra after
    [5, 1, 2, [0, 0], 3],
    [7, 5, 3, [2, 2], 3], // total 4
  ]
  it.each(cases)('n=%i k=%i s=%i → pad %j, out %i', (n, k, s, [before, after], out) => {
    const [info] = inferShapes(model([n, n + 1, 2], [{ type: 'conv2d', filters: 3, kernel: [k, k], stride: [s, s], padding: 'same' }, { type: 'flatten' }]))
    expect(info.outputShape[0]).toBe(out)
    expect(info.outputShape[1]).toBe(Math.ceil((n + 1) / s))
    expect([info.padding?.[0], info.padding?.[2]]).toEqual([before, after])
  })

  it('pooling also supports same padding and defaults its stride to the kernel', () => {
    const [p] = inferShapes(model([7, 7, 3], [{ type: 'maxPool2d', kernel: [2, 2], padding: 'same' }, { type: 'flatten' }]))
    expect(p).toMatchObject({ outputShape: [4, 4, 3], padding: [0, 0, 1, 1] })
  })
})

describe('layer rules', () => {
  it('depthwise multiplier and no-bias', () => {
    const [d] = inferShapes(model([8, 8, 3], [{ type: 'depthwiseConv2d', kernel: [3, 3], multiplier: 2, bias: false }, { type: 'flatten' }]))
    expect(d).toMatchObject({ outputShape: [6, 6, 6], weightParams: 54, biasParams: 0, macs: 36 * 9 * 6, hasWeights: true })
  })

  it('dilation widens the window', () => {
    const [c] = inferShapes(model([9, 9, 1], [{ type: 'conv2d', filters: 1, kernel: [3, 3], dilation: [2, 2] }, { type: 'flatten' }]))
    expect(c.outputShape).toEqual([5, 5, 1])
  })

  it('dense on a rank-3 tensor is an error that names the layer and suggests flatten', () => {
    expect(() => inferShapes(model([4, 4, 1], [{ type: 'dense', units: 3 }]))).toThrow(ModelSpecError)
    expect(analyzeShapes(model([4, 4, 1], [{ type: 'relu' }, { type: 'dense', units: 3 }])).errors).toEqual([
      { path: 'layers[1]', message: expect.stringMatching(/flatten/) as string },
    ])
  })

  it('add: operand shapes must match after the shortcut; the error names the add', () => {
    const spec = model([8, 8, 4], [
      { type: 'conv2d', id: 'a', filters: 4, kernel: [3, 3], padding: 'same' },
      { type: 'conv2d', filters: 8, kernel: [3, 3], stride: [2, 2], padding: 'same' },
      { type: 'add', id: 'join', from: 'a', shortcut: [{ type: 'maxPool2d', kernel: [2, 2] }] },
      { type: 'globalAvgPool2d' }, { type: 'dense', units: 2 },
    ])
    const { errors, layers } = analyzeShapes(spec)
    expect(errors).toEqual([{ path: 'layers[2]', message: expect.stringMatching(/add 'join'.*\[4, 4, 8\].*\[4, 4, 4\].*'a' after its shortcut/) as string }])
    // inference carries on with the running tensor, so later layers are still checked
    expect(layers.at(-1)?.outputShape).toEqual([2])
  })
})

describe('engine agreement', () => {
  // The `macs` of a conv layer must be what the integer kernels report in Work for one sample.
  const geometry = fc.record({
    h: fc.integer({ min: 1, max: 9 }), w: fc.integer({ min: 1, max: 9 }), c: fc.integer({ min: 1, max: 3 }),
    k: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
    s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    d: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    same: fc.boolean(), depthwise: fc.boolean(), co: fc.integer({ min: 1, max: 3 }),
  })
  it('conv2d and depthwise MACs equal the kernels\' Work counts', () => {
    fc.assert(fc.property(geometry, (g) => {
      const layer: LayerSpec = g.depthwise
        ? { type: 'depthwiseConv2d', kernel: g.k, multiplier: g.co, stride: g.s, dilation: g.d, padding: g.same ? 'same' : 'valid' }
        : { type: 'conv2d', filters: g.co, kernel: g.k, stride: g.s, dilation: g.d, padding: g.same ? 'same' : 'valid' }
      const { layers, errors } = analyzeShapes(model([g.h, g.w, g.c], [layer, { type: 'flatten' }]))
      fc.pre(errors.length === 0)
      const info = layers[0]
      const f = intFormat(8, true)
      const x = qtensor([1, g.h, g.w, g.c], f, perTensor(1))
      const out = accTensor([1, ...info.outputShape], { bits: 32, overflow: 'wrap' })
      const work = newWork()
      const win = { stride: g.s, dilation: g.d, padding: info.padding }
      if (g.depthwise) depthwiseConv2d({ x, w: qtensor([g.k[0], g.k[1], g.c * g.co], f, perTensor(1)), out, ...win }, work)
      else conv2d({ x, w: qtensor([g.co, g.k[0], g.k[1], g.c], f, perTensor(1)), out, ...win }, work)
      expect(info.macs).toBe(work.macs)
    }), { numRuns: 200 })
  })
})
