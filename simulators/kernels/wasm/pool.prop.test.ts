/**
 * WASM max pooling against the TypeScript reference (kernels/pool2d.ts, itself checked against the float
 * reference and onnxruntime), bit for bit with the whole Work record: random shapes, channel counts on
 * both sides of the 4-lane SIMD width, strides, dilations, paddings up to windows wholly in the padding,
 * formats from int2 to int32 (zero points do not enter max pooling: it works on raw codes).
 */
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { typescriptBackend } from '../typescript-backend'
import { wasmBackend } from '../wasm-backend'
import { wasmStats } from './mac'
import { qtensor } from '../../core/tensor'
import { perTensor } from '../../core/quant'
import { newWork } from '../../core/work'
import { intFormat, maxValue, minValue } from '../../core/int-format'
import { resolveWindow } from '../geometry'
import { valuesIn } from '../../testing/arbitraries'

const SEED = { seed: 20261207 }
const format = fc.constantFrom(intFormat(8, true), intFormat(8, false), intFormat(4, true), intFormat(2, false), intFormat(16, true), intFormat(32, true))
const small = (min: number, max: number) => fc.integer({ min, max })

const poolCase = fc.record({
  N: small(1, 2), H: small(1, 9), W: small(1, 9), C: fc.oneof(small(1, 13), fc.constantFrom(4, 8, 16, 32)),
  kernel: fc.tuple(small(1, 4), small(1, 4)), stride: fc.tuple(small(1, 3), small(1, 3)),
  padding: fc.tuple(small(0, 3), small(0, 3), small(0, 3), small(0, 3)), dilation: fc.tuple(small(1, 3), small(1, 3)), f: format,
}).filter((c) => {
  try { resolveWindow('case', c.H, c.W, c); return true } catch { return false }
}).chain((c) => fc.record({ c: fc.constant(c), x: valuesIn(c.f, c.N * c.H * c.W * c.C) }))

it('WASM max pooling ≡ TypeScript: outputs and Work, random windows, paddings, dilations and formats', () => {
  const before = wasmStats.fast
  fc.assert(fc.property(poolCase, ({ c, x }) => {
    const g = resolveWindow('case', c.H, c.W, c)
    const xt = qtensor([c.N, c.H, c.W, c.C], c.f, perTensor(1, 0), Int32Array.from(x))
    const want = qtensor([c.N, g.oh, g.ow, c.C], c.f, perTensor(1, 0)), got = qtensor([c.N, g.oh, g.ow, c.C], c.f, perTensor(1, 0))
    got.data.fill(12345 % (maxValue(c.f) + 1)) // stale values must be overwritten
    const ww = newWork(), gw = newWork()
    const win = { kernel: c.kernel, stride: c.stride, padding: c.padding, dilation: c.dilation }
    typescriptBackend.maxPool2d({ x: xt, out: want, ...win }, ww)
    wasmBackend.maxPool2d({ x: xt, out: got, ...win }, gw)
    expect(Array.from(got.data)).toEqual(Array.from(want.data))
    expect(gw).toEqual(ww)
  }), { numRuns: 400, ...SEED })
  expect(wasmStats.fast - before).toBe(400)
})

it('a window wholly in the padding gives the format minimum, as the reference does', () => {
  // 1×1 input, 1×1 window, dilation irrelevant, padding 1 on every side, stride 1: 3×3 output, only the centre sees the input
  const f = intFormat(8, true)
  const xt = qtensor([1, 1, 1, 5], f, perTensor(1, 0), Int32Array.of(-3, 7, -128, 127, 0))
  const out = qtensor([1, 3, 3, 5], f, perTensor(1, 0))
  wasmBackend.maxPool2d({ x: xt, out, kernel: [1, 1], padding: [1, 1, 1, 1] }, newWork())
  expect(Array.from(out.data.subarray(20, 25))).toEqual([-3, 7, -128, 127, 0])
  expect(Array.from(out.data.subarray(0, 5))).toEqual(Array(5).fill(minValue(f)))
})
