// @vitest-environment node
/**
 * Float-scale requantization whose output multiplier a·b/y overflows float32 (→ ∞): onnxruntime's
 * QLinearMatMul gives the zero point for a zero accumulator (0·∞ = NaN → integer 0) and saturates
 * the others; the engine must give the same bytes. Checked against onnxruntime-web directly.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { kernelBackends } from './registry'
import { floatPlan } from './requantize'
import { accTensor, qtensor } from '../core/tensor'
import { perTensor } from '../core/quant'
import { newWork } from '../core/work'
import { intFormat } from '../core/int-format'
import { ortOutputScale } from '../core/requantize'
import { ortDisposeSessions, ortQLinearMatMul, type QType } from '../testing/onnx/ort'

afterAll(ortDisposeSessions)
const ACC32 = { bits: 32, overflow: 'wrap' } as const

for (const backend of kernelBackends.values()) {
  describe(`${backend.id}: requantize with an overflowed float32 multiplier ≡ onnxruntime`, () => {
    it.each([['int8', 5], ['uint8', 77]] as [QType, number][])('%s output, zero point %s', async (t, zy) => {
      const fmt = intFormat(8, t === 'int8')
      // A [3,2] × B [2,1]: rows give accumulators 0, positive, negative
      const za = t === 'int8' ? 0 : 100, zb = t === 'int8' ? 0 : 100
      const a = [za, za, za + 3, za + 1, za - 2, za - 1]
      const b = [zb + 2, zb + 1]
      const [sa, sb, sy] = [3e30, 3e30, 1e-30].map(Math.fround)
      expect(ortOutputScale(sa, sb, sy)).toBe(Infinity)
      const want = await ortQLinearMatMul({ a, aShape: [3, 2], aType: t, aScale: sa, aZeroPoint: za, b, bShape: [2, 1], bType: t, bScale: sb, bZeroPoint: zb, yScale: sy, yZeroPoint: zy, yType: t })
      const acc = accTensor([3, 1], ACC32)
      backend.dense({ x: qtensor([3, 2], fmt, perTensor(sa, za), Float64Array.from(a)), w: qtensor([1, 2], fmt, perTensor(sb, zb), Float64Array.from(b)), out: acc }, newWork())
      const out = qtensor([3, 1], fmt, perTensor(sy, zy))
      backend.requantize({ acc, plan: floatPlan([ortOutputScale(sa, sb, sy)]), out }, newWork())
      expect(Array.from(out.data)).toEqual(Array.from(want))
      expect(out.data[0]).toBe(zy)
    })
  })
}
