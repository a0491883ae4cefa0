import type { CalendarDate } from '../domain/calendar-date.ts'
import type { DrillTarget } from '../domain/receivables/drill-down.ts'
import type { PeriodPreset, ReceivablesFilter } from '../domain/receivables/period.ts'
import type { PaymentInput, ReceivableInvoice } from '../domain/receivables/receivable-invoice.ts'
import type { ReceivablesData } from '../flows/scan-receivables.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { ScanProgress } from '../portal/receivables/scan-invoices.ts'
import type { LoadStatus } from './deal-invoices.ts'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { calendarDateOf } from '../domain/calendar-date.ts'
import { dayNumberOf } from '../domain/receivables/day-number.ts'
import { drillDown } from '../domain/receivables/drill-down.ts'
import { currenciesInUse, filterInvoices, periodOf } from '../domain/receivables/period.ts'
import { balanceOn, daysOverdueOn } from '../domain/receivables/receivable-invoice.ts'
import { receivablesReport } from '../domain/receivables/report.ts'
import { scanReceivables } from '../flows/scan-receivables.ts'
import { readCollectionStates } from '../portal/collection/collection-log.ts'

export interface LoadReceivablesOptions {
  /** Read the portal again even when this session already has the data. */
  readonly force?: boolean
  readonly now?: Date
  /** Recorded partial payments per invoice id (none yet). */
  readonly payments?: ReadonlyMap<number, readonly PaymentInput[]>
}

/** The receivables dashboard: the session's invoices, the filters, and every figure computed from them. */
export const useReceivablesStore = defineStore('receivables', () => {
  const status = ref<LoadStatus>('idle')
  const progress = ref<ScanProgress>({ loaded: 0, total: 0 })
  const data = shallowRef<ReceivablesData | null>(null)
  const error = shallowRef<unknown>(null)
  const period = ref<PeriodPreset>('last12Months')
  const categoryId = ref<number | null>(null)
  const responsibleId = ref<number | null>(null)
  const currency = ref<string>('')
  /** Last reminder sent per invoice id, read from the timelines of the top debtors' overdue invoices after the figures show. */
  const lastReminderOn = shallowRef<ReadonlyMap<number, CalendarDate>>(new Map())
  const drill = shallowRef<DrillTarget | null>(null)
  const readReminders = new Set<number>()
  let latestRequest = 0

  const currencies = computed(() => (data.value ? currenciesInUse(data.value.invoices) : []))
  const filter = computed<ReceivablesFilter>(() => ({ currency: currency.value, categoryId: categoryId.value, responsibleId: responsibleId.value }))
  const report = computed(() => {
    const loaded = data.value
    if (!loaded || loaded.invoices.length === 0)
      return null
    return receivablesReport(loaded.invoices, filter.value, { asOf: loaded.asOf, period: periodOf(period.value, loaded.asOf), lastReminderOn: lastReminderOn.value })
  })
  const drillRows = computed(() => {
    const current = report.value
    const loaded = data.value
    return current && loaded && drill.value ? drillDown(filterInvoices(loaded.invoices, current.filter), drill.value, dayNumberOf(current.asOf), current.period) : []
  })

  /** Loads every invoice once per session (a newer call wins); `force` reads the portal again. */
  async function load(portal: PortalClient, options: LoadReceivablesOptions = {}): Promise<void> {
    if (data.value && !options.force)
      return
    const request = ++latestRequest
    status.value = 'loading'
    error.value = null
    progress.value = { loaded: 0, total: 0 }
    try {
      const result = await scanReceivables(portal, {
        now: options.now ?? new Date(),
        fallbackTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        payments: options.payments,
        // Part payments recorded in the app count in the figures.
        readPayments: true,
        onProgress: (next) => {
          if (request === latestRequest)
            progress.value = next
        },
      })
      if (request !== latestRequest)
        return
      data.value = result
      const inUse = currenciesInUse(result.invoices)
      if (!inUse.includes(currency.value))
        currency.value = inUse.includes(result.baseCurrency) ? result.baseCurrency : (inUse[0] ?? result.baseCurrency)
      drill.value = null
      status.value = 'ready'
    }
    catch (caught) {
      if (request !== latestRequest)
        return
      error.value = caught
      status.value = 'error'
    }
  }

  /**
   * Fills "last reminder" for the debtors on screen: the reminder records of their overdue
   * invoices (at most 5 per debtor), read after the dashboard is shown.
   * Only invoices not read yet are asked for (a filter change re-reads nothing already known);
   * a failed read leaves the column at "—".
   */
  async function loadLastReminders(portal: PortalClient): Promise<void> {
    const current = report.value
    const loaded = data.value
    if (!current || !loaded)
      return
    // Per debtor on screen, its 5 most recently due overdue invoices (the ones reminded last): 50 at most, ONE round trip.
    const asOf = dayNumberOf(current.asOf)
    const byClient = new Map(current.debtors.map(row => [row.clientKey, [] as ReceivableInvoice[]]))
    for (const invoice of loaded.invoices) {
      if (byClient.has(invoice.clientKey) && daysOverdueOn(invoice, asOf) > 0 && balanceOn(invoice, asOf) > 0)
        byClient.get(invoice.clientKey)!.push(invoice)
    }
    const wanted = [...byClient.values()]
      .flatMap(invoices => invoices.sort((a, b) => (b.dueDay ?? 0) - (a.dueDay ?? 0)).slice(0, 5))
      .map(invoice => invoice.id)
      .filter(id => !readReminders.has(id))
    if (wanted.length === 0)
      return
    wanted.forEach(id => readReminders.add(id))
    // The open invoices' records came with the figures (their part payments): no second read for those.
    const known = wanted.filter(id => loaded.records?.has(id))
    const unread = wanted.filter(id => !loaded.records?.has(id))
    try {
      const states = new Map([...known.map(id => [id, loaded.records!.get(id)!] as const), ...(unread.length > 0 ? await readCollectionStates(portal, unread) : [])])
      const next = new Map(lastReminderOn.value)
      for (const [id, state] of states) {
        const sent = state.reminders.filter(record => record.status === 'sent').map(record => calendarDateOf(record.at)).filter((day): day is CalendarDate => day !== null)
        if (sent.length > 0)
          next.set(id, sent.sort().at(-1)!)
      }
      lastReminderOn.value = next
    }
    catch {
      wanted.forEach(id => readReminders.delete(id))
    }
  }

  return { status, progress, data, error, period, categoryId, responsibleId, currency, lastReminderOn, drill, currencies, report, drillRows, load, loadLastReminders }
})
