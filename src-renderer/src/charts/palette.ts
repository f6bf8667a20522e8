// Colors and theme tokens the chart options are built from (pure: no DOM, so the builders are testable).

/** What a chart takes from the app theme (CSS variables read at option-build time, see theme.ts). */
export interface ChartTheme {
  text: string
  muted: string
  border: string
  surface: string
}

/** A theme for tests and for a document without the variables. */
export const FALLBACK_THEME: ChartTheme = { text: '#1c2230', muted: '#5d6676', border: '#dde1e7', surface: '#ffffff' }

// Tableau 10: mid-luminance hues that stay legible on both the light and the dark surface.
const SERIES = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#ff9da7', '#bab0ac']

/** One color per algorithm run (by run index), the same in every chart and table of a dashboard. */
export function seriesColor(i: number): string {
  return SERIES[((i % SERIES.length) + SERIES.length) % SERIES.length]
}

/** Memory categories and phases get their own hues so they never read as an algorithm. */
export const CATEGORY_COLORS = ['#5b8ff9', '#f6903d', '#9270ca', '#e8684a', '#5ad8a6', '#ff99c3', '#8d9bb0']
export const PHASE_COLORS = ['#3b82c4', '#d9644a', '#6aa84f', '#a678c9']
