import { describe, expect, it } from 'vitest'
import { shortDeviceNames } from './format'

describe('shortDeviceNames', () => {
  it('cuts a name at its first " (" or " — ", and falls back to ids where two would read the same', () => {
    const names = shortDeviceNames([
      { id: 'nrf52840', name: 'Nordic nRF52840 (Cortex-M4F, 64 MHz)' },
      { id: 'alif-e7-hp', name: 'Alif Ensemble E7 — high-performance subsystem (Ethos-U55-256 + Cortex-M55 400 MHz)' },
      { id: 'alif-e7-he', name: 'Alif Ensemble E7 — high-efficiency subsystem (Ethos-U55-128 + Cortex-M55 160 MHz)' },
      { id: 'plain', name: 'Plain' },
    ])
    expect([...names.values()]).toEqual(['Nordic nRF52840', 'alif-e7-hp', 'alif-e7-he', 'Plain'])
  })
})
