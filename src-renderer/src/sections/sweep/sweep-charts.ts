// ECharts options for the sweep's trade-off views, built from the report's rows only (pure: no DOM, so
// they are unit-tested). The front and the cells come from simulators/sweep/analysis, the same arithmetic
// the exported report draws with, so the studio and the report cannot disagree. Devices are coloured by
// class (NPU, DSP, MCU), not one hue each: 17 presets would exhaust any palette and the legend.
// The options are ECharts' core option shape, handed over as the dashboard's ChartOption (its composed
// type has no parallel coordinates; ChartCard only passes the option on to setOption).
import type { TrialRow } from '../../api/bridge'
import { heatCells, paretoFront } from '../../../../simulators/sweep/analysis'
import type { BuiltChart, ChartOption } from '../../charts/chart-options'
import { seriesColor, type ChartTheme } from '../../charts/palette'
import { energyUj, kib, pct, seconds } from '../../charts/format'
import { rowKey } from './table'

export interface XAxisChoice {
  id: 'energyUjPerStep' | 'energyUjPerAdaptation' | 'secondsPerStep' | 'secondsPerAdaptation' | 'sramDemandBytes'
  label: string
  format: (v: number) => string
}

export const PARETO_X: XAxisChoice[] = [
  { id: 'energyUjPerAdaptation', label: 'energy per adaptation', format: energyUj },
  { id: 'energyUjPerStep', label: 'energy per step', format: energyUj },
  { id: 'secondsPerAdaptation', label: 'time per adaptation', format: seconds },
  { id: 'secondsPerStep', label: 'time per step', format: seconds },
  { id: 'sramDemandBytes', label: 'peak memory', format: kib },
]

const CLASSES = ['npu', 'dsp', 'mcu']
export const classColor = (cls: string) => seriesColor(Math.max(0, CLASSES.indexOf(cls)) + (CLASSES.includes(cls) ? 0 : 3))

const as = (o: Record<string, unknown>) => o as ChartOption
const axisText = (t: ChartTheme) => ({ color: t.muted, fontSize: 11 })
const axisLine = (t: ChartTheme) => ({ lineStyle: { color: t.border } })

export interface ParetoModel {
  /** indices into rows of the front (among the configurations that fit) */
  front: Set<number>
  /** whether the x axis is logarithmic (costs spanning more than two decades, as NPUs against MCUs do) */
  log: boolean
}

/** The front: fitting configurations no other fitting one beats in both accuracy (up) and cost (down). */
export function paretoModel(rows: readonly TrialRow[], x: XAxisChoice['id']): ParetoModel {
  const pts = rows.map((r) => (r.feasible ? { x: r[x], y: r.finalAccuracy } : { x: NaN, y: NaN }))
  const front = paretoFront(pts, false, true)
  const xs = rows.map((r) => r[x]).filter((v) => v > 0)
  const log = xs.length > 1 && Math.max(...xs) / Math.min(...xs) > 100 && xs.length === rows.length
  return { front, log }
}

/**
 * Accuracy against the chosen cost: every row a point (its `name` is the row key, so a click selects the
 * table row), the front at full strength and joined by a line, dominated and non-fitting points faded
 * (non-fitting ones hollow), the selected row ringed.
 */
export function paretoOption(rows: readonly TrialRow[], x: XAxisChoice, selected: string | null, theme: ChartTheme): BuiltChart {
  const { front, log } = paretoModel(rows, x.id)
  const classes = [...new Set(rows.map((r) => r.deviceClass))].sort((a, b) => CLASSES.indexOf(a) - CLASSES.indexOf(b))
  const frontLine = [...front].map((i) => rows[i]).sort((a, b) => a[x.id] - b[x.id]).map((r) => [r[x.id], 100 * r.finalAccuracy])
  const point = (r: TrialRow, i: number) => {
    const onFront = front.has(i)
    const isSel = rowKey(r) === selected
    return {
      name: rowKey(r),
      value: [r[x.id], 100 * r.finalAccuracy],
      symbol: r.feasible ? 'circle' : 'emptyCircle',
      symbolSize: isSel ? 16 : onFront ? 11 : 8,
      itemStyle: { opacity: onFront || isSel ? 1 : 0.25, borderColor: isSel ? theme.text : undefined, borderWidth: isSel ? 2 : 0 },
    }
  }
  const byRow = new Map(rows.map((r) => [rowKey(r), r]))
  return {
    points: rows.length,
    option: as({
      animation: false,
      grid: { left: 56, right: 20, top: 48, bottom: 48 }, // top: a point at the best accuracy sits on the plot's top edge, clear of the legend (0–~24 px)
      legend: { top: 0, data: [...classes.map((c) => c.toUpperCase()), 'Pareto front'], textStyle: { color: theme.text, fontSize: 11 } },
      tooltip: {
        trigger: 'item',
        formatter: (p: unknown) => {
          const r = byRow.get((p as { name?: string }).name ?? '')
          if (!r) return 'Pareto front'
          return `<b>${r.deviceName}</b><br>${r.label} · W${r.formats.weightBits} A${r.formats.activationBits}<br>accuracy ${pct(r.finalAccuracy)} · ${x.label} ${x.format(r[x.id])}${r.feasible ? '' : '<br>does not fit'}`
        },
      },
      xAxis: { type: log ? 'log' : 'value', scale: true, name: x.label, nameLocation: 'middle', nameGap: 28, nameTextStyle: axisText(theme),
        axisLabel: { ...axisText(theme), hideOverlap: true, formatter: (v: number) => x.format(v) }, axisLine: axisLine(theme), splitLine: { lineStyle: { color: theme.border } } },
      yAxis: { type: 'value', scale: true, name: 'accuracy (%)', nameLocation: 'middle', nameGap: 40, nameTextStyle: axisText(theme), axisLabel: axisText(theme), axisLine: axisLine(theme), splitLine: { lineStyle: { color: theme.border } } },
      series: [
        ...classes.map((cls) => ({
          id: `class-${cls}`, name: cls.toUpperCase(), type: 'scatter' as const, itemStyle: { color: classColor(cls) },
          data: rows.flatMap((r, i) => (r.deviceClass === cls ? [point(r, i)] : [])),
        })),
        { id: 'front', name: 'Pareto front', type: 'line' as const, data: frontLine, showSymbol: false, silent: true, z: 1, lineStyle: { color: theme.text, width: 1.5, type: 'dashed' as const }, itemStyle: { color: theme.text } },
      ],
    }),
  }
}

export type HeatMetric = 'accuracy' | 'memory'

/** Cells of one algorithm's heat map: the mean over devices and seeds at each (weight, activation) width as judged. */
export function heatModel(rows: readonly TrialRow[], algorithm: string, metric: HeatMetric) {
  const mine = rows.filter((r) => r.algorithm === algorithm)
  const value = metric === 'accuracy' ? (r: TrialRow) => r.finalAccuracy : (r: TrialRow) => r.sramDemandBytes
  const cells = heatCells(mine, (r) => r.formats.weightBits, (r) => r.formats.activationBits, value)
  const xs = [...new Set(cells.map((c) => c.x))].sort((a, b) => a - b)
  const ys = [...new Set(cells.map((c) => c.y))].sort((a, b) => a - b)
  return { cells, xs, ys }
}

export function heatmapOption(rows: readonly TrialRow[], algorithm: string, metric: HeatMetric, theme: ChartTheme): BuiltChart {
  const { cells, xs, ys } = heatModel(rows, algorithm, metric)
  const values = cells.map((c) => c.value)
  const fmt = metric === 'accuracy' ? (v: number) => pct(v) : (v: number) => kib(v)
  const lo = Math.min(...values), hi = Math.max(...values)
  return {
    points: cells.length,
    option: as({
      animation: false,
      grid: { left: 48, right: 16, top: 12, bottom: 56 },
      tooltip: { trigger: 'item', formatter: (p: unknown) => {
        const c = cells[(p as { dataIndex: number }).dataIndex]
        return c ? `W${c.x} A${c.y}: ${fmt(c.value)} (mean of ${c.count})` : ''
      } },
      xAxis: { type: 'category', data: xs.map((v) => `W${v}`), axisLabel: axisText(theme), axisLine: axisLine(theme), name: 'weight bits', nameLocation: 'middle', nameGap: 22, nameTextStyle: axisText(theme) },
      yAxis: { type: 'category', data: ys.map((v) => `A${v}`), axisLabel: axisText(theme), axisLine: axisLine(theme) },
      visualMap: {
        min: lo, max: hi > lo ? hi : lo + 1e-9, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 100, itemWidth: 10,
        textStyle: axisText(theme), formatter: (v: unknown) => fmt(Number(v)),
        inRange: { color: metric === 'accuracy' ? ['#fbe3e3', '#2f8f46'] : ['#dde8f7', '#23467e'] },
      },
      series: [{ id: 'cells', type: 'heatmap', data: cells.map((c) => [xs.indexOf(c.x), ys.indexOf(c.y), c.value]),
        label: { show: true, fontSize: 11, formatter: (p: unknown) => fmt(((p as { value: number[] }).value)[2]) } }],
    }),
  }
}

/**
 * Parallel coordinates: one line per row over what was swept (device, algorithm, weight and activation
 * widths, seed) and what came out (accuracy, energy per adaptation, peak memory). Devices are a category
 * axis whose labels are the short names (truncated, full name in the tooltip); energy is logarithmic.
 */
export function parallelOption(rows: readonly TrialRow[], shortName: (id: string) => string, theme: ChartTheme): BuiltChart {
  const devices = [...new Set(rows.map((r) => r.device))]
  const algorithms = [...new Set(rows.map((r) => r.algorithm))]
  const seeds = [...new Set(rows.map((r) => r.seed))]
  const energies = rows.map((r) => r.energyUjPerAdaptation).filter((v) => v > 0)
  const logEnergy = energies.length === rows.length && energies.length > 1 && Math.max(...energies) / Math.min(...energies) > 100
  const text = axisText(theme)
  const dims = [
    { dim: 0, name: 'device', type: 'category' as const, data: devices.map(shortName), axisLabel: { ...text, width: 100, overflow: 'truncate' as const, interval: 0 } },
    { dim: 1, name: 'algorithm', type: 'category' as const, data: algorithms },
    { dim: 2, name: 'weight bits', type: 'value' as const, minInterval: 1, scale: true },
    { dim: 3, name: 'activation bits', type: 'value' as const, minInterval: 1, scale: true },
    ...(seeds.length > 1 ? [{ dim: 4, name: 'seed', type: 'category' as const, data: seeds.map(String) }] : []),
    { dim: 5, name: 'accuracy (%)', type: 'value' as const, scale: true },
    { dim: 6, name: 'energy / adaptation (µJ)', type: logEnergy ? ('log' as const) : ('value' as const), scale: true },
    { dim: 7, name: 'peak SRAM (KiB)', type: 'value' as const, scale: true },
  ]
  return {
    points: rows.length,
    option: as({
      animation: false,
      parallel: { left: 120, right: 90, top: 30, bottom: 24, parallelAxisDefault: { nameTextStyle: text, axisLabel: { ...text, hideOverlap: true }, axisLine: axisLine(theme), nameGap: 12 } },
      parallelAxis: dims,
      tooltip: { trigger: 'item', formatter: (p: unknown) => {
        const r = rows[(p as { dataIndex: number }).dataIndex]
        return r ? `<b>${r.deviceName}</b><br>${r.label} · W${r.formats.weightBits} A${r.formats.activationBits}<br>accuracy ${pct(r.finalAccuracy)} · ${energyUj(r.energyUjPerAdaptation)} per adaptation` : ''
      } },
      series: [{
        id: 'rows', type: 'parallel', lineStyle: { width: 1.2, opacity: 0.55 }, emphasis: { lineStyle: { width: 2.5, opacity: 1 } },
        data: rows.map((r) => ({
          value: [shortName(r.device), r.algorithm, r.formats.weightBits, r.formats.activationBits, String(r.seed), 100 * r.finalAccuracy, r.energyUjPerAdaptation, r.sramDemandBytes / 1024],
          lineStyle: { color: classColor(r.deviceClass) },
        })),
      }],
    }),
  }
}
