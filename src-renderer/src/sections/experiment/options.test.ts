import { describe, expect, it } from 'vitest'
import { accumulatorOptions, algorithmOptions, corruptionOptions, deviceFormatOptions, modelOptions, severityHint } from './options'
import { catalogFixture } from './catalog.testing'

describe('options from the catalog', () => {
  const c = catalogFixture()

  it('offers every corruption with its description as tooltip', () => {
    expect(corruptionOptions(c)).toEqual([
      { value: 'none', label: 'none (clean target)', title: 'no shift' },
      { value: 'rotate', label: 'rotate', title: 'rotation about the centre' },
      { value: 'gaussian_noise', label: 'gaussian noise', title: 'adds Gaussian noise' },
    ])
  })

  it('shows a model’s input shape and classes, an algorithm’s reference, accumulator widths', () => {
    expect(modelOptions(c)).toEqual([{ value: 'cnn-mnist', label: 'cnn-mnist (28×28×1 → 10)', title: 'Small CNN' }])
    expect(algorithmOptions(c).map((o) => [o.value, o.title])).toEqual([['backprop', 'Rumelhart 1986'], ['zo-spsa', 'Spall 1992'], ['forward-ad', 'Baydin 2022']])
    expect(accumulatorOptions(c).map((o) => o.label)).toEqual(['16-bit', '32-bit', '64-bit'])
  })

  it('explains what severity means for the chosen corruption', () => {
    expect(severityHint(c, 'rotate')).toBe('severity 1–5: angle = 0.2 … 1.0 rad')
    expect(severityHint(c, 'none')).toBe('not used without a corruption')
  })

  it('says both ways of judging devices in words', () => {
    expect(deviceFormatOptions).toEqual([
      { value: 'nearest', label: 'each device at the nearest formats it runs' },
      { value: 'requested', label: 'every device at the requested formats' },
    ])
  })
})
