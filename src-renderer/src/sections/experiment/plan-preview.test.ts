import { describe, expect, it } from 'vitest'
import { parseExperiment } from '../../../../simulators/experiment/validate'
import { presets } from '../../../../simulators/hardware/profiles/library'
import type { PlannedRun } from '../../api/bridge'
import { groupChanges, groupText, lackingBySpecRun, planHeadline, planRows, plural } from './plan-preview'
import { catalogFixture } from './catalog.testing'

// the engine's own plans: the preview must read what plan.ts really produces
function plan(raw: object): PlannedRun[] {
  const r = parseExperiment(raw)
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.plan
}
const algorithms = catalogFixture().algorithms
const THREE = ['nrf52840', 'esp32-s3', 'alif-e7-hp']

describe('planRows', () => {
  it('gives each planned run its formats, device count and grouped changes', () => {
    const rows = planRows(plan({ profiles: THREE }), algorithms)
    expect(rows.map((r) => [r.label, r.tag, r.deviceCount])).toEqual([
      ['backprop', 'W16 A8 G16 acc32 half-away', 2],
      ['backprop · W8', 'W8 A8 G16 acc32 half-away', 1],
      ['zo-spsa', 'W16 A8 acc32 half-away', 2], // zo-spsa computes no gradients
      ['zo-spsa · W8', 'W8 A8 acc32 half-away', 1],
    ])
    expect(rows[0].unchanged).toEqual(['nrf52840', 'esp32-s3'])
    expect(rows[0].changed).toEqual([])
    expect(rows[1].unchanged).toEqual([])
    expect(rows[1].changed).toEqual([{ changes: ['16-bit weights → 8-bit'], lacks: ['16-bit weights'], devices: ['alif-e7-hp'], details: [expect.stringMatching(/^16-bit weights → 8-bit: Alif .* runs 8$/)] }])
    expect(groupText(rows[1].changed[0])).toBe('1 device: 16-bit weights → 8-bit')
  })

  it('says the 17 presets in a few groups', () => {
    const rows = planRows(plan({ profiles: [...presets().keys()] }), algorithms)
    expect(rows.reduce((n, r) => n + r.deviceCount, 0)).toBe(2 * presets().size)
    const w8 = rows.find((r) => r.label === 'backprop · W8')!
    expect(w8.changed.map(groupText)).toEqual([expect.stringMatching(/^\d+ devices: 16-bit weights → 8-bit$/)])
    expect(w8.changed[0].devices).toContain('alif-e7-hp')
    // the form's words for a change are the start of the engine's sentence for it, for every preset
    for (const g of rows.flatMap((r) => r.changed)) for (const d of g.details) expect(g.changes.some((c) => d.startsWith(`${c}: `)), d).toBe(true)
  })

  it('has no devices without profiles', () => {
    const rows = planRows(plan({}), algorithms)
    expect(rows.map((r) => [r.label, r.deviceCount, r.unchanged, r.changed])).toEqual([['backprop', 0, [], []], ['zo-spsa', 0, [], []]])
  })
})

describe('groupChanges', () => {
  it('groups by what changed, not by the device’s reason', () => {
    const c = (profile: string, used: number, why: string) => ({ profile, changes: [{ field: 'weightBits' as const, requested: 16, used, text: `16-bit weights → ${used}-bit: ${why}` }] })
    const groups = groupChanges([c('a', 8, 'A runs 8'), { profile: 'b', changes: [] }, c('c', 8, 'C runs 2/4/8'), c('d', 4, 'D runs 4')])
    expect(groups.map((g) => [g.changes, g.devices])).toEqual([[['16-bit weights → 8-bit'], ['a', 'c']], [[], ['b']], [['16-bit weights → 4-bit'], ['d']]])
    expect(groups[0].details).toEqual(['16-bit weights → 8-bit: A runs 8', '16-bit weights → 8-bit: C runs 2/4/8'])
  })
})

describe('lackingBySpecRun', () => {
  it('names, per run of the spec, the devices that lack the requested formats', () => {
    const lacking = lackingBySpecRun(plan({ profiles: THREE }))
    expect([...lacking.keys()]).toEqual([0, 1])
    expect(lacking.get(0)!.map(groupText)).toEqual(['1 device: 16-bit weights → 8-bit'])
    expect(lackingBySpecRun(plan({ profiles: ['nrf52840'] })).size).toBe(0)
  })
})

describe('words', () => {
  it('counts', () => {
    expect(plural(1, 'run')).toBe('1 run')
    expect(plural(1_000_000, 'step')).toBe('1,000,000 steps')
    expect(planHeadline(plan({ profiles: THREE }))).toBe('4 trainings on 3 devices')
    expect(planHeadline(plan({}))).toBe('2 trainings without a device (accuracy only)')
  })
})
