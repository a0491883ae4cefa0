import type { CollectionState, ReminderRecord, ReminderRecordStatus } from '../../../src/domain/collection/collection-state.ts'
import type { ReminderClock, ReminderInvoice } from '../../../src/domain/reminders/plan-reminders.ts'
import type { ReminderChannel, ReminderSettings } from '../../../src/domain/settings/settings.ts'
import { emptyCollectionState } from '../../../src/domain/collection/collection-state.ts'
import { defaultSettings } from '../../../src/domain/settings/default-settings.ts'
import { makeInvoice } from '../fixtures.ts'

/**
 * The default reminder settings (−3, 0, +3 e-mails, +7 task, +14 escalation, then +21, +28, +35;
 * 09:00; business days of the 2026–2027 production calendar) with what the case is about changed.
 */
export function reminderSettings(overrides: Partial<ReminderSettings> = {}): ReminderSettings {
  return { ...defaultSettings().reminders, ...overrides }
}

/** The portal's clock at `hour`:00 Moscow time on `today`. */
export function clockAt(today: string, hour = 10, minute = 0): ReminderClock {
  const hh = String(hour).padStart(2, '0')
  const mm = String(minute).padStart(2, '0')
  return { today, hour, instantMs: Date.parse(`${today}T${hh}:${mm}:00+03:00`) }
}

/** An open invoice (id 1, company 3, 15 000 ₽ due 2026-11-30, a Monday) with what the case is about changed. */
export function openInvoice(overrides: Parameters<typeof makeInvoice>[0] = {}): ReminderInvoice {
  return { invoice: makeInvoice(overrides), closed: null }
}

/** A history record; ids ascend with the order they are given in. */
export function reminderRecord(logId: number, stepKey: string, status: ReminderRecordStatus, options: { at?: string, reason?: string, channel?: ReminderChannel } = {}): ReminderRecord {
  return { logId, stepKey, status, channel: options.channel ?? 'email', at: options.at ?? '2026-11-01T09:00:00+03:00', runner: null, reason: options.reason ?? null, origin: null }
}

/** An invoice's history with what the case is about. */
export function stateOf(invoiceId: number, patch: Partial<Omit<CollectionState, 'invoiceId'>> = {}): CollectionState {
  return { ...emptyCollectionState(invoiceId), ...patch }
}

/** `sent` records for these step keys, ids from 1. */
export function sentSteps(...stepKeys: string[]): ReminderRecord[] {
  return stepKeys.map((stepKey, index) => reminderRecord(index + 1, stepKey, 'sent'))
}
