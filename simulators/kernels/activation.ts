/**
 * ReLU and ReLU6 on quantized tensors: a clamp of the integer codes. real 0 is the zero point, real 6
 * is z + round(6 / s); both are then limited to the format's range (so ReLU6 of a format whose range
 * ends below 6 is just its saturation). Works in place when `out` is `x`.
 */
import { maxValue, minValue, packedBytes } from '../core/int-format'
import type { QTensor } from '../core/tensor'
import type { Work } from '../core/work'
import { expectEqual, expectPerTensor } from './checks'

export type Activation = 'relu' | 'relu6'

/** Integer clamp bounds [lo, hi] of an activation for a tensor's format and quantization. */
export function activationBounds(kind: Activation, t: QTensor): [number, number] {
  expectPerTensor(`${kind} input`, t.quant.zeroPoints)
  const zp = t.quant.zeroPoints[0]
  const lo = Math.max(minValue(t.format), zp)
  const six = kind === 'relu6' ? zp + Math.round(6 / t.quant.scales[0]) : Infinity
  return [lo, Math.min(maxValue(t.format), six)]
}

export function clampInt(x: QTensor, out: QTensor, lo: number, hi: number, work: Work): void {
  expectEqual('clamp output size', out.data.length, x.data.length)
  const a = x.data
  const o = out.data
  for (let i = 0; i < a.length; i++) {
    const v = a[i]
    o[i] = v < lo ? lo : v > hi ? hi : v
  }
  work.elementOps += a.length
  work.bytesRead += packedBytes(x.format, a.length)
  work.bytesWritten += packedBytes(out.format, a.length)
}

export function activate(kind: Activation, x: QTensor, out: QTensor, work: Work): void {
  const [lo, hi] = activationBounds(kind, x)
  clampInt(x, out, lo, hi, work)
}
