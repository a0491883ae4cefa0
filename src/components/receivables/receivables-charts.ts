import type { ChartConfiguration } from 'chart.js'
import type { AgingRow } from '../../domain/receivables/aging.ts'
import type { MonthTrend } from '../../domain/receivables/trends.ts'
import { minorUnitDigits } from '../../domain/money.ts'

/** Bitrix24 air palette: calm blue for what is not due, warming up to red for the oldest debt. */
const BUCKET_COLORS = ['#2fc6f6', '#ffc34d', '#ffa900', '#ff7a59', '#ff5752']

const decimal = (minor: number, currency: string) => minor / 10 ** minorUnitDigits(currency)

const BASE_OPTIONS = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  plugins: { legend: { position: 'bottom' } },
  scales: { y: { beginAtZero: true, ticks: { maxTicksLimit: 6 } } },
} as const

/** The aging bar chart: one bar per bucket, its balance; `locale` is a BCP 47 tag for the axis numbers. */
export function agingChart(rows: readonly AgingRow[], labels: readonly string[], currency: string, seriesLabel: string, locale: string): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: [...labels],
      datasets: [{ label: seriesLabel, data: rows.map(row => decimal(row.balanceMinor, currency)), backgroundColor: BUCKET_COLORS, borderRadius: 4 }],
    },
    options: { ...BASE_OPTIONS, locale, plugins: { legend: { display: false } } },
  }
}

/** Issued vs collected bars per month, with the overdue balance at each month's end as a line. */
export function trendsChart(rows: readonly MonthTrend[], labels: readonly string[], currency: string, series: { issued: string, collected: string, overdue: string }, locale: string): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: [...labels],
      datasets: [
        { type: 'bar', label: series.issued, data: rows.map(row => decimal(row.issuedMinor, currency)), backgroundColor: '#2fc6f6', borderRadius: 4 },
        { type: 'bar', label: series.collected, data: rows.map(row => decimal(row.collectedMinor, currency)), backgroundColor: '#9dcf00', borderRadius: 4 },
        { type: 'line', label: series.overdue, data: rows.map(row => decimal(row.overdueEndMinor, currency)), borderColor: '#ff5752', backgroundColor: '#ff5752', tension: 0.25, pointRadius: 3 },
      ],
    },
    options: { ...BASE_OPTIONS, locale },
  } as ChartConfiguration
}
