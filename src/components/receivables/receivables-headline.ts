import type { MessageKey } from '../../i18n/messages.ts'
import type { ReceivablesReport } from '../../domain/receivables/report.ts'
import type { Translator } from '../../i18n/translate.ts'
import { formatCalendarDate } from '../../domain/format.ts'
import { formatMinor, formatNumber, formatPercent } from './receivables-format.ts'

/** One tile of the headline: what `ReceivablesFigure` shows. */
export interface HeadlineFigure {
  readonly figure: string
  readonly label: string
  readonly value: string
  readonly raw: string
  readonly hint: string
  readonly formula: string
  readonly calculation: string
  readonly alert: boolean
}

const raw = (value: number | null) => (value === null ? '' : String(value))

/** The headline tiles with their formulas, worded for the report's filter and period. */
export function headlineFigures(report: ReceivablesReport, translator: Translator): HeadlineFigure[] {
  const { t, locale } = translator
  const money = (minor: number) => formatMinor(minor, report.filter.currency, locale)
  const days = (value: number | null) => (value === null ? '—' : t('dashboard.days', { n: Math.round(value * 10) / 10, days: formatNumber(value, locale) }))
  const asOf = formatCalendarDate(report.asOf, locale)
  const { now, issued, daysToPay, dso, cei } = report
  const overdueShare = now.outstandingMinor > 0 ? now.overdueMinor / now.outstandingMinor : null
  const figure = (key: string, value: string, rawValue: number | null, hint: string, calculation: string, alert = false): HeadlineFigure => ({
    figure: key, label: t(`dashboard.figure.${key}` as MessageKey), value, raw: raw(rawValue), hint, formula: t(`dashboard.formula.${key}` as MessageKey), calculation, alert,
  })
  return [
    figure('outstanding', money(now.outstandingMinor), now.outstandingMinor, t('dashboard.invoices', { n: now.outstandingCount }),
      t('dashboard.calc.outstanding', { date: asOf, sum: money(now.outstandingMinor), n: now.outstandingCount })),
    figure('overdue', money(now.overdueMinor), now.overdueMinor, `${formatPercent(overdueShare, locale)} · ${t('dashboard.invoices', { n: now.overdueCount })}`,
      t('dashboard.calc.outstanding', { date: asOf, sum: money(now.overdueMinor), n: now.overdueCount }), now.overdueMinor > 0),
    figure('paidByCount', formatPercent(issued.paidShareByCount, locale), issued.paidShareByCount === null ? null : issued.paidShareByCount * 100,
      t('dashboard.hint.paidByCount', { paid: issued.paidCount, n: issued.count }),
      t('dashboard.calc.paidByCount', { paid: issued.paidCount, n: issued.count, value: formatPercent(issued.paidShareByCount, locale) })),
    figure('paidBySum', formatPercent(issued.paidShareBySum, locale), issued.paidShareBySum === null ? null : issued.paidShareBySum * 100,
      t('dashboard.hint.paidBySum', { paid: money(issued.paidMinor) }),
      t('dashboard.calc.paidBySum', { paid: money(issued.paidMinor), sum: money(issued.sumMinor), value: formatPercent(issued.paidShareBySum, locale) })),
    figure('daysToPay', days(daysToPay.averageDays), daysToPay.averageDays, t('dashboard.hint.daysToPay', { n: daysToPay.count }),
      t('dashboard.calc.daysToPay', { n: daysToPay.count, value: days(daysToPay.averageDays) })),
    figure('dso', days(dso.days), dso.days, t('dashboard.hint.dsoPeriod', { from: formatCalendarDate(report.period.from, locale), to: formatCalendarDate(report.period.to, locale) }),
      t('dashboard.calc.dso', { ar: money(dso.outstandingMinor), issued: money(dso.issuedMinor), n: dso.periodDays, value: days(dso.days) })),
    figure('cei', formatPercent(cei.percent, locale, false), cei.percent, t('dashboard.hint.cei'),
      t('dashboard.calc.cei', { opening: money(cei.openingMinor), issued: money(cei.issuedMinor), closing: money(cei.closingMinor), current: money(cei.closingCurrentMinor), value: formatPercent(cei.percent, locale, false) })),
    figure('issued', money(issued.sumMinor), issued.sumMinor, `${t('dashboard.invoices', { n: issued.count })} · ${t('dashboard.hint.term', { days: days(issued.averageTermDays) })}`,
      t('dashboard.calc.issued', { n: issued.count, sum: money(issued.sumMinor), days: days(issued.averageTermDays) })),
  ]
}
