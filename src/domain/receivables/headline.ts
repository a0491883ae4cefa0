import type { DayNumber } from './day-number.ts'
import type { ReceivableInvoice } from './receivable-invoice.ts'
import { balanceOn, daysOverdueOn, isReceivable, paidBy } from './receivable-invoice.ts'

/** Receivables at the end of a day, minor units of the one filtered currency. */
export interface ReceivablesOn {
  /** Everything still owed (open balances, partly paid ones with what is left). */
  readonly outstandingMinor: number
  readonly outstandingCount: number
  /** The part past its due date (at least one day overdue). */
  readonly overdueMinor: number
  readonly overdueCount: number
  /** The part not yet due (outstanding − overdue): CEI's "current receivables". */
  readonly currentMinor: number
}

/** Collects outstanding and overdue balances invoice by invoice. */
export class ReceivablesTally {
  private outstandingMinor = 0
  private outstandingCount = 0
  private overdueMinor = 0
  private overdueCount = 0

  /** One invoice's balance and days overdue at the day. */
  add(balance: number, daysOverdue: number): void {
    if (balance <= 0)
      return
    this.outstandingMinor += balance
    this.outstandingCount++
    if (daysOverdue > 0) {
      this.overdueMinor += balance
      this.overdueCount++
    }
  }

  result(): ReceivablesOn {
    const { outstandingMinor, outstandingCount, overdueMinor, overdueCount } = this
    return { outstandingMinor, outstandingCount, overdueMinor, overdueCount, currentMinor: outstandingMinor - overdueMinor }
  }
}

/** Outstanding, overdue and current receivables at the end of `day`. */
export function receivablesOn(invoices: readonly ReceivableInvoice[], day: DayNumber): ReceivablesOn {
  const tally = new ReceivablesTally()
  for (const invoice of invoices)
    tally.add(balanceOn(invoice, day), daysOverdueOn(invoice, day))
  return tally.result()
}

/** Invoices issued in a period and how much of them is paid by the "as of" day. */
export interface IssuedSummary {
  readonly count: number
  readonly sumMinor: number
  /** Mean of (due date − issue date) in days over those with a due date; null when none. */
  readonly averageTermDays: number | null
  /** Fully paid by the "as of" day. */
  readonly paidCount: number
  /** Paid by the "as of" day, partial payments included. */
  readonly paidMinor: number
  /** paidCount / count, 0..1; null without invoices. */
  readonly paidShareByCount: number | null
  /** paidMinor / sumMinor, 0..1; null when nothing was issued. */
  readonly paidShareBySum: number | null
}

/** Collects the period's issued invoices invoice by invoice. */
export class IssuedTally {
  private count = 0
  private sumMinor = 0
  private termDays = 0
  private termCount = 0
  private paidCount = 0
  private paidMinor = 0

  constructor(private readonly from: DayNumber, private readonly to: DayNumber, private readonly asOf: DayNumber) {}

  add(invoice: ReceivableInvoice): void {
    const issueDay = invoice.issueDay
    if (issueDay === null || issueDay < this.from || issueDay > this.to || !isReceivable(invoice))
      return
    this.count++
    this.sumMinor += invoice.amount.amountMinor
    if (invoice.dueDay !== null) {
      this.termDays += invoice.dueDay - issueDay
      this.termCount++
    }
    if (invoice.fullyPaidDay !== null && invoice.fullyPaidDay <= this.asOf)
      this.paidCount++
    this.paidMinor += invoice.payments.length === 0 ? 0 : paidBy(invoice, this.asOf)
  }

  result(): IssuedSummary {
    const { count, sumMinor, paidCount, paidMinor } = this
    return {
      count,
      sumMinor,
      averageTermDays: this.termCount > 0 ? this.termDays / this.termCount : null,
      paidCount,
      paidMinor,
      paidShareByCount: count > 0 ? paidCount / count : null,
      paidShareBySum: sumMinor > 0 ? paidMinor / sumMinor : null,
    }
  }
}

/** Invoices whose issue date is in `from`..`to` (drafts and cancelled ones excluded), paid as of `asOf`. */
export function issuedInPeriod(invoices: readonly ReceivableInvoice[], from: DayNumber, to: DayNumber, asOf: DayNumber): IssuedSummary {
  const tally = new IssuedTally(from, to, asOf)
  for (const invoice of invoices)
    tally.add(invoice)
  return tally.result()
}

/** How long clients took to pay, over invoices fully paid within a period. */
export interface DaysToPay {
  /** Mean of (fully paid day − issue day); an invoice paid on its issue day counts 0, one paid before it too. */
  readonly averageDays: number | null
  readonly count: number
}

/** Collects days to pay invoice by invoice. */
export class DaysToPayTally {
  private days = 0
  private count = 0

  constructor(private readonly from: DayNumber, private readonly to: DayNumber) {}

  add(invoice: ReceivableInvoice): void {
    const paidDay = invoice.fullyPaidDay
    if (paidDay === null || invoice.issueDay === null || paidDay < this.from || paidDay > this.to || !isReceivable(invoice))
      return
    this.days += Math.max(0, paidDay - invoice.issueDay)
    this.count++
  }

  result(): DaysToPay {
    return { averageDays: this.count > 0 ? this.days / this.count : null, count: this.count }
  }
}

/** Average days from issue to full payment over invoices that became fully paid in `from`..`to`. */
export function averageDaysToPay(invoices: readonly ReceivableInvoice[], from: DayNumber, to: DayNumber): DaysToPay {
  const tally = new DaysToPayTally(from, to)
  for (const invoice of invoices)
    tally.add(invoice)
  return tally.result()
}

/** DSO with what it was computed from. */
export interface Dso {
  /** outstanding at the period's end / issued in the period × days in the period; null when nothing was issued. */
  readonly days: number | null
  readonly outstandingMinor: number
  readonly issuedMinor: number
  readonly periodDays: number
}

/** Days sales outstanding: DSO = receivables at the period's end ÷ invoiced in the period × days in the period. */
export function daysSalesOutstanding(outstandingMinor: number, issuedMinor: number, periodDays: number): Dso {
  return { days: issuedMinor > 0 ? (outstandingMinor / issuedMinor) * periodDays : null, outstandingMinor, issuedMinor, periodDays }
}

/** The collection effectiveness index with its inputs. */
export interface Cei {
  /** 0..100 (may exceed 100 when old debts were collected); null when the denominator is not positive. */
  readonly percent: number | null
  readonly openingMinor: number
  readonly issuedMinor: number
  readonly closingMinor: number
  readonly closingCurrentMinor: number
}

/**
 * CEI = (opening receivables + invoiced in the period − closing receivables)
 *     ÷ (opening receivables + invoiced in the period − closing current receivables) × 100 %.
 * Opening = receivables at the end of the day before the period; closing = at its last day.
 */
export function collectionEffectiveness(openingMinor: number, issuedMinor: number, closingMinor: number, closingCurrentMinor: number): Cei {
  const denominator = openingMinor + issuedMinor - closingCurrentMinor
  const percent = denominator > 0 ? ((openingMinor + issuedMinor - closingMinor) / denominator) * 100 : null
  return { percent, openingMinor, issuedMinor, closingMinor, closingCurrentMinor }
}
