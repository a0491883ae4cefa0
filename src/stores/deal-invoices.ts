import type { nextReminder } from '../domain/reminders/plan-reminders.ts'
import type { ReminderSettings } from '../domain/settings/settings.ts'
import type { DealInvoiceRow, DealInvoices } from '../flows/load-deal-invoices.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import { useLatestLoad } from '../composables/useLatestLoad.ts'
import { hasPendingCollections, loadDealInvoices, loadInvoiceOverview, loadPendingCollections } from '../flows/load-deal-invoices.ts'
import { usePortalClockStore } from './portal-clock.ts'

export type { LoadStatus } from '../composables/useLatestLoad.ts'

/** The next reminder step planned for an invoice: the day, the schedule step and how it goes out. */
export type NextReminder = NonNullable<ReturnType<typeof nextReminder>>

/** The deal tab's data: one deal's invoices with their states and records, and the load's progress. */
export const useDealInvoicesStore = defineStore('deal-invoices', () => {
  const latest = useLatestLoad()
  const { status, error } = latest
  const overview = shallowRef<DealInvoices | null>(null)
  /** The reminder schedule the next reminders are planned with; null shows none. */
  const reminders = shallowRef<ReminderSettings | null>(null)

  const portalClock = usePortalClockStore()

  const rows = computed(() => overview.value?.rows ?? [])
  /** The list's days and states were reckoned on this device's clock: the portal's time could not be read. */
  const onDeviceClock = computed(() => overview.value?.clockSource === 'device')

  /** The reminder policy, loaded beside the list (with its calendars it is not needed for the first paint). */
  const planner = shallowRef<typeof nextReminder | null>(null)

  /** The next reminder of each invoice whose records are known, by invoice id (none until the schedule and the policy are there). */
  const nextReminders = computed(() => {
    const plan = planner.value
    const schedule = reminders.value
    const clock = overview.value?.clock
    const out = new Map<number, NextReminder | null>()
    if (!plan || !schedule || !clock)
      return out
    for (const row of rows.value) {
      if (row.collection.status !== 'ready')
        continue
      const closed = row.state.kind === 'paid' || row.state.kind === 'cancelled' ? row.state.kind : null
      out.set(row.invoice.id, plan({ invoice: row.invoice, closed }, row.collection.state, schedule, clock))
    }
    return out
  })

  /**
   * What the tab lists: a deal's invoices (deal card) or one invoice (invoice card); then the records
   * the first paint left out. The portal's time the load read, against the device's `now` it started
   * at, sets the frame's portal clock.
   */
  async function run(portal: PortalClient, now: Date, fetch: (browserZone: string) => Promise<DealInvoices>): Promise<void> {
    const stillLatest = await latest.run(() => fetch(Intl.DateTimeFormat().resolvedOptions().timeZone), (result) => {
      overview.value = result
      if (result.clockSource === 'portal')
        portalClock.note(result.clock.instantMs, now.getTime())
    })
    const shown = overview.value
    if (stillLatest && shown && hasPendingCollections(shown)) {
      // Never throws: a failed read marks the rows `failed`, which they show.
      const filled = await loadPendingCollections(portal, shown)
      if (stillLatest())
        overview.value = filled
    }
  }

  /** Loads (or reloads) the deal's invoices; a newer call wins over a slower older one. */
  function load(portal: PortalClient, dealId: number, now = new Date()): Promise<void> {
    return run(portal, now, zone => loadDealInvoices(portal, dealId, now, zone))
  }

  /** Loads (or reloads) one invoice for the invoice card's tab. */
  function loadInvoice(portal: PortalClient, invoiceId: number, now = new Date()): Promise<void> {
    return run(portal, now, zone => loadInvoiceOverview(portal, invoiceId, now, zone))
  }

  /** The reminder schedule to plan the next reminders with (the view reads the settings beside the list); null plans none. */
  async function planWith(schedule: ReminderSettings | null): Promise<void> {
    reminders.value = schedule
    if (schedule && !planner.value)
      planner.value = (await import('../domain/reminders/plan-reminders.ts')).nextReminder
  }

  /** The row of an invoice, if listed. */
  function rowOf(invoiceId: number): DealInvoiceRow | null {
    return rows.value.find(row => row.invoice.id === invoiceId) ?? null
  }

  return { status, overview, error, reminders, rows, onDeviceClock, nextReminders, load, loadInvoice, planWith, rowOf }
})
