import { describe, expect, it } from 'vitest'
import { keyFigures, peakMacsPerCycle, profileEnums } from './figures'
import { presets } from './library'
import type { HardwareProfile } from './profile'

function npu(): HardwareProfile {
  return {
    schemaVersion: 1, id: 'npu-a', name: 'NPU A', class: 'npu', costModel: 'npu-systolic', clockMHz: 200,
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

describe('key figures', () => {
  it('derives peak MACs per cycle with each cost model', () => {
    const array = { dataflow: 'ws', vectorOpsPerCycle: 4 }
    expect(peakMacsPerCycle('npu-systolic', { rows: 16, cols: 8, ...array })).toBe(128)
    expect(peakMacsPerCycle('npu-systolic', { rows: 16, cols: 8, nativeBits: 8, wideOperandSlowdown: 3, ...array }, 16)).toBeCloseTo(128 / 3)
    expect(peakMacsPerCycle('npu-systolic', { rows: 16, cols: 8, nativeBits: 4, ...array }, 8)).toBe(64)
    expect(peakMacsPerCycle('mcu-simd', { macsPerCycleByBits: { '16': 2, '32': 1 } })).toBe(2) // narrowest width that holds 8 bits
    expect(peakMacsPerCycle('dsp-vector', { vectorBits: 128, elementOpsPerCycle: 16, macsPerCycleByBits: { '8': 16, '16': 8 } })).toBe(16)
    expect(peakMacsPerCycle('fpga-magic', { rows: 4, cols: 4 })).toBeUndefined()
    expect(peakMacsPerCycle('npu-systolic', { rows: 4 })).toBeUndefined()
    expect(peakMacsPerCycle('mcu-simd', { macsPerCycleByBits: {} })).toBeUndefined()
  })

  it("collects the table's figures", () => {
    expect(keyFigures(npu())).toEqual({
      clockMHz: 200, peakMacs8: 128, sramKiB: 256, dramKiB: undefined, flashKiB: 1024, weightBits: [8], activationBits: [8, 16], macPj8: 0.23, staticMw: 10,
      energyBasis: { staticMw: undefined, macPjByBits: undefined }, calibratedTo: undefined,
    })
    const stated = { ...npu(), energy: { ...npu().energy, basis: { staticMw: 'datasheet', macPjByBits: 'generic-process-node' } }, calibratedTo: { runtime: 'TFLM 2.x', round: 'v1.2' } } as HardwareProfile
    expect(keyFigures(stated)).toMatchObject({ energyBasis: { staticMw: 'datasheet', macPjByBits: 'generic-process-node' }, calibratedTo: { runtime: 'TFLM 2.x', round: 'v1.2' } })
    // a draft with a basis or round outside the schema's value set shows nothing rather than the bad value
    const bad = { ...npu(), energy: { ...npu().energy, basis: { staticMw: 'vibes', macPjByBits: 3 } }, calibratedTo: { runtime: 'x', round: 'v9' } } as unknown as HardwareProfile
    expect(keyFigures(bad)).toMatchObject({ energyBasis: { staticMw: undefined, macPjByBits: undefined }, calibratedTo: undefined })
    const noEight = { ...npu(), energy: { macPjByBits: { '16': 1 }, elementOpPj: 0, staticMw: 0 } }
    expect(keyFigures(noEight).macPj8).toBeUndefined()
  })

  it.each([...presets().values()].map((p) => [p.id, p] as const))('%s has a peak MAC rate, clock and SRAM to show', (_, p) => {
    const f = keyFigures(p)
    expect(f.peakMacs8).toBeGreaterThan(0)
    expect(f.clockMHz).toBeGreaterThan(0)
    expect(f.sramKiB).toBeGreaterThan(0)
  })
})

describe('profile enums', () => {
  it("lists the profile schema's and each cost model's value sets", () => {
    const e = profileEnums()
    expect(e.fields.class).toEqual(['npu', 'dsp', 'mcu'])
    expect(e.fields['memory.weightsIn']).toEqual(['sram', 'flash', 'dram'])
    expect(e.fields['operations.rng']).toEqual(['native', 'companion', 'unsupported'])
    expect(e.fields['energy.basis.staticMw']).toEqual(['device-measured', 'datasheet', 'third-party-measured', 'similar-device', 'assumed', 'generic-process-node'])
    expect(e.compute['npu-systolic'].dataflow).toEqual(['os', 'ws', 'is'])
    expect(Object.keys(e.compute).sort()).toEqual(['dsp-vector', 'mcu-simd', 'npu-systolic'])
  })
})
