// ECharts options for the dashboard, built from ExperimentData (pure: no DOM, no ECharts runtime, so they are
// unit-tested and timed in node). Per-step series are handed to ECharts as one flat Float64Array of
// x,y pairs (its typed-array source: no per-point JS arrays to allocate, copy or garbage-collect) and drawn
// with LTTB sampling; evaluations are few and stay plain [x, y] pairs with symbols.
import type { ComposeOption } from 'echarts/core'
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts'
import type {
  DataZoomComponentOption, GridComponentOption, LegendComponentOption, MarkLineComponentOption, TitleComponentOption, TooltipComponentOption,
} from 'echarts/components'
import type { EvalEvent } from '../api/bridge'
import type { ExperimentData, RunData } from '../model/experiment-data'
import { MEMORY_CATEGORIES, MEMORY_CATEGORY_LABELS, type MemoryCategory } from '../../../simulators/core/memory-categories'
import { PHASES } from '../../../simulators/core/op'
import { CATEGORY_COLORS, PHASE_COLORS, seriesColor, type ChartTheme } from './palette'
import { compact, fixed, pct, shortDeviceNames, when } from './format'

export type ChartOption = ComposeOption<
  LineSeriesOption | BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
  | DataZoomComponentOption | MarkLineComponentOption | TitleComponentOption
>

export interface BuiltChart {
  option: ChartOption
  /** data points handed to ECharts (after decimate, before ECharts' own LTTB sampling) */
  points: number
  /** the height it needs in px, when more than the card's default 300 (many bars) */
  height?: number
}

/** The x axis of the curve charts: steps, or simulated time or energy on one device. */
export type XKind = 'step' | 'time' | 'energy'
export interface XChoice {
  kind: XKind
  /** the profile id for time and energy */
  profile?: string
}

export interface CurveOptions {
  x: XChoice
  /** also draw the per-step training-batch curve (faint) */
  showTrain: boolean
}

export const MEMORY_LABELS: Record<MemoryCategory, string> = MEMORY_CATEGORY_LABELS

/** The x axis is time or energy only if the experiment is priced on that profile. */
export function effectiveX(d: ExperimentData, x: XChoice): XChoice {
  if (x.kind === 'step') return x
  const profile = d.profiles.find((p) => p.id === x.profile) ?? d.profiles[0]
  return profile ? { kind: x.kind, profile: profile.id } : { kind: 'step' }
}

export function xAxisName(d: ExperimentData, x: XChoice): string {
  const name = d.profiles.find((p) => p.id === x.profile)?.name ?? x.profile
  return x.kind === 'time' ? `simulated time (s) on ${name}` : x.kind === 'energy' ? `energy (mJ) on ${name}` : 'step'
}

/** Energy is plotted in mJ; the columns are µJ. */
const xScale = (x: XChoice) => (x.kind === 'energy' ? 1e-3 : 1)
const xColumn = (x: XChoice) => (x.kind === 'time' ? `${x.profile}/seconds` : `${x.profile}/energyUj`)

/** The x of each step row, or undefined when the r has no such column (yet). */
function stepXs(r: RunData, x: XChoice): Float64Array | undefined {
  if (!r.rows) return undefined
  if (x.kind === 'step') return r.column('step')
  return r.hasColumn(xColumn(x)) ? r.cumulative(xColumn(x)) : undefined
}

/** The x of an evaluation: its step, or the running time/energy up to that step (0 for zero-shot). */
function evalX(r: RunData, x: XChoice, e: EvalEvent): number | undefined {
  if (x.kind === 'step') return e.step
  if (e.step === 0) return 0
  return r.hasColumn(xColumn(x)) ? r.cumulativeAt(xColumn(x), e.step) * xScale(x) : undefined
}

/** x,y pairs in one flat array (ECharts reads it with dimensions ['x', 'y']). */
export function interleave(xs: Float64Array, ys: Float64Array, scale = 1): Float64Array {
  const n = Math.min(xs.length, ys.length)
  const out = new Float64Array(2 * n)
  for (let i = 0, j = 0; i < n; i++, j += 2) { out[j] = xs[i] * scale; out[j + 1] = ys[i] }
  return out
}

/**
 * Per-step curves handed to ECharts carry at most this many points. A card is ~500 px wide: more points
 * than this only cost ECharts copying and re-sampling them on every update (4 runs × 20 000 steps, 5 times
 * a second), and it still leaves 8 points per pixel, enough detail for a 10× zoom.
 */
export const MAX_STEP_POINTS = 4000

/**
 * Like interleave, but above `max` points keeps the first and last point and each bucket's lowest and
 * highest (in step order): a noisy curve keeps its envelope, which averaging or striding would lose.
 */
export function decimate(xs: Float64Array, ys: Float64Array, scale = 1, max = MAX_STEP_POINTS): Float64Array {
  const n = Math.min(xs.length, ys.length)
  if (n <= max) return interleave(xs, ys, scale)
  const buckets = Math.floor((max - 2) / 2)
  const out = new Float64Array(2 * (2 * buckets + 2))
  let j = 0
  const put = (i: number) => { out[j++] = xs[i] * scale; out[j++] = ys[i] }
  put(0)
  const size = (n - 2) / buckets
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor(b * size), to = 1 + Math.floor((b + 1) * size)
    let lo = from, hi = from
    for (let i = from + 1; i < to; i++) {
      if (ys[i] < ys[lo]) lo = i
      if (ys[i] > ys[hi]) hi = i
    }
    put(Math.min(lo, hi))
    put(Math.max(lo, hi))
  }
  put(n - 1)
  return out
}

function axisStyle(theme: ChartTheme) {
  return {
    axisLine: { lineStyle: { color: theme.border } },
    axisTick: { lineStyle: { color: theme.border } },
    axisLabel: { color: theme.muted },
    splitLine: { lineStyle: { color: theme.border, opacity: 0.6 } },
    nameTextStyle: { color: theme.muted },
  }
}

function common(theme: ChartTheme): ChartOption {
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: theme.text },
    legend: { type: 'scroll', top: 0, textStyle: { color: theme.muted }, pageTextStyle: { color: theme.muted } },
    // drawn on the canvas: the HTML tooltip's markup carries inline style attributes, which the CSP refuses
    tooltip: { renderMode: 'richText', backgroundColor: theme.surface, borderColor: theme.border, textStyle: { color: theme.text }, confine: true },
  }
}

interface TooltipParam { marker?: unknown; seriesName?: string; value?: unknown }

/** Evaluations only (see the step series' tooltip), each with its own x: on time axes they differ per run. */
function curveTooltip(format: (v: number) => string, xUnit: string) {
  return (raw: unknown) => {
    const params = (Array.isArray(raw) ? raw : [raw]) as TooltipParam[]
    return params.map((p) => {
      const v = p.value as ArrayLike<number>
      return `${typeof p.marker === 'string' ? p.marker : ''}${p.seriesName}: ${format(v[1])} at ${Number(v[0].toPrecision(4))} ${xUnit}`
    }).join('\n')
  }
}

interface CurveSpec {
  column: 'accuracy' | 'loss'
  evalValue: (e: EvalEvent) => number
  yFormat: (v: number) => string
  yMax?: number
}

function curveChart(d: ExperimentData, o: CurveOptions, theme: ChartTheme, c: CurveSpec): BuiltChart {
  const x = effectiveX(d, o.x)
  const series: LineSeriesOption[] = []
  let points = 0
  for (const r of d.runs) {
    const color = seriesColor(r.run)
    const xs = o.showTrain ? stepXs(r, x) : undefined
    if (xs) {
      const data = decimate(xs, r.column(c.column), x.kind === 'step' ? 1 : xScale(x))
      points += data.length / 2
      series.push({
        id: `train-${r.run}`, name: r.label, type: 'line', dimensions: ['x', 'y'], encode: { x: 0, y: 1 },
        // a typed array is a valid ECharts source; the option types only know plain arrays
        data: data as unknown as LineSeriesOption['data'],
        showSymbol: false, sampling: 'lttb', color, lineStyle: { width: 1, opacity: 0.28 }, z: 1, emphasis: { disabled: true },
        // the axis tooltip shows only the series nearest the pointer: dense step curves would always win
        tooltip: { show: false },
      })
    }
    const evals: [number, number][] = []
    for (const e of r.evals) {
      const ex = evalX(r, x, e)
      if (ex !== undefined) evals.push([ex, c.evalValue(e)])
    }
    points += evals.length
    series.push({
      id: `eval-${r.run}`, name: r.label, type: 'line', data: evals, showSymbol: true, symbolSize: 5, color,
      lineStyle: { width: 2 }, z: 3,
    })
  }
  const xName = xAxisName(d, x)
  const base = common(theme)
  return {
    points,
    option: {
      ...base,
      grid: { left: 56, right: 20, top: 36, bottom: 48 },
      tooltip: { ...base.tooltip, trigger: 'axis', formatter: curveTooltip(c.yFormat, x.kind === 'step' ? 'steps' : x.kind === 'time' ? 's' : 'mJ') },
      // steps: the whole planned run, so curves grow across a fixed axis; time and energy: unknown until the end
      xAxis: { type: 'value', name: xName, nameLocation: 'middle', nameGap: 28, min: 0, max: x.kind === 'step' ? Math.max(1, ...d.runs.map((p) => p.totalSteps)) : undefined, ...axisStyle(theme) },
      yAxis: { type: 'value', min: 0, max: c.yMax, ...axisStyle(theme), axisLabel: { color: theme.muted, formatter: c.yFormat } },
      dataZoom: [{ type: 'inside', xAxisIndex: 0 }],
      series,
    },
  }
}

/** Target test accuracy (evaluations) per algorithm, training-batch accuracy faintly. */
export function accuracyChart(d: ExperimentData, o: CurveOptions, theme: ChartTheme): BuiltChart {
  return curveChart(d, o, theme, { column: 'accuracy', evalValue: (e) => e.accuracy, yFormat: (v) => pct(v, 0), yMax: 1 })
}

/** Training loss per step (faint) and test loss at each evaluation. */
export function lossChart(d: ExperimentData, o: CurveOptions, theme: ChartTheme): BuiltChart {
  return curveChart(d, o, theme, { column: 'loss', evalValue: (e) => e.loss, yFormat: (v) => fixed(v, 2) })
}

/** Axis labels of category charts colored by algorithm, so a bar reads as its algorithm at a glance. */
function categoryAxis(theme: ChartTheme, labels: string[], runs: number[]) {
  const style = axisStyle(theme)
  return {
    type: 'category' as const, data: labels, ...style,
    axisLabel: { color: (_: unknown, i?: number) => seriesColor(runs[i ?? 0]), interval: 0, fontWeight: 600 as const },
  }
}

/** A round axis end at or above v (553 -> 600). */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1
  const half = 10 ** Math.floor(Math.log10(v)) / 2
  return Number((Math.ceil(v / half) * half).toPrecision(12))
}

/** Legends of many short entries wrap instead of paging. */
function wrappedLegend(theme: ChartTheme) {
  return { type: 'plain' as const, top: 0, itemWidth: 12, itemHeight: 8, itemGap: 8, textStyle: { color: theme.muted, fontSize: 11 } }
}

/** SRAM lines with a label on the chart; past this many a line is named on hover */
const MAX_LABELLED_LINES = 6

/** The profiles to draw, in the order asked (all of the experiment's when `devices` is undefined). */
function shownProfiles(d: ExperimentData, devices: readonly string[] | undefined) {
  if (!devices) return d.profiles
  return devices.map((id) => d.profiles.find((p) => p.id === id)).filter((p) => p !== undefined)
}

/**
 * Peak-step memory by category per training (KiB), with the SRAM capacity of each device shown as a line.
 * `devices` picks the lines (a catalogue of 17 capacities would be a wall of overlapping labels); devices
 * with the same capacity share one line and one label.
 */
export function memoryChart(d: ExperimentData, theme: ChartTheme, devices?: readonly string[]): BuiltChart {
  const peaks = d.runs.map((p) => d.peakMemory(p.run))
  const totals = peaks.map((pk) => (pk ? MEMORY_CATEGORIES.reduce((a, c) => a + pk.breakdown[c], 0) / 1024 : 0))
  const short = shortDeviceNames(d.profiles)
  const byKib = new Map<number, string[]>()
  for (const p of shownProfiles(d, devices)) byKib.set(p.memory.sram.sizeKiB, [...(byKib.get(p.memory.sram.sizeKiB) ?? []), short.get(p.id)!])
  const caps = [...byKib].map(([kib, names]) => ({ kib, name: names.length > 2 ? `${names[0]} +${names.length - 1}` : names.join(', ') }))
  // the axis must reach the largest capacity too: markLines do not extend it
  // each category's own maximum, as a second (lighter) bar per training: a category that peaks away from
  // the total reads little or 0 in the at-peak stack. Its sum is no moment's total, so it is not stacked.
  const ownMax = peaks.some((pk) => pk?.ownMax)
  const ownTop = ownMax ? Math.max(0, ...peaks.flatMap((pk) => (pk?.ownMax ? MEMORY_CATEGORIES.map((c) => pk.ownMax![c] / 1024) : []))) : 0
  const top = niceCeil(Math.max(1, ...totals, ownTop, ...caps.map((c) => c.kib)) * 1.05)
  let points = 0
  const series: BarSeriesOption[] = MEMORY_CATEGORIES.map((cat, k) => {
    const data = peaks.map((pk) => (pk ? pk.breakdown[cat] / 1024 : 0))
    points += peaks.filter(Boolean).length
    return {
      id: `mem-${cat}`, name: MEMORY_LABELS[cat], type: 'bar', stack: 'peak', data, color: CATEGORY_COLORS[k], barMaxWidth: 56,
      ...(k === 0 && caps.length > 0 && {
        markLine: {
          // past a few lines their labels would overlap: then a line shows its name when the pointer is on it
          silent: caps.length <= MAX_LABELLED_LINES, symbol: 'none',
          data: caps.map((c) => ({ yAxis: c.kib, name: c.name })),
          lineStyle: { color: theme.muted, type: 'dashed' },
          label: { show: caps.length <= MAX_LABELLED_LINES, position: 'insideEndTop', color: theme.text, formatter: (p: { name?: string; value?: unknown }) => `${p.name} SRAM ${Number(p.value)} KiB` },
          emphasis: { label: { show: true } },
        },
      }),
    }
  })
  if (ownMax) {
    MEMORY_CATEGORIES.forEach((cat, k) => {
      // same name as the at-peak series: one legend entry toggles both
      series.push({ id: `mem-max-${cat}`, name: MEMORY_LABELS[cat], type: 'bar', data: peaks.map((pk) => (pk?.ownMax ? pk.ownMax[cat] / 1024 : 0)), color: CATEGORY_COLORS[k], itemStyle: { opacity: 0.45 }, barMaxWidth: 8, barGap: '10%' })
    })
    points += MEMORY_CATEGORIES.length * peaks.filter((pk) => pk?.ownMax).length
  }
  const base = common(theme)
  return {
    points,
    option: {
      ...base,
      legend: wrappedLegend(theme),
      grid: { left: 56, right: 20, top: 64, bottom: 40 },
      tooltip: {
        ...base.tooltip, trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${Number(Number(v).toFixed(1))} KiB`,
        // the two bars of a category share a name (one legend entry): the tooltip says which is which
        ...(ownMax && { formatter: memoryTooltip }),
      },
      // "backprop · W8" on two lines: five trainings' labels side by side would overlap
      xAxis: categoryAxis(theme, d.runs.map((p) => p.label.replace(' · ', '\n')), d.runs.map((p) => p.run)),
      yAxis: { type: 'value', name: ownMax ? 'KiB: stacked at the peak · thin bars each category\'s own max' : 'KiB at the peak step', max: top, ...axisStyle(theme) },
      series,
    },
  }
}

interface TooltipItem { seriesId?: string; seriesName?: string; marker?: unknown; value?: unknown; axisValueLabel?: string }

// a custom formatter's text is HTML: training labels come from the spec, so they are escaped
const html = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

function memoryTooltip(items: unknown): string {
  const list = (Array.isArray(items) ? items : [items]) as TooltipItem[]
  const row = (p: TooltipItem) => `${String(p.marker ?? '')}${html(p.seriesName ?? '')} ${p.seriesId?.startsWith('mem-max-') ? 'own max' : 'at peak'}: ${Number(Number(p.value).toFixed(1))} KiB`
  return [html(String(list[0]?.axisValueLabel ?? '').replace('\n', ' · ')), ...list.filter((p) => Number(p.value) > 0).map(row)].join('<br/>')
}

export type CyclesScale = 'linear' | 'log'

/**
 * Cumulative main-clock cycles by phase for every (training × device) the plan prices, as horizontal bars
 * grouped by device (the question is which algorithm is cheapest on a chip; devices differ by orders of
 * magnitude, hence log). `devices` picks which devices, in that order.
 */
export function cyclesChart(d: ExperimentData, scale: CyclesScale, theme: ChartTheme, devices?: readonly string[]): BuiltChart {
  const bars: { label: string; run: number; byPhase: Record<string, number> }[] = []
  const short = shortDeviceNames(d.profiles)
  const totals = d.runs.map((r) => r.totals(d.profileIds).profiles)
  for (const p of shownProfiles(d, devices)) {
    for (const r of d.runs) {
      if (!r.pricedOn(p.id)) continue
      const done = r.summary?.profiles.find((x) => x.profile === p.id)
      const live = totals[r.run]?.[p.id]
      const byPhase = Object.fromEntries(PHASES.map((ph) => [ph, done ? done.byPhase[ph].cycles : (live?.phaseCycles[ph] ?? 0)]))
      bars.push({ label: `${short.get(p.id)} · ${r.label}`, run: r.run, byPhase })
    }
  }
  // a log axis cannot show 0: leave those segments out
  const value = (v: number) => (scale === 'log' && v <= 0 ? null : v)
  const series: BarSeriesOption[] = PHASES.map((ph, k) => ({
    id: `phase-${ph}`, name: ph, type: 'bar', stack: 'cycles', color: PHASE_COLORS[k], barMaxWidth: 18,
    data: bars.map((b) => value(b.byPhase[ph])),
  }))
  const base = common(theme)
  return {
    points: bars.length * PHASES.length,
    // 18 px per bar keeps every label on its own line; legend and axis take 64
    height: Math.max(300, 64 + 18 * bars.length),
    option: {
      ...base,
      legend: wrappedLegend(theme),
      grid: { left: 8, right: 24, top: 28, bottom: 36, containLabel: true },
      tooltip: { ...base.tooltip, trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => `${compact(Number(v))} cycles` },
      // first bar at the top
      yAxis: { ...categoryAxis(theme, bars.map((b) => b.label), bars.map((b) => b.run)), inverse: true },
      xAxis: { type: scale === 'log' ? 'log' : 'value', name: 'cycles', nameLocation: 'middle', nameGap: 24, ...axisStyle(theme), axisLabel: { color: theme.muted, formatter: (v: number) => compact(v) } },
      series,
    },
  }
}

/** "<experiment> (<created>) · <algorithm>": experiment names may repeat, their creation times do not. */
export function compareName(d: ExperimentData, r: RunData): string {
  return `${d.name} (${when(d.meta.createdAt)}) · ${r.label}`
}

/** Test accuracy vs step for every (experiment × algorithm) of several experiment runs. */
export function compareChart(items: readonly ExperimentData[], theme: ChartTheme): BuiltChart {
  const series: LineSeriesOption[] = []
  let points = 0
  let k = 0
  for (const d of items) {
    for (const r of d.runs) {
      const data = r.evals.map((e): [number, number] => [e.step, e.accuracy])
      points += data.length
      series.push({ id: `cmp-${k}`, name: compareName(d, r), type: 'line', data, showSymbol: true, symbolSize: 4, color: seriesColor(k++), lineStyle: { width: 2 } })
    }
  }
  const base = common(theme)
  return {
    points,
    option: {
      ...base,
      legend: { ...base.legend, type: 'scroll' },
      grid: { left: 56, right: 20, top: 40, bottom: 48 },
      tooltip: { ...base.tooltip, trigger: 'axis', valueFormatter: (v) => pct(Number(v)) },
      xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 28, min: 0, ...axisStyle(theme) },
      yAxis: { type: 'value', min: 0, max: 1, ...axisStyle(theme), axisLabel: { color: theme.muted, formatter: (v: number) => pct(v, 0) } },
      dataZoom: [{ type: 'inside', xAxisIndex: 0 }],
      series,
    },
  }
}

