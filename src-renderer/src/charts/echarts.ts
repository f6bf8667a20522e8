// The ECharts modules the dashboard and the sweep views draw with, registered once (tree-shaken: not the whole `echarts`).
import { use } from 'echarts/core'
import { BarChart, HeatmapChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts'
import {
  DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, ParallelComponent, TitleComponent, TooltipComponent, VisualMapComponent,
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([
  LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, MarkLineComponent, TitleComponent, CanvasRenderer,
  // the sweep's Pareto scatter, width heat maps and parallel coordinates
  ScatterChart, HeatmapChart, ParallelChart, ParallelComponent, VisualMapComponent,
])
