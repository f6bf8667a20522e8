import { describe, expect, it } from 'vitest'
import { FORMAT_FIELDS, changeWords, formatWords, formatsTag, formatsWords, ownFormatsText } from './formats-text'
import { defaultSpecFixture } from './catalog.testing'

const f = defaultSpecFixture().formats

describe('formats in words', () => {
  it('lists every field of the spec', () => {
    expect([...FORMAT_FIELDS].sort()).toEqual(Object.keys(f).sort())
  })

  it('tags what a device decides on, gradients only where used', () => {
    expect(formatsTag(f)).toBe('W16 A8 G16 acc32 half-away')
    expect(formatsTag({ ...f, weightBits: 8 }, false)).toBe('W8 A8 acc32 half-away')
  })

  it('says every field in words for the tooltip', () => {
    expect(formatsWords(f)).toBe('16-bit weights, 8-bit activations, 16-bit gradients, 32-bit accumulators, accumulators saturate on overflow, weight scales per-channel, half-away rounding')
    expect(formatsWords(f, false)).not.toMatch(/gradients/)
  })

  it('names only the fields a run overrides, in the form’s order, wrong values as they are', () => {
    expect(ownFormatsText(undefined)).toBe('')
    expect(ownFormatsText({})).toBe('')
    expect(ownFormatsText({ rounding: 'half-even', weightBits: 8 })).toBe('W8, half-even rounding')
    expect(ownFormatsText({ accumulatorOverflow: 'wrap', weightGranularity: 'per-tensor', gradientBits: '' })).toBe('G, wrap overflow, per-tensor weights')
  })
})

describe('changeWords', () => {
  it('says a change without the device', () => {
    expect(changeWords({ field: 'weightBits', requested: 16, used: 8 })).toBe('16-bit weights → 8-bit')
    expect(changeWords({ field: 'accumulatorBits', requested: 64, used: 32 })).toBe('64-bit accumulators → 32-bit')
    expect(changeWords({ field: 'rounding', requested: 'half-even', used: 'half-away' })).toBe('half-even rounding → half-away')
    expect(formatWords('weightBits', 16)).toBe('16-bit weights')
  })
})
