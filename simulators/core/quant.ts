/**
 * Quantization parameters and float ↔ integer conversion. real = scale · (q − zeroPoint).
 * Per-tensor parameters have one scale and one zero point; per-channel parameters have one per slice
 * along `axis` (the output-channel axis: 0 for dense [out, in] and conv OHWI, last for depthwise).
 * Symmetric quantization fixes the zero point at 0; asymmetric chooses it so that real 0 is exact.
 */
import { maxValue, minValue, type IntFormat } from './int-format'
import { roundFromFloor, type RoundingMode, type UniformSource } from './rounding'
import { allocStorage, sizeOf, type IntStorage } from './storage'

export interface QuantParams {
  /** one scale per channel along `axis`, or a single scale */
  readonly scales: Float64Array
  /** one zero point per channel along `axis`, or a single zero point (Float64Array: uint32 zero points exceed int32) */
  readonly zeroPoints: Float64Array
  /** channel axis for per-channel parameters; ignored for per-tensor ones */
  readonly axis: number
}

export function perTensor(scale: number, zeroPoint = 0): QuantParams {
  return { scales: Float64Array.of(scale), zeroPoints: Float64Array.of(zeroPoint), axis: 0 }
}

export function perChannel(scales: ArrayLike<number>, zeroPoints: ArrayLike<number> | number, axis: number): QuantParams {
  const zp = typeof zeroPoints === 'number' ? new Float64Array(scales.length).fill(zeroPoints) : Float64Array.from(zeroPoints)
  if (zp.length !== scales.length) throw new RangeError(`per-channel quantization has ${scales.length} scales but ${zp.length} zero points`)
  return { scales: Float64Array.from(scales), zeroPoints: zp, axis }
}

export function isPerChannel(q: QuantParams): boolean {
  return q.scales.length > 1
}

/** Number of consecutive elements that share one channel index, and the channel count, for `axis`. */
export function channelStride(shape: readonly number[], axis: number): { inner: number; channels: number } {
  return { inner: sizeOf(shape.slice(axis + 1)), channels: shape[axis] }
}

/** Rounds a real number to an integer with the given mode (values are exact doubles). */
export function roundReal(v: number, mode: RoundingMode, rng?: UniformSource): number {
  const q = Math.floor(v)
  const frac = v - q // exact: v and q are within 2^52 of each other in magnitude
  if (frac === 0) return q
  if (mode === 'stochastic') {
    if (!rng) throw new Error('stochastic rounding needs a UniformSource')
    return rng.next() / 2 ** 32 < frac ? q + 1 : q
  }
  // express the fraction as r/d with d = 2^k so roundFromFloor can compare exactly
  return roundFromFloor(q, frac * 2 ** 52, 2 ** 52, mode)
}

/**
 * How the quotient x / scale is formed before rounding. The engine quantizes weights and activations
 * from doubles, so two definitions are offered and the caller picks one per call:
 * - 'exact': round the exact double quotient x / scale (the mathematical definition; the default, and
 *   what every existing caller used before this option existed).
 * - 'onnx-float32': onnxruntime's QuantizeLinear on float input (MLAS MlasQuantizeLinear,
 *   onnxruntime/core/mlas/lib/quantize.cpp): x and scale are float32, the quotient is a float32
 *   *division* (not a multiply by a reciprocal), clamped to [qmin − zp, qmax − zp], rounded half to even
 *   (nearbyintf under the default rounding mode), then the zero point is added. The float32 rounding of
 *   the quotient moves near-tie inputs across the .5 boundary, so the two disagree on near-ties.
 * It is a per-call parameter, not a global, because one model may mix both (onnx parity tests vs exact
 * integer references), and because quantizeInto is the single place the engine quantizes.
 */
export type QuantizeSemantics = 'exact' | 'onnx-float32'
export const QUANTIZE_SEMANTICS: readonly QuantizeSemantics[] = ['exact', 'onnx-float32']

/** Throws a RangeError naming `field` unless every scale is finite and > 0 (a zero/negative/NaN scale has no inverse map). */
export function checkScales(scales: ArrayLike<number>, field = 'scale'): void {
  for (let i = 0; i < scales.length; i++) {
    const s = scales[i]
    if (!Number.isFinite(s) || !(s > 0)) {
      throw new RangeError(`${field}${scales.length > 1 ? `[${i}]` : ''} must be a finite number > 0, got ${s}`)
    }
  }
}

/** One value under onnxruntime's float32 semantics (see QuantizeSemantics), already offset and saturated. */
export function quantizeOnnxFloat32(x: number, scale: number, zeroPoint: number, lo: number, hi: number): number {
  const f = Math.fround
  let v = f(f(x) / f(scale))
  // MLAS clamps before rounding, so ±∞ quotients saturate instead of becoming NaN
  if (v < lo - zeroPoint) v = lo - zeroPoint
  else if (v > hi - zeroPoint) v = hi - zeroPoint
  return roundReal(v, 'half-even') + zeroPoint
}

/**
 * Quantizes real values: q = clamp(round(x / scale) + zeroPoint). Returns the number of clipped values.
 * `semantics` chooses the exact double quotient or onnxruntime's float32 one (QuantizeSemantics);
 * 'onnx-float32' always rounds half to even, as onnxruntime does, and rejects other modes.
 */
export function quantizeInto(
  x: ArrayLike<number>,
  shape: readonly number[],
  format: IntFormat,
  params: QuantParams,
  out: IntStorage,
  mode: RoundingMode = 'half-even',
  rng?: UniformSource,
  semantics: QuantizeSemantics = 'exact',
): number {
  checkScales(params.scales)
  if (semantics === 'onnx-float32' && mode !== 'half-even') {
    throw new RangeError(`quantize semantics 'onnx-float32' rounds half to even only; got rounding '${mode}'`)
  }
  const lo = minValue(format)
  const hi = maxValue(format)
  const { inner, channels } = isPerChannel(params) ? channelStride(shape, params.axis) : { inner: 1, channels: 1 }
  let clipped = 0
  for (let i = 0; i < x.length; i++) {
    const c = channels === 1 ? 0 : Math.floor(i / inner) % channels
    let q: number
    if (semantics === 'onnx-float32') {
      const z = params.zeroPoints[c]
      q = quantizeOnnxFloat32(x[i], params.scales[c], z, lo, hi)
      // count as clipped what the unclamped float32 quotient would have put outside the range
      const raw = Math.fround(Math.fround(x[i]) / Math.fround(params.scales[c]))
      if (raw < lo - z - 0.5 || raw > hi - z + 0.5) clipped++
    } else {
      q = roundReal(x[i] / params.scales[c], mode, rng) + params.zeroPoints[c]
      if (q < lo) { q = lo; clipped++ } else if (q > hi) { q = hi; clipped++ }
    }
    out[i] = q
  }
  return clipped
}

export function quantize(
  x: ArrayLike<number>, shape: readonly number[], format: IntFormat, params: QuantParams,
  mode: RoundingMode = 'half-even', rng?: UniformSource, semantics: QuantizeSemantics = 'exact',
): IntStorage {
  const out = allocStorage(format, x.length)
  quantizeInto(x, shape, format, params, out, mode, rng, semantics)
  return out
}

export function dequantize(q: ArrayLike<number>, shape: readonly number[], params: QuantParams): Float64Array {
  const out = new Float64Array(q.length)
  const { inner, channels } = isPerChannel(params) ? channelStride(shape, params.axis) : { inner: 1, channels: 1 }
  for (let i = 0; i < q.length; i++) {
    const c = channels === 1 ? 0 : Math.floor(i / inner) % channels
    out[i] = params.scales[c] * (q[i] - params.zeroPoints[c])
  }
  return out
}

/**
 * Chooses parameters that cover [min, max] (widened to include 0, so zero padding is exact).
 * symmetric: scale = max|x| / qmax, zero point 0 (signed formats); asymmetric: the range maps onto
 * [qmin, qmax] with a rounded, clamped zero point. A degenerate range (narrower than MIN_RANGE, where
 * the scale would underflow to a subnormal or zero) gets scale 1: every value then quantizes to the zero point.
 */
export const MIN_RANGE = 1e-30

export function chooseParams(min: number, max: number, format: IntFormat, symmetric: boolean): { scale: number; zeroPoint: number } {
  const lo = Math.min(min, 0)
  const hi = Math.max(max, 0)
  const qmin = minValue(format)
  const qmax = maxValue(format)
  if (symmetric) {
    const m = Math.max(-lo, hi)
    const scale = m > MIN_RANGE ? m / qmax : 1
    return { scale, zeroPoint: format.signed ? 0 : Math.round((qmax + 1) / 2) }
  }
  if (hi - lo <= MIN_RANGE) return { scale: 1, zeroPoint: Math.min(Math.max(0, qmin), qmax) }
  const scale = (hi - lo) / (qmax - qmin)
  const zp = Math.min(qmax, Math.max(qmin, Math.round(qmin - lo / scale)))
  return { scale, zeroPoint: zp }
}

/** Per-tensor or per-channel parameters for a real tensor, from its observed range. */
export function calibrate(
  x: ArrayLike<number>, shape: readonly number[], format: IntFormat,
  opts: { symmetric: boolean; axis?: number },
): QuantParams {
  if (opts.axis === undefined) {
    let lo = Infinity, hi = -Infinity
    for (let i = 0; i < x.length; i++) { lo = Math.min(lo, x[i]); hi = Math.max(hi, x[i]) }
    const p = chooseParams(lo, hi, format, opts.symmetric)
    return perTensor(p.scale, p.zeroPoint)
  }
  const { inner, channels } = channelStride(shape, opts.axis)
  const lo = new Float64Array(channels).fill(Infinity)
  const hi = new Float64Array(channels).fill(-Infinity)
  for (let i = 0; i < x.length; i++) {
    const c = Math.floor(i / inner) % channels
    lo[c] = Math.min(lo[c], x[i]); hi[c] = Math.max(hi[c], x[i])
  }
  const scales = new Float64Array(channels)
  const zps = new Float64Array(channels)
  for (let c = 0; c < channels; c++) {
    const p = chooseParams(lo[c], hi[c], format, opts.symmetric)
    scales[c] = p.scale; zps[c] = p.zeroPoint
  }
  return { scales, zeroPoints: zps, axis: opts.axis }
}
