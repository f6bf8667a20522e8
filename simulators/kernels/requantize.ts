/**
 * Requantize an accumulator tensor into an integer tensor (the output stage of dense/conv layers).
 * Channel = last axis (NHWC and [N, M] both keep output channels last), so per-channel plans hold one
 * multiplier per output channel. Plans are prepared once per layer so that the step loop allocates nothing.
 */
import { applyMultiplier, quantizeMultiplier, scaleFloat32, type QuantizedMultiplier } from '../core/requantize'
import { roundReal } from '../core/quant'
import { roundSplit, splitMultiplier, type SplitMultiplier } from '../core/rounding'
import type { RoundingMode, UniformSource } from '../core/rounding'
import { maxValue, minValue, packedBytes } from '../core/int-format'
import type { AccTensor, QTensor } from '../core/tensor'
import type { Work } from '../core/work'
import { expectEqual, expectPerTensor } from './checks'

export type RequantPlan =
  | {
      readonly kind: 'fixed'
      readonly multipliers: readonly QuantizedMultiplier[]
      /** the same multipliers prepared for the fast exact path (no per-value Math.pow) */
      readonly split: readonly SplitMultiplier[]
      readonly rounding: RoundingMode
    }
  | { readonly kind: 'float'; readonly scales32: Float64Array; readonly rounding: RoundingMode }

/** Fixed-point plan from real multipliers s_x·s_w[c]/s_y (one, or one per output channel). */
export function fixedPlan(realMultipliers: ArrayLike<number>, rounding: RoundingMode): RequantPlan {
  const multipliers = Array.from(realMultipliers, quantizeMultiplier)
  return { kind: 'fixed', multipliers, split: multipliers.map(splitMultiplier), rounding }
}

/** Float-scale plan (onnxruntime style); scales are rounded to float32 here. */
export function floatPlan(scales: ArrayLike<number>, rounding: RoundingMode = 'half-even'): RequantPlan {
  return { kind: 'float', scales32: Float64Array.from(scales, (s) => Math.fround(s)), rounding }
}

export interface RequantizeArgs {
  readonly acc: AccTensor
  readonly plan: RequantPlan
  readonly out: QTensor
  /** required when the plan rounds stochastically; one draw per inexact value, in output order (exact values take none) */
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
  const lo = minValue(out.format)
  const hi = maxValue(out.format)
  // With the zero point at the format's minimum, real 0 is the lowest code: a value clamped there is a
  // negative real made 0, the fused ReLU of a [0, max] range, not range lost. Only real clipping counts.
  const lowClips = zy !== lo ? 1 : 0
  const n = acc.data.length
  const a = acc.data
  const o = out.data
  const mode = plan.rounding
  if (plan.kind === 'fixed') {
    const split = plan.split
    let clipped = 0
    for (let i = 0; i < n; i++) {
      const c = perChannel === 1 ? 0 : i % channels
      const v = a[i]
      const sp = split[c]
      // fast exact path (see rounding.ts mulShiftRound): |acc| < 2^32 and 16 <= s <= 52
      const r = typeof v === 'number' && sp.fast && v < 4294967296 && v > -4294967296
        ? roundSplit(v, sp, mode, rng)
        : applyMultiplier(v, plan.multipliers[c], mode, rng)
      let y = r + zy
      if (y < lo) { y = lo; clipped += lowClips } else if (y > hi) { y = hi; clipped++ }
      o[i] = y
    }
    work.requantizations += n
    work.clipped += clipped
  } else {
    // onnxruntime/MLAS: float32(acc) × scale32 in float32, rounded, plus zero point, saturated
    let clipped = 0
    for (let i = 0; i < n; i++) {
      const s = plan.scales32[perChannel === 1 ? 0 : i % channels]
      const v = scaleFloat32(Number(a[i]), s)
      let y: number
      // MLAS clamps the float32 product to [lo − z_y, hi − z_y] before rounding, so an overflowed (±∞)
      // multiplier saturates; 0 × ∞ = NaN converts to integer 0 (wasm i32.trunc_sat, as onnxruntime-web
      // runs it), leaving the zero point. Checked against onnxruntime in requantize-overflow.test.ts.
      if (v !== v) y = zy
      else if (v === Infinity) y = hi
      else if (v === -Infinity) y = lo
      else y = roundReal(v, mode, rng) + zy
      if (y < lo) { y = lo; clipped += lowClips } else if (y > hi) { y = hi; clipped++ }
      o[i] = y
    }
    work.requantizations += n
    work.clipped += clipped
  }
  work.bytesRead += (n * acc.format.bits) / 8
  work.bytesWritten += packedBytes(out.format, n)
}
