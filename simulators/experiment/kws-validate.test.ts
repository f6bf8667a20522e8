import { describe, expect, test } from 'vitest'
import { parseExperiment } from './validate'

const kws = { dataset: 'kws-espeak', shift: 'unseen-voices', corruption: 'none', pretrainPerClass: 64, shots: 8, testPerClass: 24 }
const paths = (raw: unknown) => {
  const r = parseExperiment(raw)
  return r.ok ? [] : r.errors.map((e) => e.path)
}

describe('kws-espeak experiment validation', () => {
  test('the DS-CNN on kws-espeak is valid', () => {
    expect(paths({ data: kws, model: 'dscnn-kws' })).toEqual([])
  })
  test('an MNIST model on MFCCs is rejected at model (input shape)', () => {
    const r = parseExperiment({ data: kws, model: 'cnn-mnist' })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors[0]).toMatchObject({ path: 'model', message: expect.stringMatching(/\[49, 10, 1\]/) })
  })
  test('the DS-CNN on MNIST is rejected at model', () => {
    expect(paths({ model: 'dscnn-kws' })).toContain('model')
  })
  test('split sizes, corruption, shift and class ids are checked with their field', () => {
    expect(paths({ data: { ...kws, pretrainPerClass: 65 }, model: 'dscnn-kws' })).toEqual(['data.pretrainPerClass'])
    expect(paths({ data: { ...kws, shots: 32 }, model: 'dscnn-kws' })).toEqual(['data.shots'])
    expect(paths({ data: { ...kws, corruption: 'rotate' }, model: 'dscnn-kws' })).toEqual(['data.corruption'])
    expect(paths({ data: { shift: 'unseen-voices' } })).toEqual(['data.shift'])
    expect(paths({ data: { classes: [0, 10] } })).toEqual(['data.classes[1]'])
    expect(paths({ data: { ...kws, classes: [0, 11] }, model: 'dscnn-kws' })).toEqual([])
  })
})
