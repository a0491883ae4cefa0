import type { Locale } from '../format.ts'
import type { SubscriptionNotice } from './subscription-notices.ts'
import type { SubscriptionPeriod } from './subscription-period.ts'
import type { SubscriptionSchedule } from './subscription-schedule.ts'
import { formatCalendarDate, formatMoney } from '../format.ts'
import { escapeBbCode } from '../text/bb-code.ts'

const FREQUENCY = {
  ru: { monthly: 'ежемесячно', quarterly: 'ежеквартально', yearly: 'ежегодно', days: (n: number) => `каждые ${n} дн.` },
  en: { monthly: 'monthly', quarterly: 'quarterly', yearly: 'yearly', days: (n: number) => `every ${n} days` },
} as const

/** The schedule in one phrase: `ежемесячно с 01.03.2026, 12 периодов, 1 500,00 ₽`. */
export function scheduleSummary(schedule: SubscriptionSchedule, locale: Locale): string {
  const words = FREQUENCY[locale]
  const how = schedule.frequency === 'days' ? words.days(schedule.everyDays ?? 1) : words[schedule.frequency]
  const from = formatCalendarDate(schedule.startDate, locale)
  const { end, amount } = schedule
  const until = end.kind === 'date'
    ? (locale === 'ru' ? `по ${formatCalendarDate(end.on, locale)}` : `until ${formatCalendarDate(end.on, locale)}`)
    : end.kind === 'count' ? (locale === 'ru' ? `периодов: ${end.periods}` : `${end.periods} periods`) : (locale === 'ru' ? 'без срока' : 'no end')
  const sum = amount.kind === 'fixed' ? formatMoney(amount.amount, locale) : (locale === 'ru' ? 'сумма сделки' : 'deal amount')
  return locale === 'ru' ? `${how} с ${from}, ${until}, ${sum}` : `${how} from ${from}, ${until}, ${sum}`
}

/** The sentence of the deal's timeline entry when a schedule is set or changed. */
export function scheduleSetSentence(schedule: SubscriptionSchedule, locale: Locale): string {
  return locale === 'ru' ? `Подписка: ${scheduleSummary(schedule, locale)}` : `Subscription: ${scheduleSummary(schedule, locale)}`
}

/** The sentence of the deal's timeline entry when the subscription is stopped. */
export function scheduleStoppedSentence(locale: Locale): string {
  return locale === 'ru' ? 'Подписка остановлена: новые счета не выставляются' : 'Subscription stopped: no more invoices'
}

/** The period as people read it: `01.03.2026–31.03.2026`. */
export function periodLabel(period: Pick<SubscriptionPeriod, 'start' | 'end'>, locale: Locale): string {
  return `${formatCalendarDate(period.start, locale)}–${formatCalendarDate(period.end, locale)}`
}

/** Title of a period's invoice: the deal's title and the period. */
export function periodInvoiceTitle(dealTitle: string, period: SubscriptionPeriod, locale: Locale): string {
  return `${dealTitle} (${periodLabel(period, locale)})`
}

/** The manager's notification (and the deal's timeline sentence) for a subscription notice; the deal title and invoice number BB-inert. */
export function noticeText(notice: SubscriptionNotice, dealTitle: string, locale: Locale): string {
  const deal = dealTitle ? `«${escapeBbCode(dealTitle)}»` : ''
  if (notice.kind === 'endsSoon') {
    const on = formatCalendarDate(notice.endsOn, locale)
    return locale === 'ru' ? `Подписка по сделке ${deal} заканчивается ${on}. Продлите её, если клиент продолжает.` : `The subscription of deal ${deal} ends on ${on}. Extend it if the client goes on.`
  }
  const { invoice } = notice
  const number = escapeBbCode(invoice.number || `#${invoice.invoiceId}`)
  const due = invoice.dueDate ? formatCalendarDate(invoice.dueDate, locale) : ''
  return locale === 'ru' ? `Платёж по подписке не прошёл: счёт ${number} по сделке ${deal} не оплачен в срок (${due}).` : `A subscription payment failed: invoice ${number} of deal ${deal} was not paid by ${due}.`
}
