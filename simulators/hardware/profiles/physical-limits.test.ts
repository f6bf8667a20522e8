import { describe, expect, it } from 'vitest'
import { parseProfile } from './parse-profile'
import { PHYSICAL_LIMITS } from './physical-limits'
import { PRESET_FILES } from './presets'

const presets = PRESET_FILES as Array<{ id: string }>

/** the fields these tests edit */
type Raw = { clockMHz: number; compute: { macsPerCycleByBits: Record<string, number> }; memory: Record<string, { sizeKiB: number; bytesPerCycle: number; clockMHz?: number }>; energy: { staticMw: number; macPjByBits: Record<string, number> }; sources: Record<string, string> }
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T
const base = () => clone(presets.find((p) => p.id === 'stm32f746')!) as unknown as Raw
/** a what-if DRAM level (the MCU preset's flash numbers) at `clockMHz`, with the source every number needs */
const withDram = (p: Raw, clockMHz: number) => { p.memory.dram = { ...p.memory.flash, clockMHz }; p.sources['memory.dram'] = 'derived: a what-if level for this test' }
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
    // the schema takes memory clocks up to 100 GHz; a flash on the core's bus at 20 GHz is none
    ['memory.flash.clockMHz', (p: Raw) => { p.memory.flash.clockMHz = 20000 }],
    ['memory.dram.clockMHz', (p: Raw) => withDram(p, 60000)],
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
    ['memory.flash.clockMHz', (p: Raw) => { p.memory.flash.clockMHz = 1500 }, 1000],
    ['memory.sram.clockMHz', (p: Raw) => { p.memory.sram.clockMHz = 1200; p.sources['memory.sram.clockMHz'] = 'derived: a what-if clock for this test' }, 1000],
    ['memory.dram.clockMHz', (p: Raw) => withDram(p, 12000), 10700],
  ])('flags %s beyond any real MCU, with the limit and its source', (path, edit, limit) => {
    const p = base(); edit(p)
    const w = warningsOf(p)
    expect(w.map((x) => x.path)).toEqual([path])
    expect(w[0].limit).toBe(limit)
    expect(w[0].source).toMatch(/\w/)
  })
  it('a DRAM clock beyond any core but within LPDDR5X passes without a warning', () => {
    const p = base(); withDram(p, 4266)
    expect(errorsOf(p)).toEqual([])
    expect(warningsOf(p)).toEqual([])
  })
  it("checks an NPU's companion core clock like the profile's own", () => {
    const npu = () => clone(presets.find((p) => p.id === 'generic-npu-16x16')!) as unknown as { companion: { clockMHz: number } }
    const flagged = npu(); flagged.companion.clockMHz = 2500
    expect(warningsOf(flagged).map((w) => w.path)).toEqual(['companion.clockMHz'])
    const impossible = npu(); impossible.companion.clockMHz = 1e9
    expect(errorsOf(impossible).map((e) => e.path)).toEqual(['companion.clockMHz'])
  })
})
