import type { KeyMetrics } from '../../domain/receivables/key-metrics.ts'
import type { Translator } from '../../i18n/translate.ts'
import type { HeadlineFigure } from './receivables-headline.ts'
import { formatNumber, formatPercent } from './receivables-format.ts'

const raw = (value: number | null) => (value === null ? '' : String(value))

/** The key metrics' tiles with their formulas (`ReceivablesFigure`), worded for the filter and period. */
export function keyMetricsFigures(metrics: KeyMetrics, translator: Translator): HeadlineFigure[] {
  const { t, locale } = translator
  const days = (value: number | null) => (value === null ? '—' : t('dashboard.days', { n: Math.round(value * 10) / 10, days: formatNumber(value, locale) }))
  const count = (n: number) => new Intl.NumberFormat(locale).format(n)
  const { firstInvoice, origin, daysToPay, errors } = metrics
  const figure = (key: 'firstInvoice' | 'automatic' | 'daysToPay' | 'errors', value: string, rawValue: number | null, hint: string, calculation: string, alert = false): HeadlineFigure => ({
    figure: `metrics-${key}`, label: t(`dashboard.metrics.figure.${key}`), value, raw: raw(rawValue), hint, formula: t(`dashboard.metrics.formula.${key}`), calculation, alert,
  })
  const originValues = { automatic: count(origin.automatic), manual: count(origin.manual), unknown: count(origin.unknown) }
  return [
    figure('firstInvoice', days(firstInvoice.averageDays), firstInvoice.averageDays, t('dashboard.metrics.hint.firstInvoice', { n: firstInvoice.count }),
      t('dashboard.metrics.calc.firstInvoice', { total: days(firstInvoice.totalDays), n: count(firstInvoice.count), value: days(firstInvoice.averageDays), median: days(firstInvoice.medianDays) })),
    figure('automatic', formatPercent(origin.automaticShare, locale), origin.automaticShare === null ? null : origin.automaticShare * 100, t('dashboard.metrics.hint.automatic', originValues),
      t('dashboard.metrics.calc.automatic', { ...originValues, value: formatPercent(origin.automaticShare, locale) })),
    figure('daysToPay', days(daysToPay.averageDays), daysToPay.averageDays, t('dashboard.hint.daysToPay', { n: daysToPay.count }),
      t('dashboard.calc.daysToPay', { n: daysToPay.count, value: days(daysToPay.averageDays) })),
    figure('errors', errors === null ? '—' : count(errors), errors, errors === null ? t('dashboard.metrics.noJournal') : t('dashboard.metrics.hint.errors'),
      t('dashboard.metrics.calc.errors', { n: errors === null ? '—' : count(errors) }), (errors ?? 0) > 0),
  ]
}
