import { describe, expect, it } from 'vitest'
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts'
import { ExperimentData } from '../model/experiment-data'
import { syntheticPushes, syntheticRecord, syntheticSteps } from '../model/experiment-data.testing'
import { accuracyChart, compareChart, compareName, cyclesChart, decimate, effectiveX, interleave, MAX_STEP_POINTS, lossChart, memoryChart, niceCeil, type BuiltChart } from './chart-options'
import { FALLBACK_THEME, seriesColor } from './palette'

function fed(opts: Parameters<typeof syntheticRecord>[0], chunk = 50, upTo?: number): ExperimentData {
  const record = syntheticRecord(opts)
  const d = ExperimentData.fromRecord(record)
  for (const u of syntheticPushes(record, chunk, upTo)) d.apply(u)
  return d
}

const series = <T>(b: BuiltChart) => b.option.series as T[]
const byId = <T extends { id?: string | number }>(b: BuiltChart, id: string) => series<T>(b).find((s) => s.id === id)!
/** The x,y pairs of a series, whether flat typed array or [x, y][] */
function pairs(s: LineSeriesOption): [number, number][] {
  const data = s.data as unknown
  if (data instanceof Float64Array) return Array.from({ length: data.length / 2 }, (_, i) => [data[2 * i], data[2 * i + 1]])
  return data as [number, number][]
}

describe('curve charts', () => {
  it('draws evals and faint per-step batch accuracy vs step, one color per algorithm', () => {
    const d = fed({ runs: 2, steps: 100, evalEvery: 25 })
    const b = accuracyChart(d, { x: { kind: 'step' }, showTrain: true }, FALLBACK_THEME)
    const train = byId<LineSeriesOption>(b, 'train-1')
    expect(pairs(train)).toEqual(syntheticSteps(syntheticRecord({ runs: 2, steps: 100 }), 1).map((e) => [e.step, e.accuracy]))
    expect(train).toMatchObject({ showSymbol: false, sampling: 'lttb', color: seriesColor(1), name: 'zo-spsa' })
    const ev = byId<LineSeriesOption>(b, 'eval-0')
    expect(pairs(ev).map((p) => p[0])).toEqual([0, 25, 50, 75, 100])
    expect(ev.color).toBe(seriesColor(0))
    expect(b.points).toBe(2 * 100 + 2 * 5)
    expect(b.option.animation).toBe(false)
    const off = accuracyChart(d, { x: { kind: 'step' }, showTrain: false }, FALLBACK_THEME)
    expect(series<LineSeriesOption>(off).map((s) => s.id)).toEqual(['eval-0', 'eval-1'])
    expect(off.points).toBe(10)
  })

  it('puts an eval at the running time / energy up to its step', () => {
    const record = syntheticRecord({ runs: 1, steps: 100, evalEvery: 20 })
    const d = fed({ runs: 1, steps: 100, evalEvery: 20 })
    const steps = syntheticSteps(record, 0)
    const upTo = (s: number, f: (e: (typeof steps)[number]) => number) => steps.slice(0, s).reduce((a, e) => a + f(e), 0)
    const time = accuracyChart(d, { x: { kind: 'time', profile: 'test-npu' }, showTrain: true }, FALLBACK_THEME)
    expect(pairs(byId<LineSeriesOption>(time, 'eval-0')).map((p) => p[0])).toEqual([0, 20, 40, 60, 80, 100].map((s) => upTo(s, (e) => e.costs[1].seconds)))
    expect((time.option.xAxis as { name: string }).name).toBe('simulated time (s) on Test NPU')
    const energy = lossChart(d, { x: { kind: 'energy', profile: 'test-mcu' }, showTrain: true }, FALLBACK_THEME)
    const ev = pairs(byId<LineSeriesOption>(energy, 'eval-0'))
    expect(ev[3][0]).toBeCloseTo(upTo(60, (e) => e.costs[0].energyUj) / 1000, 12)
    const train = pairs(byId<LineSeriesOption>(energy, 'train-0'))
    expect(train[99][0]).toBeCloseTo(upTo(100, (e) => e.costs[0].energyUj) / 1000, 12)
    expect(train[99][1]).toBe(steps[99].loss)
  })

  it('falls back to steps without devices, and to the first device for an unknown one', () => {
    const none = fed({ runs: 1, steps: 20, profiles: [] })
    expect(effectiveX(none, { kind: 'time', profile: 'x' })).toEqual({ kind: 'step' })
    const d = fed({ runs: 1, steps: 20 })
    expect(effectiveX(d, { kind: 'energy', profile: 'gone' })).toEqual({ kind: 'energy', profile: 'test-mcu' })
    expect(accuracyChart(none, { x: { kind: 'time' }, showTrain: true }, FALLBACK_THEME).points).toBe(20 + 3)
  })

  it('rounds axis ends up', () => {
    expect([niceCeil(553), niceCeil(537.6), niceCeil(0.3), niceCeil(0), niceCeil(1000)]).toEqual([600, 550, 0.3, 1, 1000])
  })

  it('interleaves with a scale on x only', () => {
    expect(Array.from(interleave(Float64Array.of(1, 2), Float64Array.of(5, 6, 7), 10))).toEqual([10, 5, 20, 6])
  })

  it('decimates long curves to their envelope, in step order', () => {
    const n = 20_000
    const xs = Float64Array.from({ length: n }, (_, i) => i + 1)
    const ys = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + (i === 12_345 ? 5 : 0) - (i === 777 ? 5 : 0))
    expect(decimate(xs, ys, 2, n)).toEqual(interleave(xs, ys, 2))
    const out = decimate(xs, ys, 1, 1000)
    const px = out.filter((_, k) => k % 2 === 0), py = out.filter((_, k) => k % 2 === 1)
    expect(px.length).toBeLessThanOrEqual(1000)
    expect(px.length).toBeGreaterThan(990)
    expect([px[0], px.at(-1)]).toEqual([1, n])
    for (let k = 1; k < px.length; k++) expect(px[k]).toBeGreaterThanOrEqual(px[k - 1])
    expect(Math.max(...py)).toBe(Math.max(...ys))
    expect(Math.min(...py)).toBe(Math.min(...ys))
    for (let k = 0; k < px.length; k++) expect(py[k]).toBe(ys[px[k] - 1])
  })
})

describe('bar charts', () => {
  it('stacks the peak step\'s memory by category, with a capacity line per device', () => {
    const d = fed({ runs: 2, steps: 60 }, 20, 40)
    const b = memoryChart(d, FALLBACK_THEME)
    const weights = byId<BarSeriesOption>(b, 'mem-weights')
    expect(weights.data).toEqual(d.runs.map((p) => d.peakMemory(p.run)!.breakdown.weights / 1024))
    const lines = (weights.markLine as { data: { yAxis: number; name: string }[] }).data
    expect(lines).toEqual([{ yAxis: 256, name: 'Test MCU' }, { yAxis: 512, name: 'Test NPU' }, { yAxis: 64, name: 'Tiny MCU' }])
    expect((b.option.yAxis as { max: number }).max).toBe(550)
    expect(series(b)).toHaveLength(7)
  })

  it('once finished, draws each category\'s own maximum beside the at-peak stack, unstacked', () => {
    const d = fed({ runs: 2, steps: 60 })
    // a category that peaks away from the total: 300 KiB of weight gradients, 0 at the peak
    d.runs[1].summary!.maxByCategory = { ...d.runs[1].summary!.peakMemory, weightGradients: 300 * 1024 }
    const b = memoryChart(d, FALLBACK_THEME)
    expect(series(b)).toHaveLength(14)
    const own = byId<BarSeriesOption>(b, 'mem-max-weightGradients')
    expect(own.stack).toBeUndefined()
    expect(own.name).toBe(byId<BarSeriesOption>(b, 'mem-weightGradients').name)
    expect(own.data).toEqual([d.runs[0].summary!.maxByCategory.weightGradients / 1024, 300])
    expect((b.option.yAxis as { max: number }).max).toBeGreaterThanOrEqual(300)
    const tip = (b.option.tooltip as { formatter: (p: unknown) => string }).formatter
    expect(tip([{ seriesId: 'mem-weightGradients', seriesName: 'weight grads', value: 0, axisValueLabel: 'a<b>' }, { seriesId: 'mem-max-weightGradients', seriesName: 'weight grads', value: 300 }]))
      .toBe('a&lt;b&gt;<br/>weight grads own max: 300 KiB')
  })

  it('sums cycles by phase per (algorithm × device), from the summary once finished', () => {
    const record = syntheticRecord({ runs: 2, steps: 80 })
    const live = fed({ runs: 2, steps: 80 }, 30, 50)
    const b = cyclesChart(live, 'linear', FALLBACK_THEME)
    const labels = (b.option.yAxis as { data: string[] }).data
    expect(labels).toHaveLength(6)
    expect(labels[3]).toBe('Test NPU · zo-spsa')
    const fwd = byId<BarSeriesOption>(b, 'phase-forward').data as number[]
    expect(fwd[3]).toBe(syntheticSteps(record, 1, 50).reduce((a, e) => a + e.costs[1].phaseCycles.forward, 0))
    const done = fed({ runs: 2, steps: 80 })
    const bd = byId<BarSeriesOption>(cyclesChart(done, 'log', FALLBACK_THEME), 'phase-update').data as number[]
    expect(bd[4]).toBe(done.runs[0].summary!.profiles[2].byPhase.update.cycles)
    expect((cyclesChart(done, 'log', FALLBACK_THEME).option.xAxis as { type: string }).type).toBe('log')
  })
})

describe('bar charts on chosen devices', () => {
  it('draws the SRAM lines of the chosen devices only, one per capacity', () => {
    const d = fed({ runs: 2, steps: 60 }, 20, 40)
    const lines = (b: ReturnType<typeof memoryChart>) => (byId<BarSeriesOption>(b, 'mem-weights').markLine as { data: { yAxis: number; name: string }[] }).data
    expect(lines(memoryChart(d, FALLBACK_THEME, ['tiny-mcu', 'test-npu']))).toEqual([{ yAxis: 64, name: 'Tiny MCU' }, { yAxis: 512, name: 'Test NPU' }])
    expect(byId<BarSeriesOption>(memoryChart(d, FALLBACK_THEME, []), 'mem-weights').markLine).toBeUndefined()
  })

  it('draws cycles only for the pairs the plan prices, on the chosen devices, in their order', () => {
    const record = syntheticRecord({ runs: 2, steps: 30 })
    record.plan = [record.plan[0], { ...record.plan[1], devices: [{ profile: 'test-npu', changes: [] }] }]
    const d = ExperimentData.fromRecord(record) // before any push: the plan alone decides the bars
    const labels = (cyclesChart(d, 'linear', FALLBACK_THEME, ['test-npu', 'test-mcu']).option.yAxis as { data: string[] }).data
    expect(labels).toEqual(['Test NPU · backprop', 'Test NPU · zo-spsa', 'Test MCU · backprop'])
  })
})

describe('compare chart', () => {
  it('names every (experiment × algorithm) with its creation time, each its own color', () => {
    const a = fed({ runs: 2, steps: 30, evalEvery: 10, id: 'a', createdAt: '2025-03-01T10:00:00Z' })
    const b = fed({ runs: 1, steps: 30, evalEvery: 10, id: 'b', createdAt: '2025-03-02T10:00:00Z' })
    const built = compareChart([a, b], FALLBACK_THEME)
    const s = series<LineSeriesOption>(built)
    expect(s.map((x) => x.name)).toEqual([compareName(a, a.runs[0]), compareName(a, a.runs[1]), compareName(b, b.runs[0])])
    expect(new Set(s.map((x) => x.name)).size).toBe(3)
    expect(s[0].name).toMatch(/^synthetic \(2025-03-0\d \d\d:\d\d:\d\d\) · backprop$/)
    expect(new Set(s.map((x) => x.color)).size).toBe(3)
    expect(built.points).toBe(3 * 4)
  })
})

// Not a test of speed (nothing is asserted about time): it prints what one dashboard update costs to build
// at the size the brief names (4 algorithm runs × 20 000 steps, 3 devices), for the report.
describe('option building at 4 runs × 20 000 steps', () => {
  it('builds all four dashboard charts (timing printed)', () => {
    const d = fed({ runs: 4, steps: 20_000, evalEvery: 500 }, 1000)
    const x = { kind: 'time' as const, profile: 'test-npu' }
    const buildAll = () => [
      accuracyChart(d, { x, showTrain: true }, FALLBACK_THEME), lossChart(d, { x, showTrain: true }, FALLBACK_THEME),
      memoryChart(d, FALLBACK_THEME), cyclesChart(d, 'linear', FALLBACK_THEME),
    ]
    for (let i = 0; i < 3; i++) buildAll() // warm up
    const n = 20
    const t0 = performance.now()
    let points = 0
    for (let i = 0; i < n; i++) points = buildAll().reduce((a, b) => a + b.points, 0)
    const ms = (performance.now() - t0) / n
    console.info(`[dashboard] building all chart options for 4 runs × 20 000 steps (${points} points after decimation): ${ms.toFixed(2)} ms per update`)
    // the step curves are decimated to at most MAX_STEP_POINTS each; memory is 7 categories at the peak
    // and 7 own maxima per run
    expect(points).toBeLessThanOrEqual(2 * (4 * MAX_STEP_POINTS + 4 * 41) + 2 * 7 * 4 + 4 * 3 * 4)
    expect(points).toBeGreaterThan(2 * (4 * (MAX_STEP_POINTS - 10)))
  })
})
