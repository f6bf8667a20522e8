/**
 * Requantize an accumulator tensor into an integer tensor (the output stage of dense/conv layers).
 * Channel = last axis (NHWC and [N, M] both keep output channels last), so per-channel plans hold one
 * multiplier per output channel. Plans are prepared once per layer so that the step loop allocates nothing.
 */
import { quantizeMultiplier, requantizeFixed, requantizeFloat, type QuantizedMultiplier } from '../core/requantize'
import type { RoundingMode, UniformSource } from '../core/rounding'
import { packedBytes } from '../core/int-format'
import type { AccTensor, QTensor } from '../core/tensor'
import type { Work } from '../core/work'
import { expectEqual, expectPerTensor } from './checks'

export type RequantPlan =
  | { readonly kind: 'fixed'; readonly multipliers: readonly QuantizedMultiplier[]; readonly rounding: RoundingMode }
  | { readonly kind: 'float'; readonly scales32: Float64Array; readonly rounding: RoundingMode }

/** Fixed-point plan from real multipliers s_x·s_w[c]/s_y (one, or one per output channel). */
export function fixedPlan(realMultipliers: ArrayLike<number>, rounding: RoundingMode): RequantPlan {
  return { kind: 'fixed', multipliers: Array.from(realMultipliers, quantizeMultiplier), rounding }
}

/** Float-scale plan (onnxruntime style); scales are rounded to float32 here. */
export function floatPlan(scales: ArrayLike<number>, rounding: RoundingMode = 'half-even'): RequantPlan {
  return { kind: 'float', scales32: Float64Array.from(scales, (s) => Math.fround(s)), rounding }
}

export interface RequantizeArgs {
  readonly acc: AccTensor
  readonly plan: RequantPlan
  readonly out: QTensor
  /** required when the plan rounds stochastically; one draw per output value, in order */
  readonly rng?: UniformSource
}

export function requantize({ acc, plan, out, rng }: RequantizeArgs, work: Work): void {
  expectEqual('requantize output size', out.data.length, acc.data.length)
  expectPerTensor('requantize output', out.quant.zeroPoints)
  const channels = acc.shape[acc.shape.length - 1]
  const perChannel = plan.kind === 'fixed' ? plan.multipliers.length : plan.scales32.length
  if (perChannel !== 1 && perChannel !== channels) {
    throw new RangeError(`requantize plan has ${perChannel} multipliers; expected 1 or ${channels}`)
  }
  const zy = out.quant.zeroPoints[0]
  const fmt = out.format
  const n = acc.data.length
  const a = acc.data
  const o = out.data
  if (plan.kind === 'fixed') {
    for (let i = 0; i < n; i++) {
      const m = plan.multipliers[perChannel === 1 ? 0 : i % channels]
      o[i] = requantizeFixed(a[i], m, zy, fmt, plan.rounding, work, rng)
    }
  } else {
    for (let i = 0; i < n; i++) {
      const s = plan.scales32[perChannel === 1 ? 0 : i % channels]
      o[i] = requantizeFloat(a[i], s, zy, fmt, plan.rounding, work, rng)
    }
  }
  work.bytesRead += (n * acc.format.bits) / 8
  work.bytesWritten += packedBytes(fmt, n)
}
