// The report's charts as inline SVG, drawn by ECharts' server-side renderer (no DOM, no network): the
// trade-off fronts, accuracy and memory over weight × activation widths, and per device the memory against
// its SRAM and the cycles and energy by phase. Options are built here from the report's data only.
import * as echarts from 'echarts'
import { MEMORY_CATEGORIES, MEMORY_CATEGORY_LABELS } from '../../simulators/core/memory-categories'
import { PHASES } from '../../simulators/core/op'
import { paretoFront, heatCells } from '../../simulators/sweep/analysis'
import type { SweepReport } from '../../simulators/sweep/report'
import type { TrialRow } from '../../simulators/sweep/results'

const CLASS_COLOR: Record<string, string> = { npu: '#7c3aed', dsp: '#0f766e', mcu: '#c2410c' }
const CATEGORY_COLOR = ['#2563eb', '#16a34a', '#dc2626', '#ea580c', '#9333ea', '#0891b2', '#64748b']
const PHASE_COLOR = ['#2563eb', '#dc2626', '#16a34a', '#9333ea']
const TEXT = { color: '#1d2330', fontSize: 11 }
/**
 * Without a canvas, ECharts' server-side renderer lays text out (legend spacing, label positions) with a
 * built-in table of advance widths: Arial's / Helvetica's (zrender core/platform.js, 'a' 0.556 em,
 * 'm' 0.833 em, as in Arial's metrics). The reader's browser draws the SVG with the font named here, so the
 * charts name fonts with those widths — Liberation Sans is metric-compatible with Arial by design, and is
 * Debian's — before the generic family. With system-ui (DejaVu Sans on Debian, about 10 % wider) legend
 * entries ran into each other and titles ran past the chart's edge.
 */
export const CHART_FONT = "Arial, Helvetica, 'Liberation Sans', sans-serif" // single quotes: it ends up in style="…" attributes

function svg(option: echarts.EChartsCoreOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height })
  chart.setOption({ animation: false, textStyle: { fontFamily: CHART_FONT }, ...option })
  const out = chart.renderToSVGString()
  chart.dispose()
  return out
}

export interface Axis { key: 'energyUjPerAdaptation' | 'secondsPerAdaptation' | 'sramDemandBytes' | 'energyUjPerStep' | 'secondsPerStep'; name: string; scale: number }
export const TRADE_OFF_AXES: Axis[] = [
  { key: 'energyUjPerAdaptation', name: 'energy per adaptation (mJ)', scale: 1e-3 },
  { key: 'secondsPerAdaptation', name: 'time per adaptation (s)', scale: 1 },
  { key: 'sramDemandBytes', name: 'peak memory (KiB)', scale: 1 / 1024 },
]

/** Final accuracy against a cost, every (trial × device) that fits; the Pareto front drawn, the rest faded. */
export function paretoSvg(rows: readonly TrialRow[], axis: Axis): string {
  const fit = rows.filter((r) => r.feasible)
  const pts = fit.map((r) => ({ x: r[axis.key] * axis.scale, y: 100 * r.finalAccuracy }))
  const front = paretoFront(pts, false, true)
  const frontLine = [...front].map((i) => pts[i]).sort((a, b) => a.x - b.x).map((p) => [p.x, p.y])
  const byClass = (cls: string, onFront: boolean) => fit.flatMap((r, i) => (r.deviceClass === cls && front.has(i) === onFront ? [[pts[i].x, pts[i].y, `${r.device} · ${r.label}`]] : []))
  return svg({
    title: { text: `Accuracy against ${axis.name}`, left: 8, top: 4, textStyle: { fontSize: 13 } },
    legend: { bottom: 0, left: 'center', textStyle: TEXT, itemWidth: 10, itemHeight: 10 },
    grid: { left: 48, right: 16, top: 34, bottom: 62 },
    xAxis: { type: 'log', name: axis.name, nameLocation: 'middle', nameGap: 24, axisLabel: TEXT, nameTextStyle: TEXT },
    yAxis: { type: 'value', scale: true, name: 'accuracy %', nameLocation: 'middle', nameGap: 34, axisLabel: TEXT, nameTextStyle: TEXT },
    series: [
      ...Object.entries(CLASS_COLOR).flatMap(([cls, color]) => [
        { name: cls.toUpperCase(), type: 'scatter', data: byClass(cls, true), symbolSize: 10, itemStyle: { color } },
        { name: cls.toUpperCase(), type: 'scatter', data: byClass(cls, false), symbolSize: 7, itemStyle: { color, opacity: 0.25 } },
      ]),
      { name: 'Pareto front', type: 'line', data: frontLine, showSymbol: false, lineStyle: { color: '#1d2330', width: 1.5, type: 'dashed' }, z: 1 },
    ],
  }, 460, 300)
}

/** A heat map of `value` over weight × activation widths (as trained) for one algorithm. */
export function heatmapSvg(rows: readonly TrialRow[], algorithm: string, what: 'accuracy' | 'memory'): string {
  const mine = rows.filter((r) => r.algorithm === algorithm)
  const value = what === 'accuracy' ? (r: TrialRow) => 100 * r.finalAccuracy : (r: TrialRow) => r.sramDemandBytes / 1024
  const cells = heatCells(mine, (r) => r.formats.weightBits, (r) => r.formats.activationBits, value)
  const xs = [...new Set(cells.map((c) => c.x))].sort((a, b) => a - b)
  const ys = [...new Set(cells.map((c) => c.y))].sort((a, b) => a - b)
  const values = cells.map((c) => c.value)
  return svg({
    title: { text: `${algorithm}: ${what === 'accuracy' ? 'final accuracy (%)' : 'peak memory (KiB)'} by widths`, left: 8, top: 4, textStyle: { fontSize: 12 } },
    grid: { left: 52, right: 16, top: 34, bottom: 54 },
    xAxis: { type: 'category', data: xs.map((x) => `W${x}`), axisLabel: TEXT },
    yAxis: { type: 'category', data: ys.map((y) => `A${y}`), axisLabel: TEXT },
    visualMap: { min: Math.min(...values), max: Math.max(...values, Math.min(...values) + 1e-9), calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, textStyle: TEXT, inRange: { color: what === 'accuracy' ? ['#fee2e2', '#16a34a'] : ['#dbeafe', '#1e3a8a'] } },
    // one decimal on every cell: a bare "79" beside "78.4" read as a different precision
    series: [{ type: 'heatmap', data: cells.map((c) => [xs.indexOf(c.x), ys.indexOf(c.y), Number(c.value.toFixed(1))]), label: { show: true, fontSize: 11, formatter: (p: { value: number[] }) => p.value[2].toFixed(1) } }],
  }, 300, 230)
}

/** Per device: peak memory by category (the recommended configuration) against the device's SRAM. */
export function memorySvg(r: SweepReport): string {
  const devices = [...r.devices].sort((a, b) => a.sramBytes - b.sramBytes)
  // the eight legend entries take two lines at this width: the bars start below them
  const height = 80 + 22 * devices.length
  return svg({
    title: { text: 'Peak memory by category against each device\'s SRAM (KiB)', left: 8, top: 4, textStyle: { fontSize: 13 } },
    legend: { top: 24, left: 8, right: 8, textStyle: TEXT, itemWidth: 10, itemHeight: 10 },
    grid: { left: 130, right: 24, top: 74, bottom: 24 },
    xAxis: { type: 'value', axisLabel: TEXT },
    yAxis: { type: 'category', data: devices.map((d) => d.id), axisLabel: TEXT },
    series: [
      ...MEMORY_CATEGORIES.map((c, i) => ({ name: MEMORY_CATEGORY_LABELS[c], type: 'bar', stack: 'mem', barWidth: 12, itemStyle: { color: CATEGORY_COLOR[i] }, data: devices.map((d) => +(d.memory[c] / 1024).toFixed(1)) })),
      { name: 'SRAM', type: 'scatter', symbol: 'rect', symbolSize: [3, 18], itemStyle: { color: '#1d2330' }, data: devices.map((d, i) => [+(d.sramBytes / 1024).toFixed(0), i]) },
    ],
  }, 760, height)
}

/**
 * Per device: how one adaptation's cycles (or energy) split over the phases, as shares (devices differ by
 * orders of magnitude, so absolute stacked bars would hide the small ones); the total is in the label.
 */
export function phasesSvg(r: SweepReport, what: 'cycles' | 'energy', total: (d: SweepReport['devices'][number]) => string): string {
  const devices = r.devices.filter((d) => PHASES.some((ph) => d.byPhase[ph].cycles > 0))
  const height = 60 + 22 * devices.length
  const v = (d: SweepReport['devices'][number], ph: (typeof PHASES)[number]) => (what === 'cycles' ? d.byPhase[ph].cycles : d.byPhase[ph].energyPj)
  const share = (d: SweepReport['devices'][number], ph: (typeof PHASES)[number]) => {
    const sum = PHASES.reduce((a, p) => a + v(d, p), 0)
    return sum > 0 ? +(100 * v(d, ph) / sum).toFixed(1) : 0
  }
  return svg({
    title: { text: what === 'cycles' ? 'Where the time goes: cycles by phase (%, total per adaptation)' : 'Where the energy goes: energy by phase (%, total per adaptation)', left: 8, top: 4, textStyle: { fontSize: 13 } },
    legend: { top: 24, left: 8, textStyle: TEXT, itemWidth: 10, itemHeight: 10 },
    grid: { left: 200, right: 24, top: 54, bottom: 24 },
    xAxis: { type: 'value', max: 100, axisLabel: TEXT },
    yAxis: { type: 'category', data: devices.map((d) => `${d.id} (${total(d)})`), axisLabel: TEXT },
    series: PHASES.map((ph, i) => ({ name: ph, type: 'bar', stack: 'p', barWidth: 12, itemStyle: { color: PHASE_COLOR[i] }, data: devices.map((d) => share(d, ph)) })),
  }, 760, height)
}
