import type { Locale } from '../domain/format.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { ReminderDecision, SweepPreparation, SweepResult } from '../flows/run-reminders.ts'
import type { ReminderSkip } from '../domain/reminders/plan-reminders.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { JournalWrite } from '../flows/journal/record-journal.ts'
import { sendRemindersWithJournal } from '../flows/reminders-with-journal.ts'
import { decideReminder, newRunnerId, prepareSweep } from '../flows/run-reminders.ts'

export type QueueStatus = 'idle' | 'loading' | 'ready' | 'error'

/**
 * The accountant's reminder queue: what is due now (the dry run — read and planned, nothing
 * written), the messages chosen, and the outcome of sending them. One sweep at a time.
 */
export const useReminderQueueStore = defineStore('reminder-queue', () => {
  const status = ref<QueueStatus>('idle')
  const prep = shallowRef<SweepPreparation | null>(null)
  const error = shallowRef<unknown>(null)
  /** Selected messages by index in `prep.previews`. */
  const selected = ref<Set<number>>(new Set())
  const sending = ref(false)
  const sendError = shallowRef<unknown>(null)
  const result = shallowRef<SweepResult | null>(null)
  const progress = ref<{ done: number, total: number } | null>(null)
  /** What became of the journal entries of the last send. */
  const journal = shallowRef<JournalWrite | null>(null)
  /** The step a person's decision is being recorded for (`<invoiceId>:<stepKey>`), and the last one that failed. */
  const deciding = ref<string | null>(null)
  const decideError = shallowRef<unknown>(null)

  const selectable = computed(() => (prep.value?.previews ?? []).map((preview, i) => ({ preview, i })).filter(({ preview }) => preview.problem === null).map(({ i }) => i))
  const allSelected = computed(() => selectable.value.length > 0 && selectable.value.every(i => selected.value.has(i)))
  /** Messages due but left for the next sweep (one sweep sends at most `MAX_SWEEP_MESSAGES`); 0 on a usual day. */
  const deferred = computed(() => prep.value?.deferred ?? 0)

  async function load(portal: PortalClient, settings: InvoiceDeskSettings, locale: Locale): Promise<void> {
    status.value = 'loading'
    error.value = null
    result.value = null
    sendError.value = null
    progress.value = null
    journal.value = null
    try {
      prep.value = await prepareSweep(portal, settings, {
        locale,
        runnerId: newRunnerId(),
        onProgress: (_phase, done, total) => { progress.value = { done, total } },
      })
      selected.value = new Set(selectable.value)
      status.value = 'ready'
    }
    catch (caught) {
      error.value = caught
      status.value = 'error'
    }
  }

  function toggle(index: number): void {
    const next = new Set(selected.value)
    if (!next.delete(index))
      next.add(index)
    selected.value = next
  }

  function toggleAll(): void {
    selected.value = allSelected.value ? new Set() : new Set(selectable.value)
  }

  /** Sends the selected messages (claim, elect, send, record: see `sendRemindersWithJournal`), then journals them. Never in test mode. */
  async function send(portal: PortalClient, locale: Locale, isAdmin = false): Promise<void> {
    const current = prep.value
    if (!current || sending.value || selected.value.size === 0 || current.settings.testMode)
      return
    sending.value = true
    sendError.value = null
    const keys = new Set([...selected.value].flatMap(i => current.previews[i]?.keys ?? []))
    try {
      const onResult = (sent: SweepResult): void => {
        result.value = sent
      }
      journal.value = (await sendRemindersWithJournal(portal, current, { locale, runnerId: newRunnerId(), isAdmin, onResult }, keys, 'user')).journal
    }
    catch (caught) {
      sendError.value = caught
    }
    finally {
      sending.value = false
    }
  }

  /**
   * A person's decision on a step whose outcome is unknown (`outcomeUnknown`): recorded in the
   * invoice's timeline (`decideReminder`), then the queue is read again — a step to send again
   * shows up among the messages, to be sent as any other. Never in test mode.
   */
  async function decide(portal: PortalClient, settings: InvoiceDeskSettings, skip: ReminderSkip, decision: ReminderDecision, locale: Locale): Promise<void> {
    const current = prep.value
    if (!current || skip.stepKey === null || deciding.value !== null || current.settings.testMode)
      return
    const record = [...current.contexts.get(skip.invoiceId)?.state.reminders ?? []].reverse().find(entry => entry.stepKey === skip.stepKey)
    deciding.value = `${skip.invoiceId}:${skip.stepKey}`
    decideError.value = null
    try {
      await decideReminder(portal, { invoiceId: skip.invoiceId, stepKey: skip.stepKey, channel: record?.channel ?? 'email' }, decision, locale, newRunnerId())
    }
    catch (caught) {
      decideError.value = caught
      return
    }
    finally {
      deciding.value = null
    }
    await load(portal, settings, locale)
  }

  return { status, prep, error, selected, sending, sendError, result, progress, journal, deciding, decideError, selectable, allSelected, deferred, load, toggle, toggleAll, send, decide }
})
