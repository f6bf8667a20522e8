/**
 * Element-wise add of two quantized tensors with different scales (residual connections), the way
 * TFLite's integer Add does it: both inputs are centred, shifted left to gain headroom, rescaled to a
 * common scale 2·max(s_a, s_b) by fixed-point multipliers, summed exactly, then requantized to the
 * output scale:
 *   y = z_y + R_out( R_a((a − z_a)·2^L) + R_b((b − z_b)·2^L) )
 * with R_a = s_a/(2·max), R_b = s_b/(2·max), R_out = 2·max/(2^L·s_y). L = 20 for ≤ 8-bit inputs and
 * 15 for ≤ 16-bit (TFLite's choices), 31 − bits beyond, so centred values keep below 2^31.
 * Every rounding uses the chosen mode, exactly (single rounding per multiplier).
 */
import { packedBytes, type IntFormat } from '../core/int-format'
import { applyMultiplier, quantizeMultiplier, saturateOutput, type QuantizedMultiplier } from '../core/requantize'
import type { RoundingMode, UniformSource } from '../core/rounding'
import type { QTensor } from '../core/tensor'
import type { Work } from '../core/work'
import { expectEqual, expectPerTensor } from './checks'

export interface AddPlan {
  readonly leftShift: number
  readonly a: QuantizedMultiplier
  readonly b: QuantizedMultiplier
  readonly out: QuantizedMultiplier
  readonly rounding: RoundingMode
}

export function headroomShift(f: IntFormat): number {
  return f.bits <= 8 ? 20 : f.bits <= 16 ? 15 : Math.max(0, 31 - f.bits)
}

export function addPlan(sa: number, sb: number, sy: number, inputFormat: IntFormat, rounding: RoundingMode): AddPlan {
  const twiceMax = 2 * Math.max(sa, sb)
  const leftShift = headroomShift(inputFormat)
  return {
    leftShift,
    a: quantizeMultiplier(sa / twiceMax),
    b: quantizeMultiplier(sb / twiceMax),
    out: quantizeMultiplier(twiceMax / (2 ** leftShift * sy)),
    rounding,
  }
}

export interface AddArgs {
  readonly a: QTensor
  readonly b: QTensor
  readonly out: QTensor
  readonly plan: AddPlan
  readonly rng?: UniformSource
}

export function addRescaled({ a, b, out, plan, rng }: AddArgs, work: Work): void {
  expectEqual('add operand sizes', a.data.length, b.data.length)
  expectEqual('add output size', out.data.length, a.data.length)
  expectPerTensor('add input a', a.quant.zeroPoints)
  expectPerTensor('add input b', b.quant.zeroPoints)
  expectPerTensor('add output', out.quant.zeroPoints)
  const za = a.quant.zeroPoints[0]
  const zb = b.quant.zeroPoints[0]
  const zy = out.quant.zeroPoints[0]
  const shift = 2 ** plan.leftShift
  const { rounding } = plan
  const ad = a.data
  const bd = b.data
  const o = out.data
  for (let i = 0; i < ad.length; i++) {
    const ra = applyMultiplier((ad[i] - za) * shift, plan.a, rounding, rng)
    const rb = applyMultiplier((bd[i] - zb) * shift, plan.b, rounding, rng)
    o[i] = saturateOutput(applyMultiplier(ra + rb, plan.out, rounding, rng), zy, out.format, work)
  }
  work.elementOps += 3 * ad.length // two rescales and one add per element; the output rescale is a requantization
  work.bytesRead += packedBytes(a.format, ad.length) + packedBytes(b.format, bd.length)
  work.bytesWritten += packedBytes(out.format, o.length)
}
