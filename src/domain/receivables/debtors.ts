import type { CalendarDate } from '../calendar-date.ts'
import type { DayNumber } from './day-number.ts'
import type { ClientKey, ClientRef, ReceivableInvoice } from './receivable-invoice.ts'
import { balanceOn, daysOverdueOn } from './receivable-invoice.ts'

/** A client with overdue balances. */
export interface DebtorRow {
  readonly clientKey: ClientKey
  readonly client: ClientRef | null
  /** Overdue balances at the "as of" day, minor units. */
  readonly overdueMinor: number
  readonly overdueCount: number
  /** The earliest due date among the overdue invoices. */
  readonly oldestDueDate: CalendarDate
  /** The latest reminder sent for any of the client's invoices; null when none is known. */
  readonly lastReminderOn: CalendarDate | null
}

export interface TopDebtorsOptions {
  /**
   * How many debtors to return.
   * @defaultValue 10
   */
  readonly limit?: number
  /** The last reminder per invoice id, when reminders are recorded; an empty map is fine. */
  readonly lastReminderOn?: ReadonlyMap<number, CalendarDate>
}

interface Tally { client: ClientRef | null, overdueMinor: number, overdueCount: number, oldestDue: DayNumber, oldestDueDate: CalendarDate, lastReminderOn: CalendarDate | null }

/** Collects debtors invoice by invoice. */
export class DebtorsTally {
  private readonly tallies = new Map<ClientKey, Tally>()

  constructor(private readonly lastReminderOn: ReadonlyMap<number, CalendarDate> = new Map()) {}

  /** One invoice with its balance and days overdue at the "as of" day. */
  add(invoice: ReceivableInvoice, balance: number, daysOverdue: number): void {
    if (daysOverdue <= 0 || balance <= 0)
      return
    let tally = this.tallies.get(invoice.clientKey)
    if (!tally) {
      tally = { client: invoice.client, overdueMinor: 0, overdueCount: 0, oldestDue: invoice.dueDay!, oldestDueDate: invoice.dueDate!, lastReminderOn: null }
      this.tallies.set(invoice.clientKey, tally)
    }
    tally.overdueMinor += balance
    tally.overdueCount++
    if (invoice.dueDay! < tally.oldestDue) {
      tally.oldestDue = invoice.dueDay!
      tally.oldestDueDate = invoice.dueDate!
    }
    const reminded = this.lastReminderOn.size > 0 ? this.lastReminderOn.get(invoice.id) : undefined
    if (reminded && (tally.lastReminderOn === null || reminded > tally.lastReminderOn))
      tally.lastReminderOn = reminded
  }

  /** The `limit` largest, ties by the oldest due date, then by key. */
  top(limit: number): DebtorRow[] {
    return [...this.tallies.entries()]
      .sort(([keyA, a], [keyB, b]) => b.overdueMinor - a.overdueMinor || a.oldestDue - b.oldestDue || keyA.localeCompare(keyB))
      .slice(0, limit)
      .map(([clientKey, tally]) => ({
        clientKey,
        client: tally.client,
        overdueMinor: tally.overdueMinor,
        overdueCount: tally.overdueCount,
        oldestDueDate: tally.oldestDueDate,
        lastReminderOn: tally.lastReminderOn,
      }))
  }
}

/** The clients owing the most overdue money at the end of `asOf`, largest first (ties by oldest due date). */
export function topDebtors(invoices: readonly ReceivableInvoice[], asOf: DayNumber, options: TopDebtorsOptions = {}): DebtorRow[] {
  const tally = new DebtorsTally(options.lastReminderOn)
  for (const invoice of invoices)
    tally.add(invoice, balanceOn(invoice, asOf), daysOverdueOn(invoice, asOf))
  return tally.top(options.limit ?? 10)
}
