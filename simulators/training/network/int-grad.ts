/**
 * Integer gradients for the backward pass: codes in the gradient format with a per-tensor dynamic
 * scale (the largest magnitude maps to the format's maximum), produced from exact accumulators through
 * the engine's fixed-point requantization.
 */
import { maxValue, type IntFormat } from '../../core/int-format'
import { applyMultiplier, quantizeMultiplier } from '../../core/requantize'
import { roundReal } from '../../core/quant'
import type { RoundingMode, UniformSource } from '../../core/rounding'
import type { Work } from '../../core/work'

/** real value = codes[i] · scale; codes lie in the gradient format */
export interface Grad {
  codes: Float64Array
  scale: number
  count: number
}

function saturate(v: number, hi: number): number {
  return v > hi ? hi : v < -hi - 1 ? -hi - 1 : v
}

/**
 * Requantizes exact accumulators (real = acc · accScale) to the gradient format with a dynamic scale:
 * s = max|acc| · accScale / qmax, codes = round(acc · qmax / max|acc|) by fixed-point multiplier.
 */
export function requantDynamic(acc: Float64Array, count: number, accScale: number, fmt: IntFormat, mode: RoundingMode, work: Work, out: Float64Array, rng?: UniformSource): Grad {
  let mx = 0
  for (let i = 0; i < count; i++) { const a = Math.abs(acc[i]); if (a > mx) mx = a }
  const qmax = maxValue(fmt)
  if (mx === 0) {
    out.fill(0, 0, count)
    return { codes: out, scale: accScale, count }
  }
  const m = quantizeMultiplier(qmax / mx)
  for (let i = 0; i < count; i++) out[i] = saturate(applyMultiplier(acc[i], m, mode, rng), qmax)
  work.requantizations += count
  work.elementOps += count // the max-abs scan
  return { codes: out, scale: (mx * accScale) / qmax, count }
}

/** Host-side quantization of a real gradient (the loss gradient) into the gradient format. */
export function quantizeRealGrad(real: Float64Array, count: number, fmt: IntFormat, out: Float64Array): Grad {
  let mx = 0
  for (let i = 0; i < count; i++) mx = Math.max(mx, Math.abs(real[i]))
  const qmax = maxValue(fmt)
  const scale = mx > 0 ? mx / qmax : 1
  for (let i = 0; i < count; i++) out[i] = saturate(roundReal(real[i] / scale, 'half-even'), qmax)
  return { codes: out, scale, count }
}

/**
 * dst += src in the larger of the two scales: the finer-scaled operand is brought to the coarser scale
 * by a fixed-point multiplier (≤ 1) with the given rounding, then codes add and saturate. Used where a
 * node's output feeds two consumers (residual sources).
 */
export function mergeGrad(dst: Grad, src: Grad, fmt: IntFormat, mode: RoundingMode, work: Work): Grad {
  const qmax = maxValue(fmt)
  const coarse = Math.max(dst.scale, src.scale)
  const mD = quantizeMultiplier(dst.scale / coarse)
  const mS = quantizeMultiplier(src.scale / coarse)
  for (let i = 0; i < dst.count; i++) {
    const a = dst.scale === coarse ? dst.codes[i] : applyMultiplier(dst.codes[i], mD, mode)
    const b = src.scale === coarse ? src.codes[i] : applyMultiplier(src.codes[i], mS, mode)
    dst.codes[i] = saturate(a + b, qmax)
  }
  work.elementOps += dst.count
  work.requantizations += dst.count
  dst.scale = coarse
  return dst
}
