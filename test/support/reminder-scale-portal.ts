import type { PortalState } from '../emulator/data/portal-state.ts'
import { addDays, formatPortalDate } from '../emulator/core/portal-time.ts'
import { invoiceStage } from '../emulator/data/reference-data.ts'

/** The next Monday (from `from`) at 10:00 Moscow time: a business day, after the default send hour. */
export function nextMondayTen(from: Date = new Date()): Date {
  const ahead = ((8 - from.getUTCDay()) % 7) || 7
  const day = new Date(from.getTime() + ahead * 86_400_000).toISOString().slice(0, 10)
  return new Date(`${day}T10:00:00+03:00`)
}

/**
 * Turns a generated `large:N` portal into one with N open (sent) invoices of which `dueCount`
 * have a reminder step due `today` under the default schedule: due in the last 30 days (one step
 * each, catch-up sends only the latest). Of the others half are due later (31–365 days ahead),
 * half long ago (100–400 days: their schedule ended, catch-up no longer sends them).
 */
export function reshapeForReminders(state: PortalState, today: string, dueCount: number): void {
  const invoices = state.entities[31].items
  const every = Math.max(1, Math.floor(invoices.length / dueCount))
  let due = 0
  invoices.forEach((invoice, index) => {
    invoice.stageId = invoiceStage.sent
    let closes: string
    if (index % every === 0 && due < dueCount)
      closes = addDays(today, -(due++ % 31))
    else
      closes = index % 2 === 0 ? addDays(today, 31 + (index % 335)) : addDays(today, -(100 + (index % 300)))
    invoice.closedate = formatPortalDate(closes)
  })
}
