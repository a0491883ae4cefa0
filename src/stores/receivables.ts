import type { CalendarDate } from '../domain/calendar-date.ts'
import type { DrillTarget } from '../domain/receivables/drill-down.ts'
import type { PeriodPreset, ReceivablesFilter } from '../domain/receivables/period.ts'
import type { PaymentInput, ReceivableInvoice } from '../domain/receivables/receivable-invoice.ts'
import type { ReceivablesData } from '../flows/scan-receivables.ts'
import type { ReceivablesCache, ReceivablesOrigin } from '../flows/refresh-receivables.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { ScanProgress } from '../portal/receivables/scan-invoices.ts'
import type { StillLatest } from '../composables/useLatestLoad.ts'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { calendarDateOf } from '../domain/calendar-date.ts'
import { portalClockOf } from '../domain/portal-clock.ts'
import { dayNumberOf } from '../domain/receivables/day-number.ts'
import { drillDown } from '../domain/receivables/drill-down.ts'
import { currenciesInUse, filterInvoices, periodOf } from '../domain/receivables/period.ts'
import { balanceOn, daysOverdueOn } from '../domain/receivables/receivable-invoice.ts'
import { receivablesReport } from '../domain/receivables/report.ts'
import { indexedDbReceivablesCache } from '../browser/receivables-cache.ts'
import { useLatestLoad } from '../composables/useLatestLoad.ts'
import { openReceivables } from '../flows/refresh-receivables.ts'
import { readInvoiceRecords } from '../flows/reminder-history.ts'
import { scanReceivables } from '../flows/scan-receivables.ts'
import { usePortalClockStore } from './portal-clock.ts'

export interface LoadReceivablesOptions {
  /** Read the portal again even when this session already has the data: everything, whatever the browser keeps. */
  readonly force?: boolean
  /**
   * The portal's member id: with it the invoices are kept in this browser per portal and user
   * (IndexedDB) and a re-open reads only what changed (`openReceivables`); without it every open reads all.
   */
  readonly memberId?: string
  /** Where the copies are kept; the browser's IndexedDB by default (none where it is missing). */
  readonly cache?: ReceivablesCache | null
  readonly now?: Date
  /** Recorded partial payments per invoice id (none yet). */
  readonly payments?: ReadonlyMap<number, readonly PaymentInput[]>
}

/** The User Timing mark set when the dashboard's data starts loading. */
export const RECEIVABLES_LOAD_MARK = 'invoice-desk:receivables-load'

/** A time the portal wrote (`server.time`) as an instant, or null. */
function portalMs(portalTime: string | null | undefined): number | null {
  return portalTime ? portalClockOf(portalTime)?.instantMs ?? null : null
}

/** Figures to show and how they were read (`origin` null: read in full, nothing kept in this browser). */
interface ShownFigures {
  readonly data: ReceivablesData
  readonly origin: ReceivablesOrigin | null
  readonly checkedAtMs: number
  readonly fullReadAtMs: number
  /** The portal's time of the last full read (`server.time`), when known. */
  readonly fullReadPortalTime?: string | null
}

/** The receivables dashboard: the session's invoices, the filters, and every figure computed from them. */
export const useReceivablesStore = defineStore('receivables', () => {
  const latest = useLatestLoad()
  const { status, error } = latest
  const progress = ref<ScanProgress>({ loaded: 0, total: 0 })
  const data = shallowRef<ReceivablesData | null>(null)
  const period = ref<PeriodPreset>('last12Months')
  const categoryId = ref<number | null>(null)
  const responsibleId = ref<number | null>(null)
  const currency = ref<string>('')
  /** Last reminder sent per invoice id, read from the timelines of the top debtors' overdue invoices after the figures show. */
  const lastReminderOn = shallowRef<ReadonlyMap<number, CalendarDate>>(new Map())
  const drill = shallowRef<DrillTarget | null>(null)
  const readReminders = new Set<number>()
  /** How the figures on screen were read: null before the first load, or when nothing is kept in this browser. */
  const origin = shallowRef<ReceivablesOrigin | null>(null)
  /** The kept figures are on screen while the portal is asked what changed. */
  const checking = ref(false)
  /**
   * The portal's clock at the last check with the portal and at the last full read (ms), for «updated
   * … ago» against the portal's "now" (`usePortalClockStore`), whatever the device's clock said then or says now.
   */
  const checkedAtMs = ref<number | null>(null)
  const fullReadAtMs = ref<number | null>(null)
  let defaultCache: ReceivablesCache | null | undefined
  const portalClock = usePortalClockStore()

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

  /** The browser's IndexedDB copies, created on first use; null where the browser has no IndexedDB. */
  function browserCache(): ReceivablesCache | null {
    defaultCache ??= typeof indexedDB === 'undefined' ? null : indexedDbReceivablesCache()
    return defaultCache
  }

  function show(result: ReceivablesData): void {
    data.value = result
    const inUse = currenciesInUse(result.invoices)
    if (!inUse.includes(currency.value))
      currency.value = inUse.includes(result.baseCurrency) ? result.baseCurrency : (inUse[0] ?? result.baseCurrency)
    drill.value = null
    status.value = 'ready'
  }

  /**
   * Shows figures and when they were read, on the portal's clock. The portal's time the figures were
   * checked at (`server.time` read with them) against the device's clock then sets the frame's portal
   * clock; an incremental copy's full read is dated by the portal's time the copy kept (`fullReadPortalTime`).
   */
  function showOpened(opened: ShownFigures): void {
    show(opened.data)
    origin.value = opened.origin
    const checkedPortal = portalMs(opened.data.source?.portalTime)
    if (checkedPortal !== null)
      portalClock.note(checkedPortal, opened.checkedAtMs)
    // Without the portal's time, the device's stamps moved by the last known offset.
    const onPortalClock = (deviceMs: number): number => deviceMs + (portalClock.offsetMs ?? 0)
    checkedAtMs.value = checkedPortal ?? onPortalClock(opened.checkedAtMs)
    fullReadAtMs.value = opened.origin?.kind === 'incremental'
      ? portalMs(opened.fullReadPortalTime) ?? onPortalClock(opened.fullReadAtMs)
      : checkedAtMs.value
  }

  /**
   * Loads every invoice once per session (a newer call wins); `force` reads the portal again, all of it.
   * With `memberId` the invoices kept in this browser are shown as soon as the portal confirms the user,
   * then refreshed with what changed (`openReceivables`).
   */
  async function load(portal: PortalClient, options: LoadReceivablesOptions = {}): Promise<void> {
    if (data.value && !options.force)
      return
    progress.value = { loaded: 0, total: 0 }
    // Where the dashboard's data starts (User Timing, https://w3c.github.io/user-timing/): DevTools and
    // test/e2e/receivables-reopen-large.e2e.ts measure from here to the figures painted.
    performance.mark(RECEIVABLES_LOAD_MARK)
    const now = options.now ?? new Date()
    const cache = options.cache === undefined ? browserCache() : options.cache
    const memberId = options.memberId && cache ? options.memberId : null
    // `run` starts the load (an older one is stale from here on); its check guards every callback.
    let stillLatest: StillLatest = () => false
    const scanOptions = {
      now,
      fallbackTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      payments: options.payments,
      // Part payments recorded in the app count in the figures.
      readPayments: true,
      onProgress: (next: ScanProgress) => {
        if (stillLatest())
          progress.value = next
      },
    }
    if (memberId)
      checking.value = true
    await latest.run(async (): Promise<ShownFigures> => {
      stillLatest = latest.current()
      if (memberId && cache) {
        return openReceivables(portal, cache, {
          ...scanOptions,
          memberId,
          full: options.force === true,
          onKept: (kept) => {
            if (stillLatest())
              showOpened(kept)
          },
        })
      }
      const result = await scanReceivables(portal, scanOptions)
      return { data: result, origin: null, checkedAtMs: now.getTime(), fullReadAtMs: now.getTime() }
    }, showOpened)
    if (stillLatest())
      checking.value = false
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
      const states = new Map([...known.map(id => [id, loaded.records!.get(id)!] as const), ...(unread.length > 0 ? await readInvoiceRecords(portal, unread) : [])])
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

  return { status, progress, data, error, period, categoryId, responsibleId, currency, lastReminderOn, drill, currencies, report, drillRows, origin, checking, checkedAtMs, fullReadAtMs, load, loadLastReminders }
})
