import { describe, expect, it } from 'vitest'
import { dropEmptyRunFormats, duplicateRun, hyperparameterValue, newRun, normalizeDraft, numberStep, withAlgorithm } from './draft'
import { catalogFixture, defaultSpecFixture } from './catalog.testing'

const defaults = defaultSpecFixture()

describe('normalizeDraft', () => {
  it('gives the defaults for nothing or garbage', () => {
    for (const raw of [undefined, null, 3, 'x', []]) expect(normalizeDraft(raw, defaults)).toEqual(defaults)
  })

  it('keeps the user’s values, wrong or not, and fills missing fields', () => {
    const d = normalizeDraft({ steps: '', data: { shots: 0 }, runs: [{ algorithm: 'backprop', hyperparameters: { lr: 1 } }] }, defaults)
    expect(d.steps).toBe('')
    expect(d.data).toEqual({ ...defaults.data, shots: 0 })
    expect(d.formats).toEqual(defaults.formats)
    expect(d.runs).toEqual([{ algorithm: 'backprop', scope: { kind: 'all' }, hyperparameters: { lr: 1 } }])
    expect(d.profiles).toEqual([])
  })

  it('repairs only the structure the form walks', () => {
    const d = normalizeDraft({ data: 'x', runs: [{ scope: 3, hyperparameters: [] }], profiles: 'stm32' }, defaults)
    expect(d.data).toEqual(defaults.data)
    expect(d.runs).toEqual([{ algorithm: '', scope: { kind: 'all' }, hyperparameters: {} }])
    expect(d.profiles).toEqual([])
    expect(normalizeDraft({ runs: [] }, defaults).runs).toEqual(defaults.runs)
  })

  it('does not share objects with the defaults', () => {
    const d = normalizeDraft(undefined, defaults)
    d.data.shots = 1
    expect(defaults.data.shots).toBe(20)
  })
})

describe('runs', () => {
  const catalog = catalogFixture()

  it('a new run uses an algorithm not yet in the list', () => {
    expect(newRun(defaults.runs, catalog)).toEqual({ algorithm: 'forward-ad', scope: { kind: 'all' }, hyperparameters: {} })
    const all = catalog.algorithms.map((a) => ({ algorithm: a.id, scope: { kind: 'all' as const }, hyperparameters: {} }))
    expect(newRun(all, catalog).algorithm).toBe('backprop')
  })

  it('a duplicate is a deep copy with a label of its own', () => {
    const run = { algorithm: 'zo-spsa', scope: { kind: 'last' as const, layers: 2 }, hyperparameters: { epsilonFraction: 0.01 } }
    const copy = duplicateRun(run)
    expect(copy).toEqual({ ...run, label: 'zo-spsa (copy)' })
    copy.hyperparameters.epsilonFraction = 1
    expect(run.hyperparameters.epsilonFraction).toBe(0.01)
    expect(duplicateRun({ ...run, label: 'mine' }).label).toBe('mine (copy)')
  })

  it('another algorithm drops the old hyperparameters and keeps the rest', () => {
    const run = { label: 'a', algorithm: 'backprop', scope: { kind: 'biases' as const }, steps: 10, hyperparameters: { lr: 1 } }
    expect(withAlgorithm(run, 'zo-spsa')).toEqual({ label: 'a', algorithm: 'zo-spsa', scope: { kind: 'biases' }, steps: 10, hyperparameters: {} })
  })

  it('shows the run’s own hyperparameter value, else the default', () => {
    const run = { algorithm: 'backprop', scope: { kind: 'all' as const }, hyperparameters: { lr: 0.5 } }
    expect(hyperparameterValue(run, 'lr', { lr: 0.05, qas: true })).toBe(0.5)
    expect(hyperparameterValue(run, 'qas', { lr: 0.05, qas: true })).toBe(true)
  })
})

describe('numberStep', () => {
  const doc = (min: number, max: number, integer?: boolean) => ({ name: 'x', kind: 'number' as const, description: '', min, max, integer })
  it('steps integers by 1', () => expect(numberStep(doc(1, 64, true), 4)).toBe(1))
  it('uses the decade of the default', () => {
    expect(numberStep(doc(0, 10), 0.05)).toBe(0.01)
    expect(numberStep(doc(0, 0.999), 0.9)).toBe(0.1)
    expect(numberStep(doc(0, 1), 1e-8)).toBe(1e-8)
    expect(numberStep(doc(0, 1e6), 256)).toBe(100)
  })
  it('uses a tenth of the range (at most 1) for a zero default', () => {
    expect(numberStep(doc(0, 0.99), 0)).toBe(0.01)
    expect(numberStep(doc(0, 1e6), 0)).toBe(1)
  })
  it('keeps the minimum on the step grid', () => {
    expect(numberStep(doc(0.01, 1e6), 128)).toBe(0.01)
    expect(numberStep(doc(0.5, 1e6), 32)).toBe(0.1)
  })
})

describe('dropEmptyRunFormats', () => {
  it('removes only empty own formats', () => {
    const d = defaultSpecFixture()
    d.runs[0].formats = {}
    d.runs[1].formats = { weightBits: 8 }
    dropEmptyRunFormats(d)
    expect('formats' in d.runs[0]).toBe(false)
    expect(d.runs[1].formats).toEqual({ weightBits: 8 })
  })
})
