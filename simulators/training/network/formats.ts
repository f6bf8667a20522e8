/**
 * The numeric formats a training run uses on the device: widths of weights, activations and gradients,
 * the accumulator, weight-scale granularity, and the rounding of requantization. Validated with errors
 * that name the field.
 */
import { accumulatorFormat, type AccumulatorFormat, type Overflow } from '../../core/accumulator'
import { intFormat, type IntFormat } from '../../core/int-format'
import { ROUNDING_MODES, type RoundingMode } from '../../core/rounding'

export interface NumericFormatsSpec {
  /** signed weight width, 2–32 bits (symmetric quantization) */
  weightBits: number
  /** signed activation width, 2–32 bits (asymmetric, zero point chosen by calibration) */
  activationBits: number
  /** signed gradient width, 2–32 bits (per-tensor dynamic scale) */
  gradientBits: number
  accumulatorBits: 16 | 24 | 32 | 40 | 48 | 64
  accumulatorOverflow: Overflow
  /** weight scales per tensor or per output channel */
  weightGranularity: 'per-tensor' | 'per-channel'
  /** rounding of activation and gradient requantization */
  rounding: RoundingMode
}

export interface NumericFormats {
  spec: NumericFormatsSpec
  weight: IntFormat
  activation: IntFormat
  gradient: IntFormat
  /** biases live in the accumulator domain (scale s_x·s_w), as 32-bit integers (TFLite's convention) */
  bias: IntFormat
  accumulator: AccumulatorFormat
}

/**
 * The default experiment's formats: W16A8 with 16-bit gradients, and a 32-bit saturating accumulator
 * with half-away rounding, which every preset supports (64-bit accumulators and half-even rounding rule
 * out most MCUs, DSPs and every NPU preset). Where a device lacks 16-bit weights, the experiment's
 * `deviceFormats: 'nearest'` trains it at the nearest formats it has (experiment/plan.ts).
 */
export const DEFAULT_FORMATS: NumericFormatsSpec = {
  weightBits: 16,
  activationBits: 8,
  gradientBits: 16,
  accumulatorBits: 32,
  accumulatorOverflow: 'saturate',
  weightGranularity: 'per-channel',
  rounding: 'half-away',
}

/**
 * The rounding modes a run may train at. Stochastic rounding is a mode of the arithmetic (core/rounding.ts)
 * and of the weight updates (the `rounding` hyperparameter of backprop, zo-spsa, …), but the network's
 * forward and backward requantization draw no random numbers, so a run cannot use it for activations
 * and gradients: experiments and sweeps reject it when they are validated, with this reason.
 */
export const TRAINABLE_ROUNDING_MODES: readonly RoundingMode[] = ROUNDING_MODES.filter((m) => m !== 'stochastic')
export const STOCHASTIC_FORMATS_REASON = 'stochastic rounding is not available for activations and gradients (the network requantizes deterministically); use half-away, half-even or floor. Stochastic rounding of weight updates is the algorithm\'s "rounding" hyperparameter'

/** Float mode: formats so wide that the integer engine is not the limit (used as the fp reference). */
export function resolveFormats(spec: NumericFormatsSpec, field = 'formats'): NumericFormats {
  if (!(ROUNDING_MODES as readonly string[]).includes(spec.rounding)) {
    throw new RangeError(`${field}.rounding must be one of ${ROUNDING_MODES.join(', ')}, got "${spec.rounding}"`)
  }
  if (spec.rounding === 'stochastic') throw new RangeError(`${field}.rounding: ${STOCHASTIC_FORMATS_REASON}`)
  if (spec.weightGranularity !== 'per-tensor' && spec.weightGranularity !== 'per-channel') {
    throw new RangeError(`${field}.weightGranularity must be "per-tensor" or "per-channel", got "${spec.weightGranularity}"`)
  }
  return {
    spec,
    weight: intFormat(spec.weightBits, true, `${field}.weightBits`),
    activation: intFormat(spec.activationBits, true, `${field}.activationBits`),
    gradient: intFormat(spec.gradientBits, true, `${field}.gradientBits`),
    bias: intFormat(32, true),
    accumulator: accumulatorFormat(spec.accumulatorBits, spec.accumulatorOverflow, `${field}.accumulator`),
  }
}

/** Bytes one value of a format occupies in device memory (packed: int4 is half a byte). */
export function bytesPer(f: IntFormat): number {
  return f.bits / 8
}
