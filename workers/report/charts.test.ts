/**
 * The report's SVG charts as text: what e2e/report.spec.ts then checks in Chromium (no text runs past a chart
 * or covers a legend icon) needs the font to reach the browser, so every style attribute must be well formed;
 * heat-map cells print one decimal each; the memory legend names categories in words.
 */
import { describe, expect, it } from 'vitest'
import type { TrialRow } from '../../simulators/sweep/results'
import { emptyBreakdown, MEMORY_CATEGORY_LABELS } from '../../simulators/core/memory-categories'
import type { SweepReport } from '../../simulators/sweep/report'
import { CHART_FONT, heatmapSvg, memorySvg } from './charts'

// only the fields the heat map reads; accuracies chosen so that one cell is a whole number of percent
const row = (w: number, a: number, finalAccuracy: number) => ({ algorithm: 'backprop', formats: { weightBits: w, activationBits: a }, finalAccuracy, sramDemandBytes: 1024 * (w + a) }) as unknown as TrialRow
const ROWS = [row(8, 8, 0.79), row(16, 8, 0.784), row(8, 16, 0.31), row(16, 16, 0.5)]

/** The values of every style="…" attribute, and whether each ends where an attribute may end. */
function styleAttributes(svg: string): { value: string; closed: boolean }[] {
  return [...svg.matchAll(/style="([^"]*)"(.?)/g)].map((m) => ({ value: m[1], closed: /[\s/>]/.test(m[2]) }))
}

describe('report charts', () => {
  it('every style attribute is well formed and carries the chart font', () => {
    const svg = heatmapSvg(ROWS, 'backprop', 'accuracy')
    const styles = styleAttributes(svg)
    expect(styles.length).toBeGreaterThan(0)
    expect(styles.filter((s) => !s.closed)).toEqual([])
    expect(styles.filter((s) => s.value.includes('font-family')).every((s) => s.value.includes(`font-family:${CHART_FONT}`))).toBe(true)
  })

  it('heat-map cells print one decimal, whole numbers too', () => {
    const labels = [...heatmapSvg(ROWS, 'backprop', 'accuracy').matchAll(/>([0-9.]+)<\/text>/g)].map((m) => m[1])
    expect(labels).toEqual(expect.arrayContaining(['79.0', '78.4', '31.0', '50.0']))
    expect(labels).not.toContain('79')
  })

  it('the memory legend names categories in words', () => {
    const device = { id: 'd', sramBytes: 262144, memory: { ...emptyBreakdown(), savedActivations: 2048 } }
    const svg = memorySvg({ devices: [device] } as unknown as SweepReport)
    for (const label of Object.values(MEMORY_CATEGORY_LABELS)) expect(svg).toContain(`>${label}</text>`)
    expect(svg).not.toContain('>savedActivations<')
  })
})
