import type { CalendarDate } from '../calendar-date.ts'
import type { CollectionState } from '../collection/collection-state.ts'
import type { Invoice } from '../invoice.ts'
import type { Money } from '../money.ts'
import type { CompanyReminderOverride, ReminderSettings, ReminderStep } from '../settings/settings.ts'

/** Why an invoice is not chased at all right now, whatever step is due. */
export type ReminderBlock = 'paid' | 'cancelled' | 'optedOut' | 'disputed' | 'promised' | 'belowMinimum'

export interface ReminderBlocked {
  readonly reason: ReminderBlock
  /** The last day of the pause when it ends by itself (the promised date); null otherwise. */
  readonly until: CalendarDate | null
}

/** The company's exception to the schedule, if the invoice has a company and the settings one for it. */
export function companyOverrideOf(invoice: Invoice, settings: ReminderSettings): CompanyReminderOverride | null {
  return invoice.companyId === null ? null : settings.companyOverrides.find(entry => entry.companyId === invoice.companyId) ?? null
}

/** The schedule for the invoice: its company's own steps when it has them, else the portal's. */
export function stepsFor(invoice: Invoice, settings: ReminderSettings): readonly ReminderStep[] {
  return companyOverrideOf(invoice, settings)?.steps ?? settings.steps
}

/** A minimum in another currency than the invoice's says nothing about it and is ignored. */
function belowMinimum(balance: Money, minAmount: Money | null): boolean {
  return minAmount !== null && minAmount.currency === balance.currency && balance.amountMinor < minAmount.amountMinor
}

/**
 * Why the invoice is not chased today, first reason wins: closed (paid or cancelled by its stage);
 * nothing left to pay (`paid`: payments recorded through the app cover the sum); its company opted
 * out; disputed; promised to pay by a day not yet past (the day after it, reminders resume with
 * catch-up); less left to pay than the minimum. Null = chase it.
 */
export function reminderBlock(invoice: Invoice, closed: 'paid' | 'cancelled' | null, state: CollectionState, balance: Money, settings: ReminderSettings, today: CalendarDate): ReminderBlocked | null {
  const blocked = (reason: ReminderBlock, until: CalendarDate | null = null): ReminderBlocked => ({ reason, until })
  if (closed)
    return blocked(closed)
  if (balance.amountMinor <= 0)
    return blocked('paid')
  if (companyOverrideOf(invoice, settings)?.optOut)
    return blocked('optedOut')
  if (state.dispute)
    return blocked('disputed')
  if (state.promisedOn !== null && state.promisedOn >= today)
    return blocked('promised', state.promisedOn)
  if (belowMinimum(balance, settings.minAmount))
    return blocked('belowMinimum')
  return null
}
