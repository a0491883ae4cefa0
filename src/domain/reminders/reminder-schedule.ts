import type { CalendarDate } from '../calendar-date.ts'
import type { EmailTemplateId, ReminderChannel, ReminderSettings, ReminderStep } from '../settings/settings.ts'
import { addDays } from '../calendar-date.ts'
import { nextBusinessDay } from './business-days.ts'

/** One step of the schedule placed on one invoice's calendar. */
export interface ReminderOccurrence {
  /** Names the step in the history: `-3`, `0`, `+7`, repeats `r1`, `r2` … (see `reminderSchedule`). */
  readonly stepKey: string
  /** Days after the due date (negative = before); repeats count on from the last step. */
  readonly offsetDays: number
  readonly channel: ReminderChannel
  readonly templateId: EmailTemplateId
  /** The day it goes out: due date + offset, moved to the next business day when the settings say so. */
  readonly scheduledOn: CalendarDate
}

/** What placing a schedule needs from the settings. */
export type ScheduleSettings = Pick<ReminderSettings, 'repeat' | 'businessDaysOnly' | 'holidays' | 'workingWeekends'>

/** `-3`, `0`, `+7`: the sign for non-zero offsets, so keys read like the schedule. */
export function stepKeyOf(offsetDays: number): string {
  return offsetDays > 0 ? `+${offsetDays}` : String(offsetDays)
}

/** `r1` … `rN`: the n-th repeat after the last step. */
export function repeatKeyOf(time: number): string {
  return `r${time}`
}

/**
 * The occurrences of a schedule for an invoice due on `dueDate`, in offset order: each step keyed by
 * its offset, then `repeat.maxTimes` repeats every `repeat.everyDays` days after the last step with
 * its channel and template. Keys depend on the offset, not on the position, so adding a step does
 * not rename the ones already sent. Two steps on the same day (allowed when their channels differ)
 * are told apart by the channel: `+7:email`, `+7:task`.
 */
export function reminderSchedule(dueDate: CalendarDate, steps: readonly ReminderStep[], settings: ScheduleSettings): ReminderOccurrence[] {
  const sorted = [...steps].sort((a, b) => a.offsetDays - b.offsetDays)
  const shared = (offset: number) => sorted.filter(step => step.offsetDays === offset).length > 1
  const place = (offsetDays: number) => (settings.businessDaysOnly ? nextBusinessDay(addDays(dueDate, offsetDays), settings) : addDays(dueDate, offsetDays))
  const occurrences: ReminderOccurrence[] = sorted.map(step => ({
    stepKey: shared(step.offsetDays) ? `${stepKeyOf(step.offsetDays)}:${step.channel}` : stepKeyOf(step.offsetDays),
    offsetDays: step.offsetDays,
    channel: step.channel,
    templateId: step.templateId,
    scheduledOn: place(step.offsetDays),
  }))
  const last = sorted.at(-1)
  if (!last || !settings.repeat)
    return occurrences
  for (let time = 1; time <= settings.repeat.maxTimes; time++) {
    const offsetDays = last.offsetDays + time * settings.repeat.everyDays
    occurrences.push({ stepKey: repeatKeyOf(time), offsetDays, channel: last.channel, templateId: last.templateId, scheduledOn: place(offsetDays) })
  }
  return occurrences
}

/**
 * Where a recorded step key stands in `schedule`, as an offset: its occurrence's offset; for a
 * step no longer in the schedule, the offset its key names; for a repeat beyond the schedule's
 * repeats, after everything (the invoice was already chased further than the schedule goes now).
 * Null for a key that means nothing.
 */
export function offsetOfStepKey(stepKey: string, schedule: readonly ReminderOccurrence[]): number | null {
  const occurrence = schedule.find(entry => entry.stepKey === stepKey)
  if (occurrence)
    return occurrence.offsetDays
  if (/^r\d+$/.test(stepKey))
    return Number.POSITIVE_INFINITY
  const offset = /^[+-]?\d+/.exec(stepKey)
  return offset ? Number(offset[0]) : null
}
