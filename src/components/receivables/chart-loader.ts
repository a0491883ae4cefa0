import type { Chart as ChartType } from 'chart.js'

let loading: Promise<typeof ChartType> | null = null

/**
 * chart.js, fetched the first time a chart is drawn: only the dashboard pays for it, and its
 * tables show before it arrives. Registers just the parts the dashboard's bar and line charts use.
 */
export function loadChart(): Promise<typeof ChartType> {
  loading ??= import('chart.js').then(({ Chart, BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend }) => {
    Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend)
    return Chart
  })
  return loading
}
