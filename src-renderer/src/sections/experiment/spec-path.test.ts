import { describe, expect, it } from 'vitest'
import { fieldId, getAt, parsePath, setAt } from './spec-path'

describe('spec paths', () => {
  it('parses the validator’s spelling', () => {
    expect(parsePath('runs[1].hyperparameters.lr')).toEqual(['runs', 1, 'hyperparameters', 'lr'])
    expect(parsePath('data.shots')).toEqual(['data', 'shots'])
    expect(parsePath('profiles[0]')).toEqual(['profiles', 0])
    expect(parsePath('')).toEqual([])
  })

  it('reads nested values and missing ones as undefined', () => {
    const spec = { data: { shots: 20 }, runs: [{ hyperparameters: {} }, { hyperparameters: { lr: 0.1 } }] }
    expect(getAt(spec, 'runs[1].hyperparameters.lr')).toBe(0.1)
    expect(getAt(spec, 'data.shots')).toBe(20)
    expect(getAt(spec, 'runs[5].hyperparameters.lr')).toBeUndefined()
    expect(getAt(spec, 'data.shots.x')).toBeUndefined()
    expect(getAt(null, 'a')).toBeUndefined()
  })

  it('sets in place, creating objects and arrays on the way', () => {
    const spec: Record<string, unknown> = { runs: [{ hyperparameters: {} }] }
    setAt(spec, 'runs[0].hyperparameters.lr', 0.2)
    setAt(spec, 'data.shots', 5)
    setAt(spec, 'list[1].a', 1)
    expect(spec).toEqual({ runs: [{ hyperparameters: { lr: 0.2 } }], data: { shots: 5 }, list: [undefined, { a: 1 }] })
    expect(Array.isArray(spec.list)).toBe(true)
  })

  it('deletes the field when set to undefined (the default then applies)', () => {
    const spec: Record<string, unknown> = { runs: [{ steps: 10, algorithm: 'x' }] }
    setAt(spec, 'runs[0].steps', undefined)
    expect(spec).toEqual({ runs: [{ algorithm: 'x' }] })
    expect(() => setAt(spec, '', 1)).toThrow()
  })

  it('makes DOM ids without brackets or dots', () => {
    expect(fieldId('runs[1].hyperparameters.lr')).toBe('exp-runs-1-hyperparameters-lr')
    expect(fieldId('data.shots')).toBe('exp-data-shots')
  })
})
