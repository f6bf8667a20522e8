import { describe, expect, it } from 'vitest'
import { COLUMNS, filterRows, nextSort, rowKey, sortRows } from './table'
import { row } from './rows.testing'

const rows = [
  row({ trial: 0, device: 'nrf52840', deviceName: 'Nordic nRF52840', finalAccuracy: 0.7, energyUjPerStep: 30 }),
  row({ trial: 0, device: 'alif-e7-hp', deviceName: 'Alif Ensemble E7', deviceClass: 'npu', finalAccuracy: 0.5, energyUjPerStep: 3 }),
  row({ trial: 1, device: 'nrf52840', deviceName: 'Nordic nRF52840', algorithm: 'zo-spsa', label: 'zo-spsa', finalAccuracy: 0.5, feasible: false, formats: { weightBits: 16, activationBits: 8 } as never }),
  row({ trial: 1, device: 'alif-e7-hp', deviceName: 'Alif Ensemble E7', deviceClass: 'npu', algorithm: 'zo-spsa', label: 'zo-spsa', finalAccuracy: 0.9, energyUjPerStep: 4 }),
]
const keys = (rs: typeof rows) => rs.map(rowKey)

describe('sorting', () => {
  it('a new column sorts ascending, the same column again descending', () => {
    const s1 = nextSort(null, 'accuracy')
    expect(s1).toEqual({ column: 'accuracy', descending: false })
    expect(nextSort(s1, 'accuracy')).toEqual({ column: 'accuracy', descending: true })
    expect(nextSort({ column: 'accuracy', descending: true }, 'device')).toEqual({ column: 'device', descending: false })
  })

  it('sorts numbers as numbers and keeps the trial order among ties (stable)', () => {
    expect(keys(sortRows(rows, { column: 'accuracy', descending: false }))).toEqual(['0:alif-e7-hp', '1:nrf52840', '0:nrf52840', '1:alif-e7-hp'])
    expect(keys(sortRows(rows, { column: 'accuracy', descending: true }))).toEqual(['1:alif-e7-hp', '0:nrf52840', '0:alif-e7-hp', '1:nrf52840'])
    expect(keys(sortRows(rows, { column: 'energyStep', descending: false }))[0]).toBe('0:alif-e7-hp')
  })

  it('sorts text by the device name and leaves the order alone without a sort', () => {
    expect(sortRows(rows, { column: 'device', descending: false }).map((r) => r.deviceName)).toEqual(['Alif Ensemble E7', 'Alif Ensemble E7', 'Nordic nRF52840', 'Nordic nRF52840'])
    expect(keys(sortRows(rows, null))).toEqual(keys(rows))
    expect(sortRows(rows, null)).not.toBe(rows)
  })

  it('every column shows text and sorts by a value', () => {
    for (const c of COLUMNS) {
      expect(typeof c.text(rows[0])).toBe('string')
      expect(['number', 'string']).toContain(typeof c.value(rows[0]))
    }
  })
})

describe('filtering', () => {
  it('by device and by algorithm', () => {
    expect(keys(filterRows(rows, { text: '', device: 'nrf52840', algorithm: '' }))).toEqual(['0:nrf52840', '1:nrf52840'])
    expect(keys(filterRows(rows, { text: '', device: '', algorithm: 'zo-spsa' }))).toEqual(['1:nrf52840', '1:alif-e7-hp'])
    expect(keys(filterRows(rows, { text: '', device: 'alif-e7-hp', algorithm: 'zo-spsa' }))).toEqual(['1:alif-e7-hp'])
  })

  it('by text: every word must match the device, class, run, formats or fit', () => {
    expect(filterRows(rows, { text: 'NPU', device: '', algorithm: '' })).toHaveLength(2)
    expect(keys(filterRows(rows, { text: 'nordic w16', device: '', algorithm: '' }))).toEqual(['1:nrf52840'])
    expect(keys(filterRows(rows, { text: 'does not fit', device: '', algorithm: '' }))).toEqual(['1:nrf52840'])
    expect(filterRows(rows, { text: '  ', device: '', algorithm: '' })).toHaveLength(4)
    expect(filterRows(rows, { text: 'hexagon', device: '', algorithm: '' })).toHaveLength(0)
  })
})
