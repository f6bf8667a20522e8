import { describe, expect, it } from 'vitest'
import { parseProfile } from './parse-profile'
import { PHYSICAL_LIMITS } from './physical-limits'
import { PRESET_FILES } from './presets'

const presets = PRESET_FILES as Array<{ id: string }>

/** the fields these tests edit */
type Raw = { clockMHz: number; compute: { macsPerCycleByBits: Record<string, number> }; memory: Record<string, { sizeKiB: number; bytesPerCycle: number }>; energy: { staticMw: number; macPjByBits: Record<string, number> } }
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T
const base = () => clone(presets.find((p) => p.id === 'stm32f746')!) as unknown as Raw
const errorsOf = (raw: unknown) => { const r = parseProfile(raw); return r.ok ? [] : r.errors }
const warningsOf = (raw: unknown) => { const r = parseProfile(raw); return r.ok ? r.warnings : [] }

describe('physical limits', () => {
  it('every preset passes with no rejection', () => {
    for (const p of presets) {
      const r = parseProfile(clone(p))
      expect(r.ok ? [] : r.errors, p.id).toEqual([])
    }
  })
  it('every limit names a source', () => {
    for (const byClass of Object.values(PHYSICAL_LIMITS)) for (const l of Object.values(byClass)) {
      expect(l.source.length).toBeGreaterThan(20)
      expect(l.flagMax).toBeLessThan(l.rejectMax)
    }
  })
  it.each([
    ['memory.sram.sizeKiB', (p: Raw) => { p.memory.sram.sizeKiB = 0 }],
    ['energy.staticMw', (p: Raw) => { p.energy.staticMw = 1e99 }],
    ['compute', (p: Raw) => { p.compute.macsPerCycleByBits['8'] = 1e12 }],
    ['memory.flash.sizeKiB', (p: Raw) => { p.memory.flash.sizeKiB = 2 ** 41 }],
    ['memory.sram.bytesPerCycle', (p: Raw) => { p.memory.sram.bytesPerCycle = 1e7 }],
    ['energy.macPjByBits.8', (p: Raw) => { p.energy.macPjByBits['8'] = 0 }],
  ])('rejects an impossible %s with a field-named error', (path, edit) => {
    const p = base(); edit(p)
    const e = errorsOf(p)
    expect(e.map((x) => x.path)).toContain(path)
    expect(e.find((x) => x.path === path)!.message).toMatch(/impossible.*source:/)
  })
  it.each([
    ['clockMHz', (p: Raw) => { p.clockMHz = 3000 }, 1000],
    ['compute', (p: Raw) => { p.compute.macsPerCycleByBits['8'] = 64 }, 32],
    ['memory.sram.sizeKiB', (p: Raw) => { p.memory.sram.sizeKiB = 20000 }, 16384],
    ['energy.staticMw', (p: Raw) => { p.energy.staticMw = 800 }, 500],
  ])('flags %s beyond any real MCU, with the limit and its source', (path, edit, limit) => {
    const p = base(); edit(p)
    const w = warningsOf(p)
    expect(w.map((x) => x.path)).toEqual([path])
    expect(w[0].limit).toBe(limit)
    expect(w[0].source).toMatch(/\w/)
  })
})
