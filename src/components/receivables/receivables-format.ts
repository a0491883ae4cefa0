import type { Locale } from '../../domain/format.ts'
import type { ClientKey, ClientRef } from '../../domain/receivables/receivable-invoice.ts'
import type { AgingBucket } from '../../domain/receivables/aging.ts'
import type { MessageKey } from '../../i18n/messages.ts'
import type { Translator } from '../../i18n/translate.ts'
import { formatMoney } from '../../domain/format.ts'
import { minorUnitDigits } from '../../domain/money.ts'
import { csvDecimal } from '../../domain/receivables/csv.ts'

const LOCALE_TAGS: Record<Locale, string> = { ru: 'ru-RU', en: 'en-GB' }

/** `1 234,50 ₽` for minor units of `currency`. */
export function formatMinor(amountMinor: number, currency: string, locale: Locale): string {
  return formatMoney({ amountMinor, currency }, locale)
}

/** `42 %`, or `—` for a figure that cannot be computed. */
export function formatPercent(share: number | null, locale: Locale, fraction = true): string {
  if (share === null)
    return '—'
  return new Intl.NumberFormat(LOCALE_TAGS[locale], { maximumFractionDigits: 1 }).format(fraction ? share * 100 : share) + '\u00A0%'
}

/** A number of days with one decimal, or `—`. */
export function formatNumber(value: number | null, locale: Locale, digits = 1): string {
  return value === null ? '—' : new Intl.NumberFormat(LOCALE_TAGS[locale], { maximumFractionDigits: digits }).format(value)
}

/** `мар. 2026` / `Mar 2026` for `2026-03`; `short` gives `мар. 26` for chart axes. */
export function formatMonth(month: string, locale: Locale, short = false): string {
  const parts = new Intl.DateTimeFormat(LOCALE_TAGS[locale], { timeZone: 'UTC', month: 'short', year: short ? '2-digit' : 'numeric' })
    .formatToParts(new Date(`${month}-01T00:00:00Z`))
  const part = (type: string) => parts.find(p => p.type === type)?.value ?? ''
  return `${part('month')} ${part('year')}`
}

/** The BCP 47 tag charts format their axis numbers with. */
export function localeTag(locale: Locale): string {
  return LOCALE_TAGS[locale]
}

/** An amount for a CSV cell: decimal, no grouping, the locale's decimal mark. */
export function csvMinor(amountMinor: number, currency: string, locale: Locale): string {
  const digits = minorUnitDigits(currency)
  return csvDecimal(amountMinor / 10 ** digits, digits, locale === 'ru' ? ',' : '.')
}

/** A ratio (0..1) as a CSV percentage, or an empty cell. */
export function csvPercent(share: number | null, locale: Locale): string {
  return share === null ? '' : csvDecimal(share * 100, 1, locale === 'ru' ? ',' : '.')
}

/** The aging bucket's label: «1–30 дней». */
export function bucketLabel(bucket: AgingBucket, { t }: Translator): string {
  return t(`dashboard.bucket.${bucket}` as MessageKey)
}

/** The client's name, or «Компания #12» when the portal gave none. */
export function clientName(key: ClientKey, client: ClientRef | null, names: ReadonlyMap<ClientKey, string>, { t }: Translator): string {
  if (!client)
    return t('dashboard.client.none')
  return names.get(key) ?? t(client.kind === 'company' ? 'dashboard.client.company' : 'dashboard.client.contact', { id: client.id })
}

/** The portal page of a client, for the side slider. */
export function clientPath(client: ClientRef): string {
  return `/crm/${client.kind}/details/${client.id}/`
}

/** The portal page of an invoice. */
export function invoicePath(invoiceId: number): string {
  return `/crm/type/31/details/${invoiceId}/`
}

/** Tighter table cells than the kit's default, tighter still in a narrow frame, so money columns fit at 400 px. */
export const TABLE_UI = {
  th: 'px-3 max-sm:px-1.5 max-sm:text-(length:--ui-font-size-sm)/(--ui-font-line-height-sm)',
  td: 'px-3 py-2.5 max-sm:px-1.5 max-sm:text-(length:--ui-font-size-sm)/(--ui-font-line-height-sm)',
}
