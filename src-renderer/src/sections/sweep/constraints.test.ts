import { describe, expect, it } from 'vitest'
import { constraintsToDraft, draftToConstraints } from './constraints'
import { sweepSchema } from '../../../../simulators/sweep/spec'
import { validate } from '../../../../simulators/core/schema'

describe('the constraints editor', () => {
  it('shows the spec\'s units as the form\'s (%, ms, mJ) without float noise', () => {
    const d = constraintsToDraft({ minAccuracy: 0.7, maxSecondsPerStep: 0.0021, maxEnergyUjPerAdaptation: 12500, mustFit: false, rankBy: 'energy', requiredFormats: { weightBits: 8 } })
    expect(d.minAccuracyPct).toBe('70')
    expect(d.maxMsPerStep).toBe('2.1')
    expect(d.maxMjPerAdaptation).toBe('12.5')
    expect(d.maxUjPerStep).toBe('')
    expect(d.requiredWeightBits).toBe('8')
    expect(d.mustFit).toBe(false)
    expect(d.rankBy).toBe('energy')
  })

  it('round-trips, and an empty field is no bound', () => {
    const c = { minAccuracy: 0.55, maxSecondsPerStep: 0.004, maxEnergyUjPerStep: 80, maxSecondsPerAdaptation: 3, maxEnergyUjPerAdaptation: 2000, mustFit: true, rankBy: 'time' as const, requiredFormats: { weightBits: 8, activationBits: 16 } }
    expect(draftToConstraints(constraintsToDraft(c))).toEqual(c)
    expect(draftToConstraints(constraintsToDraft(undefined))).toEqual({ mustFit: true, rankBy: 'accuracy' })
  })

  it('passes text that is not a number on, so the schema names the field', () => {
    const out = draftToConstraints({ ...constraintsToDraft(undefined), minAccuracyPct: 'lots' })
    expect(out.minAccuracy).toBe('lots')
    const r = validate(sweepSchema, { devices: ['x'], constraints: out })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors.map((e) => e.path)).toEqual(['constraints.minAccuracy'])
  })
})

describe('messages in the form\'s units', () => {
  it('an accuracy outside 0..100 % is said in %, and wins over the schema\'s 0..1 message', async () => {
    const { localConstraintErrors } = await import('./constraints')
    const { preferLocal } = await import('./draft')
    const d = { ...constraintsToDraft(undefined), minAccuracyPct: '200' }
    const local = localConstraintErrors(d)
    expect(local).toEqual([{ path: 'constraints.minAccuracy', message: 'must be from 0 to 100 %, got 200 %' }])
    expect(localConstraintErrors({ ...d, minAccuracyPct: '100' })).toEqual([])
    expect(localConstraintErrors({ ...d, minAccuracyPct: '' })).toEqual([])
    const engine = [{ path: 'constraints.minAccuracy', message: 'must be at most 1, got 2' }, { path: 'devices', message: 'must have at least 1 item' }]
    expect(preferLocal(local, engine).map((e) => e.message)).toEqual(['must be from 0 to 100 %, got 200 %', 'must have at least 1 item'])
  })
})
