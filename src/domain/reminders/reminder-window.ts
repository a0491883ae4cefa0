import type { CalendarDate } from '../calendar-date.ts'
import type { ReminderSettings, ReminderStep } from '../settings/settings.ts'
import { addDays } from '../calendar-date.ts'

/**
 * How many days after an invoice's last scheduled step (repeats included) catch-up still sends it:
 * a sweep after downtime or a pause sends the step missed, but an invoice whose whole schedule
 * ended more than a month ago is no longer chased by reminders (a reminder that late is no
 * reminder; the dashboard and the collection actions are the tools then).
 */
export const CATCH_UP_DAYS = 30

/** Due dates, both days included, of the invoices a sweep on one day can have something for. */
export interface ReminderDueWindow {
  readonly from: CalendarDate
  readonly to: CalendarDate
}

/** The schedules in use: the portal's and every company's own. */
function schedulesOf(settings: Pick<ReminderSettings, 'steps' | 'companyOverrides'>): Array<readonly ReminderStep[]> {
  return [settings.steps, ...settings.companyOverrides.flatMap(entry => (entry.steps ? [entry.steps] : []))].filter(steps => steps.length > 0)
}

/** Days after the due date of a schedule's last occurrence: its last step plus every repeat. */
export function lastOffsetOf(steps: readonly ReminderStep[], repeat: ReminderSettings['repeat']): number {
  return Math.max(...steps.map(step => step.offsetDays)) + (repeat ? repeat.everyDays * repeat.maxTimes : 0)
}

/**
 * The due dates of the invoices that can have a reminder step due on `today` (the sweep asks the
 * portal for these only): up to today minus the earliest offset of any schedule (a step is never
 * scheduled before due date + offset; moving it to a business day only delays it), and from today
 * minus the latest occurrence of any schedule minus `CATCH_UP_DAYS` (`planReminders` plans nothing
 * for an invoice past that). Null when reminders are off or no schedule has a step: nothing can be due.
 * Invoices without a due date are outside any window; the sweep reads them apart (`noDueDate`).
 */
export function reminderDueWindow(settings: ReminderSettings, today: CalendarDate): ReminderDueWindow | null {
  const schedules = schedulesOf(settings)
  if (!settings.enabled || schedules.length === 0)
    return null
  const first = Math.min(...schedules.flatMap(steps => steps.map(step => step.offsetDays)))
  const last = Math.max(...schedules.map(steps => lastOffsetOf(steps, settings.repeat)))
  return { from: addDays(today, -(last + CATCH_UP_DAYS)), to: addDays(today, -first) }
}
