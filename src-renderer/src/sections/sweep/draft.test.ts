import { describe, expect, it } from 'vitest'
import { DEFAULT_SWEEP } from '../../../../simulators/sweep/spec'
import { parseSweep } from '../../../../simulators/sweep/trials'
import { FORM_FIELDS, draftFromSpec, draftToSpec, errorsAt, parseList, unclaimed } from './draft'

describe('the sweep form\'s draft', () => {
  it('starts from the default sweep and gives it back unchanged', () => {
    const d = draftFromSpec(structuredClone(DEFAULT_SWEEP))
    expect(d.devices).toEqual(DEFAULT_SWEEP.devices)
    expect(d.algorithms).toEqual(['backprop', 'zo-spsa'])
    expect(d.settings.map((s) => [s.weightBits, s.activationBits])).toEqual([['8', '8'], ['16', '8'], ['16', '16']])
    expect(d.constraints.minAccuracyPct).toBe('70')
    const { spec, local } = draftToSpec(d)
    expect(local).toEqual([])
    expect(spec).toEqual({ ...structuredClone(DEFAULT_SWEEP), constraints: { ...DEFAULT_SWEEP.constraints, mustFit: true } })
    const parsed = parseSweep(spec)
    expect(parsed.ok && parsed.trials.length).toBe(6)
  })

  it('builds the grid, seeds and runs from the fields', () => {
    const d = draftFromSpec(DEFAULT_SWEEP)
    d.gridWeightBits = '4, 8,16'
    d.seeds = '1 2'
    d.algorithms = ['zo-spsa']
    const { spec } = draftToSpec(d)
    expect(spec.grid).toEqual({ weightBits: [4, 8, 16] })
    expect(spec.seeds).toEqual([1, 2])
    expect(spec.runs).toEqual([{ algorithm: 'zo-spsa' }])
  })

  it('keeps runs with hyperparameters and the fields the form has no control for', () => {
    const d = draftFromSpec({ ...DEFAULT_SWEEP, runs: [{ algorithm: 'zo-spsa', hyperparameters: { lrFraction: 0.004 } }], sample: { count: 3, seed: 7 } })
    const { spec } = draftToSpec(d)
    expect(spec.runs).toEqual([{ algorithm: 'zo-spsa', hyperparameters: { lrFraction: 0.004 } }])
    expect(spec.sample).toEqual({ count: 3, seed: 7 })
  })

  it('reports a JSON syntax error of the experiment under `experiment`', () => {
    const d = draftFromSpec(DEFAULT_SWEEP)
    d.experimentText = '{ "steps": '
    expect(draftToSpec(d).local.map((e) => e.path)).toEqual(['experiment'])
  })

  it('parses lists, leaving what is not a number for the schema to name', () => {
    expect(parseList('4, 8,16 ')).toEqual([4, 8, 16])
    expect(parseList('4, x')).toEqual([4, 'x'])
    expect(parseList('')).toEqual([])
  })
})

describe('errors by field', () => {
  // the paths parseSweep writes
  const errors = [
    { path: 'devices', message: 'must have at least 1 item' },
    { path: 'formats[1].weightBits', message: 'must be at most 32, got 40' },
    { path: 'grid.weightBits[1]', message: 'must be a number, got "x"' },
    { path: 'grid', message: 'makes 200000 trials' },
    { path: 'constraints.minAccuracy', message: 'must be at most 1, got 7' },
    { path: 'hyperparameterGrid.zo-spsa', message: 'no run uses the algorithm "zo-spsa"' },
  ]

  it('each field gets the errors at or below its path, bracketed indices included', () => {
    expect(errorsAt(errors, 'devices')).toEqual(['must have at least 1 item'])
    expect(errorsAt(errors, 'formats')).toEqual(['[1].weightBits: must be at most 32, got 40'])
    expect(errorsAt(errors, 'grid.weightBits')).toEqual(['[1]: must be a number, got "x"'])
    expect(errorsAt(errors, 'grid', true)).toEqual(['makes 200000 trials'])
    expect(errorsAt(errors, 'dev')).toEqual([])
  })

  it('errors no field shows are left for the list above Start, none lost', () => {
    expect(unclaimed(errors, FORM_FIELDS).map((e) => e.path)).toEqual(['hyperparameterGrid.zo-spsa'])
    expect(unclaimed([{ path: 'constraints.requiredFormats', message: 'must be an object' }], FORM_FIELDS)).toHaveLength(1)
  })
})
