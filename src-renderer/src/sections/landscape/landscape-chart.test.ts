// The landscape chart's option from a hand-made study: one heat-map cell per grid point, each grid coordinate
// at the centre of its cell (the band centre (i + ½)/n of a category axis, computed here independently), one
// line per trajectory, and tooltips that read the step and loss of the hovered point.
import { describe, expect, it } from 'vitest'
import type { LandscapeStudy } from '../../api/bridge'
import { FALLBACK_THEME } from '../../charts/palette'
import { axisNames, cellAlignedRange, landscapeOption, pointsOutside } from './landscape-chart'

const study: LandscapeStudy = {
  slice: { a: [-0.5, 0, 0.5, 1, 1.5], b: [-1, 0, 1], loss: [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13, 14, 15]], clippedPoints: 2 },
  directions: 'updates', tensors: ['conv', 'fc'], evalSamples: 8,
  trajectories: [
    { label: 'backprop', algorithm: 'backprop', points: [{ step: 0, a: 0, b: 0, residual: 0, norm: 0, loss: 7 }, { step: 4, a: 1, b: 0, residual: 0, norm: 2, loss: 2.5 }] },
    { label: 'zo-spsa', algorithm: 'zo-spsa', points: [{ step: 0, a: 0, b: 0, residual: 0, norm: 0, loss: 7 }, { step: 2, a: 0.2, b: 3, residual: 1, norm: 4, loss: 6.25 }] },
  ],
}
const input = { study, directions: 'updates' as const, runs: [{ label: 'backprop', index: 0 }, { label: 'zo-spsa', index: 1 }] }

describe('landscape chart option', () => {
  it('puts grid coordinate i on the centre of cell i', () => {
    for (const coords of [study.slice.a, study.slice.b, [2, 2.25, 2.5]]) {
      const [lo, hi] = cellAlignedRange(coords)
      coords.forEach((c, i) => expect((c - lo) / (hi - lo)).toBeCloseTo((i + 0.5) / coords.length, 12))
    }
  })

  it('draws one cell per grid point and one line per trajectory, axes named by the directions', () => {
    const { option, points } = landscapeOption(input, FALLBACK_THEME)
    const series = option.series as { type: string; data: unknown[] }[]
    expect(series[0].type).toBe('heatmap')
    expect(series[0].data).toHaveLength(15)
    expect(series[0].data).toContainEqual([4, 2, 15]) // loss[j][i] at (a[i], b[j])
    expect(series.slice(1).map((s) => [s.type, s.data.length])).toEqual([['line', 2], ['line', 2]])
    expect(points).toBe(19)
    const x = option.xAxis as { name?: string }[]
    expect(x[1].name).toBe(axisNames('updates', ['backprop', 'zo-spsa'])[0])
    expect(x[1].name).toContain("backprop's net weight change")
  })

  it('tooltips give step and loss of a trajectory point, and a cell\'s coordinates and loss', () => {
    const fmt = (landscapeOption(input, FALLBACK_THEME).option.tooltip as { formatter: (p: unknown) => string }).formatter
    expect(fmt({ seriesType: 'line', seriesIndex: 2, dataIndex: 1 })).toMatch(/zo-spsa<\/b> · step 2<br>loss 6\.2500 nats.*25 % of the step's offset/)
    expect(fmt({ seriesType: 'heatmap', dataIndex: 7 })).toBe('grid point a = 0.500, b = 0.000<br>loss 8.0000 nats')
  })

  it('counts trajectory points outside the drawn slice', () => {
    expect(pointsOutside(study)).toBe(1) // b = 3 is beyond the last cell's edge at 1.5
  })
})
