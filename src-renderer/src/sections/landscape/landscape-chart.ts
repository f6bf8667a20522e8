// The ECharts option of the loss landscape view (pure: no DOM, unit-tested). The slice is a heat map on two
// category axes (ECharts draws heat maps only there), one cell per grid point; the trajectories are lines on
// two value axes laid over the same grid, whose ranges reach half a cell beyond the first and last grid
// coordinates so that a coordinate a_i sits exactly on the centre of cell i. Everything drawn comes from the
// study the engine computed (simulators/experiment/landscape-study.ts); nothing is interpolated.
import type { LandscapeRequest, LandscapeStudy } from '../../api/bridge'
import type { BuiltChart, ChartOption } from '../../charts/chart-options'
import { seriesColor, type ChartTheme } from '../../charts/palette'

/**
 * What the two directions are, for the axis names: a coordinate is a multiple of its direction vector, so the
 * name says what one unit along it is (with 'updates' directions a run's end point sits at 1).
 */
export function axisNames(directions: LandscapeRequest['directions'], labels: [string, string]): [string, string] {
  return directions === 'updates'
    ? [`a: multiples of d1 = ${labels[0]}'s net weight change (end − start)`, `b: multiples of d2 = ${labels[1]}'s net weight change (end − start)`]
    : ['a: multiples of d1, a random filter-normalised direction', 'b: multiples of d2, a second random filter-normalised direction']
}

/** loss in nats, four decimals: the tiny task's slice spans a few thousandths of a nat */
export const nats = (v: number): string => `${v.toFixed(4)} nats`

/** Axis bounds that put grid coordinate k on the centre of heat-map cell k (uniform grid, n ≥ 2). */
export function cellAlignedRange(coords: readonly number[]): [number, number] {
  const half = (coords[coords.length - 1] - coords[0]) / (coords.length - 1) / 2
  return [coords[0] - half, coords[coords.length - 1] + half]
}

/** Trajectory points outside the drawn slice (the plane extends beyond the grid; they are clipped). */
export function pointsOutside(study: LandscapeStudy): number {
  const [a0, a1] = cellAlignedRange(study.slice.a)
  const [b0, b1] = cellAlignedRange(study.slice.b)
  return study.trajectories.reduce((n, t) => n + t.points.filter((p) => p.a < a0 || p.a > a1 || p.b < b0 || p.b > b1).length, 0)
}

export interface LandscapeChartInput {
  study: LandscapeStudy
  directions: LandscapeRequest['directions']
  /** the two runs' labels and their colours' indices (the run's index in the plan, as on the dashboard) */
  runs: { label: string; index: number }[]
}

const as = (o: Record<string, unknown>) => o as ChartOption
// low loss light, high loss dark: a neutral ramp, so the runs' own colours stay the only hues on the chart
const RAMP = ['#f3f4f6', '#b9bec7', '#6b7280', '#2b2f36']

export function landscapeOption(input: LandscapeChartInput, theme: ChartTheme): BuiltChart {
  const { study, directions, runs } = input
  const { a, b, loss } = study.slice
  const values = loss.flat()
  const lo = Math.min(...values), hi = Math.max(...values)
  const [aMin, aMax] = cellAlignedRange(a)
  const [bMin, bMax] = cellAlignedRange(b)
  const [nameA, nameB] = axisNames(directions, [runs[0].label, runs[1].label])
  const text = { color: theme.muted, fontSize: 11 }
  const line = { lineStyle: { color: theme.border } }
  const coordLabel = { ...text, showMinLabel: false, showMaxLabel: false, formatter: (v: number) => String(+v.toFixed(3)) }
  const cells = loss.flatMap((row, j) => row.map((l, i) => [i, j, l]))
  const tooltip = (p: { seriesType?: string; seriesIndex?: number; dataIndex: number; data?: unknown }) => {
    if (p.seriesType === 'heatmap') {
      const [i, j, l] = cells[p.dataIndex]
      return `grid point a = ${a[i].toFixed(3)}, b = ${b[j].toFixed(3)}<br>loss ${nats(l)}`
    }
    const t = study.trajectories[(p.seriesIndex ?? 1) - 1]
    const q = t?.points[p.dataIndex]
    if (!q) return ''
    const off = q.norm > 0 ? `${((100 * q.residual) / q.norm).toFixed(0)} % of the step's offset lies outside the plane` : 'the start point w0'
    return `<b>${t.label}</b> · step ${q.step}<br>loss ${nats(q.loss)}<br>a = ${q.a.toFixed(3)}, b = ${q.b.toFixed(3)} (${off})`
  }
  return {
    points: cells.length + study.trajectories.reduce((n, t) => n + t.points.length, 0),
    option: as({
      animation: false,
      grid: { left: 64, right: 120, top: 36, bottom: 56 },
      legend: { top: 0, data: runs.map((r) => r.label), textStyle: { color: theme.text, fontSize: 12 } },
      tooltip: { trigger: 'item', formatter: tooltip },
      // the second axes of a grid default to the opposite side (top, right), where the legend and the colour
      // bar are: put them at the usual bottom and left. Their min/max sit half a cell beyond the grid, values
      // nobody asked for, so those two labels are not drawn (the ticks in between are).
      xAxis: [
        { type: 'category', data: a.map(String), show: false },
        { type: 'value', position: 'bottom', min: aMin, max: aMax, name: nameA, nameLocation: 'middle', nameGap: 30, nameTextStyle: text, axisLabel: coordLabel, axisLine: line, axisTick: line, splitLine: { show: false } },
      ],
      yAxis: [
        { type: 'category', data: b.map(String), show: false },
        { type: 'value', position: 'left', min: bMin, max: bMax, name: nameB, nameLocation: 'middle', nameGap: 44, nameTextStyle: text, axisLabel: coordLabel, axisLine: line, axisTick: line, splitLine: { show: false } },
      ],
      visualMap: {
        type: 'continuous', seriesIndex: 0, min: lo, max: hi > lo ? hi : lo + 1e-9, right: 8, top: 'middle', itemHeight: 220, itemWidth: 12,
        text: [`loss ${nats(hi)}`, `loss ${nats(lo)}`], textStyle: text, calculable: false, inRange: { color: RAMP },
      },
      series: [
        { id: 'slice', name: 'loss', type: 'heatmap', xAxisIndex: 0, yAxisIndex: 0, data: cells, emphasis: { itemStyle: { borderColor: theme.text, borderWidth: 1 } } },
        ...study.trajectories.map((t, k) => ({
          id: `trajectory-${k}`, name: runs[k].label, type: 'line', xAxisIndex: 1, yAxisIndex: 1, clip: true, z: 3,
          data: t.points.map((q) => [q.a, q.b]), symbol: 'circle', symbolSize: 9, showAllSymbol: true,
          itemStyle: { color: seriesColor(runs[k].index), borderColor: '#ffffff', borderWidth: 1.5 },
          lineStyle: { color: seriesColor(runs[k].index), width: 2.5 },
        })),
      ],
    }),
  }
}
