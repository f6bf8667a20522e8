import { describe, expect, it } from 'vitest'
import { claims, describeError, messagesFor, unclaimed } from './form-errors'

const errors = [
  { path: 'data.shots', message: 'must be at least 1, got 0' },
  { path: 'runs[1].hyperparameters.lr', message: 'must be a number from 0 to 10, got -1' },
  { path: 'profiles[2].clockMHz', message: 'must be at least 1' },
  { path: 'data.classes', message: 'must be a list' },
  { path: '', message: 'must be an object' },
]

describe('matching errors to fields', () => {
  it('a field claims its own path, and with `below` the paths under it', () => {
    expect(claims({ path: 'data.shots' }, 'data.shots')).toBe(true)
    expect(claims({ path: 'data' }, 'data.shots')).toBe(false)
    expect(claims({ path: 'profiles', below: true }, 'profiles[2].clockMHz')).toBe(true)
    expect(claims({ path: 'runs[1]', below: true }, 'runs[10].steps')).toBe(false)
  })

  it('gives a field its messages, naming the sub-path of a claimed error below it', () => {
    expect(messagesFor(errors, { path: 'data.shots' })).toEqual(['must be at least 1, got 0'])
    expect(messagesFor(errors, { path: 'profiles', below: true })).toEqual(['[2].clockMHz: must be at least 1'])
    expect(messagesFor(errors, { path: 'steps' })).toEqual([])
  })

  it('lists what no field on screen claims', () => {
    const onScreen = [{ path: 'data.shots' }, { path: 'runs[1].hyperparameters.lr' }, { path: 'profiles', below: true }]
    expect(unclaimed(errors, onScreen).map((e) => e.path)).toEqual(['data.classes', ''])
    expect(unclaimed(errors, [])).toHaveLength(errors.length)
  })

  it('describes an error with its path', () => {
    expect(describeError(errors[0])).toBe('data.shots: must be at least 1, got 0')
    expect(describeError(errors[4])).toBe('must be an object')
  })
})
