import { describe, expect, it } from 'vitest'
import type { HardwareProfile } from '../../api/bridge'
import {
  assignErrors, duplicateOf, flattenProfile as flattenWith, formatBasis, formatFieldValue, formatFigure, formatKiB, getAt, matchesFilter,
  parseFieldInput, setAt, sourceFor,
} from './profile-fields'
import { profileEnums } from '../../../../simulators/hardware/profiles/figures'

/** the catalog the main process sends (api().getProfileCatalog()) */
const catalog = profileEnums()
const flattenProfile = (doc: Record<string, unknown>) => flattenWith(doc, catalog)

function npu(): HardwareProfile {
  return {
    schemaVersion: 1,
    id: 'npu-a',
    name: 'NPU A',
    class: 'npu',
    costModel: 'npu-systolic',
    clockMHz: 200,
    formats: { weightBits: [8], activationBits: [8, 16], gradientBits: [8], accumulatorBits: [32], rounding: ['half-away', 'half-even'] },
    compute: { rows: 16, cols: 8, dataflow: 'ws', nativeBits: 8, wideOperandSlowdown: 3, vectorOpsPerCycle: 4 },
    memory: {
      sram: { sizeKiB: 256, bytesPerCycle: 16, latencyCycles: 2, readPjPerByte: 6, writePjPerByte: 6 },
      flash: { sizeKiB: 1024, bytesPerCycle: 4, latencyCycles: 4, readPjPerByte: 25, writePjPerByte: 5 },
      weightsIn: 'flash',
    },
    operations: { backwardInput: 'native', backwardWeight: 'companion', update: 'companion', rng: 'unsupported' },
    energy: { macPjByBits: { '8': 0.23, '16': 0.83 }, elementOpPj: 0.1, staticMw: 10 },
    sources: { clockMHz: 'datasheet p. 3', memory: 'TRM §4', 'memory.sram.sizeKiB': 'TRM table 2' },
  }
}

describe('flattenProfile', () => {
  const fields = flattenProfile(npu() as unknown as Record<string, unknown>)
  const byPath = new Map(fields.map((f) => [f.path, f]))

  it('flattens nested objects into dotted paths with sections, groups and kinds', () => {
    expect(byPath.get('memory.sram.sizeKiB')).toEqual({
      path: 'memory.sram.sizeKiB', keys: ['memory', 'sram', 'sizeKiB'], section: 'Memory', group: 'sram', label: 'sizeKiB', kind: 'number',
    })
    expect(byPath.get('clockMHz')).toMatchObject({ section: 'General', group: '', kind: 'number' })
    expect(byPath.get('name')).toMatchObject({ section: 'General', kind: 'text' })
    expect(byPath.get('energy.macPjByBits.8')).toMatchObject({ section: 'Energy', group: 'macPjByBits', label: '8', kind: 'number' })
    expect(byPath.get('formats.activationBits')?.kind).toBe('numberList')
    expect(byPath.get('formats.rounding')?.kind).toBe('stringList')
    expect(byPath.has('schemaVersion')).toBe(false)
  })

  it('knows the enums of the schema', () => {
    expect(byPath.get('class')).toMatchObject({ kind: 'enum', options: ['npu', 'dsp', 'mcu'] })
    expect(byPath.get('memory.weightsIn')?.options).toEqual(['sram', 'flash', 'dram'])
    expect(byPath.get('operations.rng')?.options).toEqual(['native', 'companion', 'unsupported'])
    expect(byPath.get('compute.dataflow')?.options).toEqual(['os', 'ws', 'is'])
  })

  it('makes one field per source key, with the engine\'s error path', () => {
    const src = fields.filter((f) => f.section === 'Sources')
    expect(src.map((f) => f.path)).toEqual(['sources["clockMHz"]', 'sources["memory"]', 'sources["memory.sram.sizeKiB"]'])
    expect(src[2].keys).toEqual(['sources', 'memory.sram.sizeKiB'])
    expect(src[2].kind).toBe('textarea')
  })

  it('keeps the document order and puts unknown top-level keys in Other', () => {
    const f = flattenProfile({ id: 'x', extra: { a: 1 }, formats: { weightBits: [] } })
    expect(f.map((x) => [x.path, x.section, x.kind])).toEqual([['id', 'General', 'text'], ['extra.a', 'Other', 'number'], ['formats.weightBits', 'Formats', 'numberList']])
    expect(flattenProfile({ clockMHz: null })[0].kind).toBe('number')
    expect(flattenProfile({ formats: { rounding: [] } })[0].kind).toBe('stringList')
    expect(flattenProfile({ compute: {} })[0].kind).toBe('json')
    expect(flattenProfile({ x: ['a,b'] })[0].kind).toBe('json')
    // a string where the schema has no free text (an imported mistake) is typed back into a number
    expect(flattenProfile({ memory: { sram: { sizeKiB: 'big' } } })[0].kind).toBe('auto')
    expect(flattenProfile({ companion: { costModel: 'mcu-simd' } })[0].kind).toBe('text')
  })
})

describe('getAt / setAt', () => {
  it('reads and writes by keys, including keys with dots', () => {
    const p = npu() as unknown as Record<string, unknown>
    setAt(p, ['memory', 'sram', 'sizeKiB'], 512)
    setAt(p, ['sources', 'compute.rows'], 'derived')
    setAt(p, ['new', 'deep'], 1)
    expect(getAt(p, ['memory', 'sram', 'sizeKiB'])).toBe(512)
    expect((p.sources as Record<string, string>)['compute.rows']).toBe('derived')
    expect(p.new).toEqual({ deep: 1 })
    expect(getAt(p, ['memory', 'nothing', 'x'])).toBeUndefined()
  })
})

describe('sourceFor', () => {
  const s = npu().sources
  it('uses the field\'s own key, else the nearest parent\'s', () => {
    expect(sourceFor('memory.sram.sizeKiB', s)).toBe('TRM table 2')
    expect(sourceFor('memory.flash.latencyCycles', s)).toBe('TRM §4')
    expect(sourceFor('clockMHz', s)).toBe('datasheet p. 3')
    expect(sourceFor('energy.staticMw', s)).toBeUndefined()
    expect(sourceFor('clockMHz', { clockMHz: '  ' })).toBeUndefined()
    expect(sourceFor('clockMHz', null)).toBeUndefined()
  })
})

describe('parseFieldInput / formatFieldValue', () => {
  it('parses numbers, keeping non-numbers as text for the main process to report', () => {
    expect(parseFieldInput('number', ' 12.5 ')).toEqual({ ok: true, value: 12.5 })
    expect(parseFieldInput('number', '')).toEqual({ ok: true, value: null })
    expect(parseFieldInput('number', 'fast')).toEqual({ ok: true, value: 'fast' })
    expect(parseFieldInput('number', '1e3')).toEqual({ ok: true, value: 1000 })
    expect(parseFieldInput('auto', '264')).toEqual({ ok: true, value: 264 })
    expect(parseFieldInput('auto', 'big')).toEqual({ ok: true, value: 'big' })
    expect(parseFieldInput('text', '264')).toEqual({ ok: true, value: '264' })
  })

  it('parses comma-separated lists', () => {
    expect(parseFieldInput('numberList', '8, 16,,32 ')).toEqual({ ok: true, value: [8, 16, 32] })
    expect(parseFieldInput('numberList', '8, x')).toEqual({ ok: true, value: [8, 'x'] })
    expect(parseFieldInput('numberList', ' ')).toEqual({ ok: true, value: [] })
    expect(parseFieldInput('stringList', 'half-away, half-even')).toEqual({ ok: true, value: ['half-away', 'half-even'] })
  })

  it('parses JSON fields and reports syntax errors locally', () => {
    expect(parseFieldInput('json', '{"a": 1}')).toEqual({ ok: true, value: { a: 1 } })
    const bad = parseFieldInput('json', '{a')
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.message).toMatch(/^not valid JSON/)
    expect(parseFieldInput('text', ' keep spaces ')).toEqual({ ok: true, value: ' keep spaces ' })
  })

  it('formats values for inputs', () => {
    expect(formatFieldValue('numberList', [8, 16])).toBe('8, 16')
    expect(formatFieldValue('number', 0)).toBe('0')
    expect(formatFieldValue('number', null)).toBe('')
    expect(formatFieldValue('json', { a: 1 })).toBe('{"a":1}')
    expect(formatFieldValue('text', undefined)).toBe('')
  })
})

describe('assignErrors', () => {
  const paths = new Set(['clockMHz', 'formats.weightBits', 'memory.sram.sizeKiB', 'sources["clockMHz"]'])
  it('matches exact paths, list elements and missing sources; the rest is unmatched', () => {
    const a = assignErrors(
      [
        { path: 'memory.sram.sizeKiB', message: 'must be at least 0, got -1' },
        { path: 'formats.weightBits[1]', message: 'must be an integer' },
        { path: 'sources["memory.sram.sizeKiB"]', message: 'memory.sram.sizeKiB has no source' },
        { path: 'sources["clockMHz"]', message: 'clockMHz has no source' },
        { path: 'compute.rows', message: 'is required' },
        { path: '', message: 'must be an object' },
      ],
      paths,
    )
    expect(a.byField.get('memory.sram.sizeKiB')).toEqual(['must be at least 0, got -1', 'has no source: add one (a datasheet, manual, paper, or "derived: …")'])
    expect(a.byField.get('formats.weightBits')).toEqual(['must be an integer'])
    expect(a.byField.get('sources["clockMHz"]')).toEqual(['clockMHz has no source'])
    expect([...a.missingSource]).toEqual(['memory.sram.sizeKiB'])
    expect(a.unmatched.map((e) => e.path)).toEqual(['compute.rows', ''])
    expect(a.fieldOf.get('formats.weightBits[1]')).toBe('formats.weightBits')
    expect(a.fieldOf.get('sources["memory.sram.sizeKiB"]')).toBe('memory.sram.sizeKiB')
    expect(a.fieldOf.has('compute.rows')).toBe(false)
  })
})

describe('key figures', () => {
  it('formats figures', () => {
    expect(formatBasis('generic-process-node')).toBe('generic process node')
    expect(formatBasis(undefined)).toBe('unstated')
    expect(formatFigure(undefined)).toBe('—')
    expect(formatFigure(5632)).toBe('5,632')
    expect(formatFigure(0.25)).toBe('0.25')
    expect(formatFigure(128 / 3)).toBe('42.667')
    expect(formatKiB(5632)).toBe('5,632')
    expect(formatKiB(2097152)).toBe('2 GiB')
    expect(formatKiB(12582912)).toBe('12 GiB')
    expect(formatKiB(204800)).toBe('200 MiB')
    expect(formatKiB(undefined)).toBe('—')
  })
})

describe('filter and duplicate', () => {
  it('filters by name, id, class and cost model, ignoring case', () => {
    const p = npu()
    expect(matchesFilter(p, 'npu a')).toBe(true)
    expect(matchesFilter(p, 'NPU-A')).toBe(true)
    expect(matchesFilter(p, 'systolic')).toBe(true)
    expect(matchesFilter(p, 'mcu')).toBe(false)
    expect(matchesFilter(p, '  ')).toBe(true)
  })

  it('duplicates into a deep copy under a new id and name', () => {
    const p = npu()
    const d = duplicateOf(p)
    expect(d.id).toBe('npu-a-copy')
    expect(d.name).toBe('NPU A (copy)')
    ;(d.memory as { sram: { sizeKiB: number } }).sram.sizeKiB = 1
    expect(p.memory.sram.sizeKiB).toBe(256)
  })
})
