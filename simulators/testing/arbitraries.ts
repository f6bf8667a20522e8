/** Shared fast-check arbitraries for the engine's property tests. */
import fc from 'fast-check'
import { ACCUMULATOR_BITS, type AccumulatorFormat } from '../core/accumulator'
import { intFormat, maxValue, minValue, type IntFormat } from '../core/int-format'
import type { RoundingMode } from '../core/rounding'

export const deterministicModes = fc.constantFrom<Exclude<RoundingMode, 'stochastic'>>('half-away', 'half-even', 'floor')

export const anyFormat: fc.Arbitrary<IntFormat> = fc.record({ bits: fc.integer({ min: 2, max: 32 }), signed: fc.boolean() }).map((f) => intFormat(f.bits, f.signed))

/** Formats an edge accelerator actually uses, weighted towards them. */
export const commonFormat: fc.Arbitrary<IntFormat> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(intFormat(8, true), intFormat(8, false), intFormat(16, true), intFormat(4, true)) },
  { weight: 1, arbitrary: anyFormat },
)

export const accFormat: fc.Arbitrary<AccumulatorFormat> = fc.record({
  bits: fc.constantFrom(...ACCUMULATOR_BITS),
  overflow: fc.constantFrom<'saturate' | 'wrap'>('saturate', 'wrap'),
})

/** A value in the format's range, with extra weight on the extremes (where saturation lives). */
export function valueIn(f: IntFormat): fc.Arbitrary<number> {
  const lo = minValue(f)
  const hi = maxValue(f)
  return fc.oneof({ weight: 3, arbitrary: fc.integer({ min: lo, max: hi }) }, { weight: 1, arbitrary: fc.constantFrom(lo, hi, lo + 1, hi - 1) })
}

export function valuesIn(f: IntFormat, n: number): fc.Arbitrary<number[]> {
  return fc.array(valueIn(f), { minLength: n, maxLength: n })
}
