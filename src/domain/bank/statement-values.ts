import type { CalendarDate } from '../calendar-date.ts'
import { calendarDateOf } from '../calendar-date.ts'

const RU_DATE = /^(\d{2})\.(\d{2})\.(\d{4})$/
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/
const AMOUNT = /^(\d{1,13})(?:[.,](\d{1,2}))?$/

/** `dd.mm.yyyy` (the 1C format and Russian CSVs) or `yyyy-mm-dd` as a calendar day; null when it is not a real day. */
export function statementDate(value: string): CalendarDate | null {
  const text = value.trim()
  const ru = RU_DATE.exec(text)
  if (ru)
    return calendarDateOf(`${ru[3]}-${ru[2]}-${ru[1]}`)
  return ISO_DAY.test(text) ? calendarDateOf(text) : null
}

/**
 * A decimal amount (`1500.5`, `1 500,50`) in kopecks, exactly (no floating point); null when it
 * is not a non-negative amount with at most two decimals.
 */
export function statementAmount(value: string): number | null {
  const match = AMOUNT.exec(value.replace(/[\s\u00A0]/g, ''))
  if (!match)
    return null
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'))
}

const INN_IN_TEXT = /ИНН\s*(\d{10}|\d{12})(?!\d)/u

/** An INN: 10 or 12 digits, else empty. `0` (what banks write for "none") is empty too. */
export function innOf(value: string): string {
  const digits = value.trim()
  return /^(\d{10}|\d{12})$/.test(digits) ? digits : ''
}

/** The INN a payer's name line carries ("ИНН 7701234567 ООО «Ромашка»"), for banks that leave `ПлательщикИНН` empty. */
export function innInText(text: string): string {
  return INN_IN_TEXT.exec(text)?.[1] ?? ''
}
