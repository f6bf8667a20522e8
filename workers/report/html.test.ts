/**
 * What a device-selection report says about each device's constants, before any training has run: the
 * runtime and MLPerf Tiny round its fitted constants come from, and what its energy constants rest on,
 * as the preset states them (read here from the preset JSON files, not through the report code), and the
 * HTML's calibration section prints them.
 */
import { describe, expect, it } from 'vitest'
import { buildSweepReport } from '../../simulators/sweep/report'
import { parseSweep } from '../../simulators/sweep/trials'
import { DEFAULT_SWEEP } from '../../simulators/sweep/spec'
import { PRESET_FILES } from '../../simulators/hardware/profiles/presets/index'
import { reportHtml } from './html'

type Raw = { id: string; energy: { basis?: { staticMw: string; macPjByBits: string } }; calibratedTo?: { runtime: string; round: string } }
const raw = new Map((PRESET_FILES as Raw[]).map((p) => [p.id, p]))

describe('device-selection report: calibration and energy basis per device', () => {
  const parsed = parseSweep({ ...DEFAULT_SWEEP, devices: ['stm32l4r5', 'greenwaves-gap9', 'nrf52840', 'generic-npu-16x16'] })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  const report = buildSweepReport(parsed, new Map(), { studioVersion: 't', createdAt: '2026-01-01T00:00:00Z' })

  it('carries each preset\'s calibratedTo and energy.basis', () => {
    for (const d of report.devices) {
      const p = raw.get(d.id)!
      expect(d.energyBasis).toEqual(p.energy.basis)
      expect(d.calibratedTo).toEqual(p.calibratedTo)
    }
    expect(report.devices.find((d) => d.id === 'generic-npu-16x16')!.calibratedTo).toBeUndefined()
  })

  it('the HTML calibration table shows them, one row per device', () => {
    const html = reportHtml(report)
    const section = html.slice(html.indexOf('data-section="calibration"'), html.indexOf('</table>', html.indexOf('data-section="calibration"')))
    expect(section).toContain('fitted to (runtime, MLPerf Tiny round)')
    expect(section).toContain('STM32Cube.AI (X-CUBE-AI) 8.0.0, v1.1')
    expect(section).toContain('device-measured / generic-process-node')
    expect(section).toContain('datasheet / generic-process-node')
    expect(section).toContain('nothing fitted')
    expect(section.match(/<tr>/g)).toHaveLength(1 + report.devices.length)
  })
})
