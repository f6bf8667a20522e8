import { describe, expect, it } from 'vitest'
import { FALLBACK_THEME } from '../../charts/palette'
import { PARETO_X, heatModel, heatmapOption, paretoModel, paretoOption, parallelOption } from './sweep-charts'
import { row } from './rows.testing'

const energy = PARETO_X.find((x) => x.id === 'energyUjPerAdaptation')!
const rows = [
  row({ trial: 0, device: 'a', finalAccuracy: 0.9, energyUjPerAdaptation: 100 }), // front
  row({ trial: 0, device: 'b', deviceClass: 'npu', finalAccuracy: 0.6, energyUjPerAdaptation: 10 }), // front
  row({ trial: 1, device: 'a', finalAccuracy: 0.5, energyUjPerAdaptation: 200 }), // dominated by 0:a
  row({ trial: 1, device: 'b', deviceClass: 'npu', finalAccuracy: 0.99, energyUjPerAdaptation: 1, feasible: false }), // would dominate all, but does not fit
]
type Point = { name: string; itemStyle: { opacity: number }; symbol: string; symbolSize: number }
const points = (o: unknown) => ((o as { series: { id: string; data: Point[] }[] }).series).filter((s) => s.id.startsWith('class-')).flatMap((s) => s.data)

describe('the Pareto chart', () => {
  it('puts only configurations that fit on the front', () => {
    expect([...paretoModel(rows, 'energyUjPerAdaptation').front].sort()).toEqual([0, 1])
  })

  it('draws every row, the front at full strength, the rest faded, non-fitting ones hollow', () => {
    const built = paretoOption(rows, energy, null, FALLBACK_THEME)
    expect(built.points).toBe(4)
    const ps = new Map(points(built.option).map((p) => [p.name, p]))
    expect(ps.size).toBe(4)
    expect(ps.get('0:a')!.itemStyle.opacity).toBe(1)
    expect(ps.get('0:b')!.itemStyle.opacity).toBe(1)
    expect(ps.get('1:a')!.itemStyle.opacity).toBeLessThan(1)
    expect(ps.get('1:b')!.symbol).toBe('emptyCircle')
    // one series per device class, and the front as a line through its points by cost
    const series = (built.option as { series: { id: string; data: unknown[] }[] }).series
    expect(series.map((s) => s.id)).toEqual(['class-npu', 'class-mcu', 'front'])
    expect(series[2].data).toEqual([[10, 60], [100, 90]])
  })

  it('rings the selected row (the one picked in the table)', () => {
    const ps = new Map(points(paretoOption(rows, energy, '1:a', FALLBACK_THEME).option).map((p) => [p.name, p]))
    expect(ps.get('1:a')!.itemStyle.opacity).toBe(1)
    expect(ps.get('1:a')!.symbolSize).toBeGreaterThan(ps.get('0:a')!.symbolSize)
  })

  it('uses a log axis only when the costs span more than two decades', () => {
    expect(paretoModel(rows, 'energyUjPerAdaptation').log).toBe(true) // 1 … 200
    expect(paretoModel(rows.slice(0, 3), 'energyUjPerAdaptation').log).toBe(false) // 10 … 200
  })
})

describe('the heat maps', () => {
  const grid = [
    row({ trial: 0, device: 'a', finalAccuracy: 0.8, sramDemandBytes: 1000 }),
    row({ trial: 0, device: 'b', finalAccuracy: 0.6, sramDemandBytes: 3000 }),
    row({ trial: 1, device: 'a', finalAccuracy: 0.4, formats: { weightBits: 16, activationBits: 8 } as never }),
    row({ trial: 2, device: 'a', algorithm: 'zo-spsa', finalAccuracy: 0.1 }),
  ]

  it('average one algorithm\'s rows per (weight, activation) width', () => {
    const m = heatModel(grid, 'backprop', 'accuracy')
    expect(m.xs).toEqual([8, 16])
    expect(m.ys).toEqual([8])
    expect(m.cells.map((c) => [c.x, c.y, Number(c.value.toFixed(6)), c.count])).toEqual([[8, 8, 0.7, 2], [16, 8, 0.4, 1]])
    expect(heatModel(grid, 'backprop', 'memory').cells[0].value).toBe(2000)
  })

  it('hand ECharts category indices and the value range', () => {
    const o = heatmapOption(grid, 'backprop', 'accuracy', FALLBACK_THEME).option as { series: { data: number[][] }[]; visualMap: { min: number; max: number } }
    expect(o.series[0].data.map((d) => d.slice(0, 2))).toEqual([[0, 0], [1, 0]])
    expect(o.visualMap.min).toBeCloseTo(0.4)
    expect(o.visualMap.max).toBeCloseTo(0.7)
  })
})

describe('parallel coordinates', () => {
  it('one line per row; the seed axis only when seeds were swept', () => {
    const one = parallelOption(rows, (id) => id.toUpperCase(), FALLBACK_THEME)
    const axes = (o: unknown) => (o as { parallelAxis: { name: string; data?: string[] }[] }).parallelAxis
    expect(one.points).toBe(4)
    expect(axes(one.option).map((a) => a.name)).not.toContain('seed')
    expect(axes(one.option)[0].data).toEqual(['A', 'B']) // the short names
    const two = parallelOption([...rows, row({ trial: 2, device: 'a', seed: 2 })], (id) => id, FALLBACK_THEME)
    expect(axes(two.option).map((a) => a.name)).toContain('seed')
  })
})
