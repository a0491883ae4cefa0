import type { CalendarDate } from '../calendar-date.ts'

export interface BankKeyParts {
  readonly recipientAccount: string
  readonly date: CalendarDate
  readonly number: string
  /** In kopecks. */
  readonly amountMinor: number
  readonly payerInn: string
}

/**
 * The bank document's identity, written into the payment record (`bankRef`) so that importing
 * the same statement again — or an overlapping one — records nothing twice: our account, the
 * order's date and number, the amount and the payer's INN. Readable on purpose (it shows in the
 * timeline's tag line); about 60 characters.
 */
export function bankDocumentKey(parts: BankKeyParts): string {
  return [parts.recipientAccount, parts.date, parts.number.trim(), String(parts.amountMinor), parts.payerInn].join('/')
}
