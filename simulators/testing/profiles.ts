/**
 * Small, fully sourced profiles for the hardware tests (test support; the real presets live in
 * presets/). Numbers are round on purpose so expected costs can be worked out by hand.
 */
import type { HardwareProfile } from '../hardware/profiles/profile'
import { parseProfile } from '../hardware/profiles/parse-profile'

const derived = 'derived: round test value, chosen so expected costs can be computed by hand'

export function testMcu(sramKiB = 256): HardwareProfile {
  return parsed(rawTestMcu(sramKiB))
}

export function rawTestMcu(sramKiB = 256): HardwareProfile {
  return {
    schemaVersion: 1, id: 'test-mcu', name: 'Test MCU', class: 'mcu', costModel: 'mcu-simd', clockMHz: 100,
    formats: { weightBits: [8, 16], activationBits: [8, 16], gradientBits: [8, 16], accumulatorBits: [32, 48, 64], rounding: ['half-away', 'half-even', 'floor', 'stochastic'] },
    compute: { macsPerCycleByBits: { '8': 2, '16': 2, '32': 1 }, loopOverheadCyclesPerOutput: 0, requantCyclesPerValue: 4, elementOpCyclesPerValue: 1, bytesPerLoad: 4 },
    memory: {
      sram: { sizeKiB: sramKiB, bytesPerCycle: 4, latencyCycles: 0, readPjPerByte: 1, writePjPerByte: 2 },
      flash: { sizeKiB: 1024, bytesPerCycle: 1, latencyCycles: 0, readPjPerByte: 10, writePjPerByte: 100 },
      weightsIn: 'flash',
    },
    operations: { backwardInput: 'native', backwardWeight: 'native', update: 'native', rng: 'native' },
    energy: { macPjByBits: { '8': 1, '16': 2, '32': 4 }, elementOpPj: 0.5, staticMw: 10 },
    sources: { clockMHz: derived, formats: derived, compute: derived, memory: derived, energy: derived },
  }
}

export function testNpu(): HardwareProfile {
  return parsed(rawTestNpu())
}

export function rawTestNpu(): HardwareProfile {
  return {
    schemaVersion: 1, id: 'test-npu', name: 'Test NPU', class: 'npu', costModel: 'mcu-simd', clockMHz: 200,
    formats: { weightBits: [8], activationBits: [8, 16], gradientBits: [8, 16], accumulatorBits: [32], rounding: ['half-away'] },
    compute: { macsPerCycleByBits: { '8': 64, '16': 32 }, loopOverheadCyclesPerOutput: 0, requantCyclesPerValue: 0.25, elementOpCyclesPerValue: 0.25, bytesPerLoad: 16 },
    memory: {
      sram: { sizeKiB: 512, bytesPerCycle: 16, latencyCycles: 0, readPjPerByte: 1, writePjPerByte: 1 },
      dram: { sizeKiB: 65536, bytesPerCycle: 2, latencyCycles: 100, readPjPerByte: 40, writePjPerByte: 40 },
      weightsIn: 'dram',
    },
    operations: { backwardInput: 'companion', backwardWeight: 'companion', update: 'companion', rng: 'unsupported' },
    companion: { costModel: 'mcu-simd', clockMHz: 100, compute: { macsPerCycleByBits: { '8': 2, '16': 2, '32': 1 }, elementOpCyclesPerValue: 1 }, macPjByBits: { '8': 5, '16': 8 } },
    energy: { macPjByBits: { '8': 0.3, '16': 1 }, elementOpPj: 0.1, staticMw: 50 },
    sources: { clockMHz: derived, formats: derived, compute: derived, memory: derived, operations: derived, companion: derived, energy: derived },
  }
}

/** Pricing needs parsed profiles: parsing fills each compute block's defaults. */
function parsed(p: HardwareProfile): HardwareProfile {
  const r = parseProfile(p)
  if (!r.ok) throw new Error(`test profile ${p.id} is invalid: ${JSON.stringify(r.errors)}`)
  return r.profile
}
