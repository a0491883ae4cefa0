import type { JournalEntry, StoredJournalEntry } from '../domain/journal/journal-entry.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { JournalFilter } from '../portal/journal/journal-store.ts'
import type { JournalNames } from '../portal/journal/journal-names.ts'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { useLatestLoad } from '../composables/useLatestLoad.ts'
import { EMPTY_JOURNAL_FILTER, pruneExpiredJournal, readJournalNames, readJournalPage } from '../flows/journal-page.ts'

/**
 * A dry run's entries are never written to the portal (a dry run writes nothing): this browser
 * keeps them (`localStorage` of the app's origin, shared by its frames in the portal), the newest
 * `LOCAL_LIMIT`, so the journal on the app page shows the dry runs made in a deal card.
 */
export interface LocalJournalEntry extends StoredJournalEntry {
  readonly local: true
}

/** Where this browser keeps its dry runs, and how many. */
export const LOCAL_JOURNAL_KEY = 'invoiceDesk.dryRuns'
export const LOCAL_LIMIT = 100

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null
  }
  catch {
    return null // storage blocked for third-party frames: dry runs stay in this frame only
  }
}

function readLocal(): LocalJournalEntry[] {
  try {
    const parsed: unknown = JSON.parse(storage()?.getItem(LOCAL_JOURNAL_KEY) ?? '[]')
    return Array.isArray(parsed) ? parsed as LocalJournalEntry[] : []
  }
  catch {
    return []
  }
}

function writeLocal(entries: readonly LocalJournalEntry[]): void {
  try {
    storage()?.setItem(LOCAL_JOURNAL_KEY, JSON.stringify(entries))
  }
  catch {
    // Full or blocked storage: the entries stay in this frame's memory.
  }
}

function matches(entry: StoredJournalEntry, filter: JournalFilter): boolean {
  return (filter.action === null || entry.action === filter.action)
    && (filter.result === null || entry.result === filter.result)
    && (filter.dealId === null || entry.dealId === filter.dealId)
    && (filter.from === null || Date.parse(entry.at) >= Date.parse(filter.from))
    && (filter.to === null || Date.parse(entry.at) < Date.parse(filter.to))
}

/** The execution journal on the app page: pages read from the portal, plus this session's dry runs. */
export const useJournalStore = defineStore('journal', () => {
  const entries = shallowRef<readonly StoredJournalEntry[]>([])
  const local = shallowRef<readonly LocalJournalEntry[]>(readLocal())
  const filter = ref<JournalFilter>(EMPTY_JOURNAL_FILTER)
  const total = ref(0)
  const next = ref<number | null>(null)
  /** Each load's state: a filter changed while a page was loading wins over the older answer. */
  const latest = useLatestLoad()
  const { error } = latest
  const loading = computed(() => latest.status.value === 'loading')
  const pruned = ref(0)
  /** Users' names, invoice numbers and deal titles read so far for the entries shown. */
  const names = shallowRef<JournalNames>({ users: new Map(), invoices: new Map(), deals: new Map() })
  let loadedOnce = false
  /** Deals already asked for: one that did not answer (deleted, not the reader's) is not asked again. */
  const askedDeals = new Set<number>()

  /** This browser's dry runs that match the filter, newest first, before the portal's entries. */
  const shown = computed(() => [...local.value.filter(entry => matches(entry, filter.value)).reverse(), ...entries.value])

  /** Reads the first page for `wanted` (1 round trip; the newest call wins); an admin's first load also deletes entries past `keepDays`. */
  async function load(portal: PortalClient, settings: InvoiceDeskSettings, wanted: JournalFilter, prune: { isAdmin: boolean, now: Date }): Promise<void> {
    if (settings.journal.entityTypeId === null)
      return
    filter.value = wanted
    await latest.run(async () => {
      local.value = readLocal()
      if (prune.isAdmin && !loadedOnce) {
        loadedOnce = true
        pruned.value = await pruneExpiredJournal(portal, settings, prune.now)
      }
      return readJournalPage(portal, settings, wanted)
    }, (page) => {
      entries.value = page?.entries ?? []
      total.value = page?.total ?? 0
      next.value = page?.next ?? null
    })
  }

  /** The next 50 entries of the same filter (a load started meanwhile wins: this page is then dropped). */
  async function more(portal: PortalClient, settings: InvoiceDeskSettings): Promise<void> {
    const start = next.value
    if (settings.journal.entityTypeId === null || loading.value || start === null)
      return
    const stillLatest = latest.current()
    latest.status.value = 'loading'
    try {
      const page = await readJournalPage(portal, settings, filter.value, start)
      if (!stillLatest())
        return
      entries.value = [...entries.value, ...page?.entries ?? []]
      next.value = page?.next ?? null
      latest.status.value = 'ready'
    }
    catch (caught) {
      if (!stillLatest())
        return
      error.value = caught
      latest.status.value = 'error'
    }
  }

  /** Keeps a dry run's entries in this browser, marked as local (they are not in the portal). */
  function addDryRun(planned: readonly JournalEntry[], at: Date, userId: number): void {
    const kept = readLocal()
    const stamp = at.getTime()
    const added = planned.map((entry, index): LocalJournalEntry => ({ ...entry, result: 'dryRun', id: -(stamp * 100 + index), at: at.toISOString(), userId, local: true }))
    local.value = [...kept, ...added].slice(-LOCAL_LIMIT)
    writeLocal(local.value)
  }

  /** Reads the names of the users, invoices and deals shown that are not named yet (one round trip, none when all are); names are decoration, a failure keeps the ids. */
  async function loadNames(portal: PortalClient): Promise<void> {
    const known = names.value
    const userIds = [...new Set(shown.value.map(entry => entry.userId))].filter(id => id > 0 && !known.users.has(id))
    const invoiceIds = [...new Set(shown.value.map(entry => entry.invoiceId))].filter((id): id is number => id !== null && !known.invoices.has(id))
    const dealIds = [...new Set(shown.value.map(entry => entry.dealId))].filter((id): id is number => id !== null && id > 0 && !askedDeals.has(id))
    if (userIds.length === 0 && invoiceIds.length === 0 && dealIds.length === 0)
      return
    const read = await readJournalNames(portal, userIds, invoiceIds, dealIds).catch(() => null)
    if (read) {
      // One page of the deals' list is asked for (see `loadJournalNames`): the rest wait for the next look.
      dealIds.slice(0, 50).forEach(id => askedDeals.add(id))
      const now = names.value
      names.value = { users: new Map([...now.users, ...read.users]), invoices: new Map([...now.invoices, ...read.invoices]), deals: new Map([...now.deals, ...read.deals]) }
    }
  }

  return { entries, local, filter, total, next, loading, error, pruned, names, shown, load, more, addDryRun, loadNames }
})
