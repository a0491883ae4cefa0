// @vitest-environment happy-dom
import type { JournalEntry } from '../../src/domain/journal/journal-entry.ts'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { EMPTY_JOURNAL_FILTER } from '../../src/portal/journal/journal-store.ts'
import { LOCAL_JOURNAL_KEY, LOCAL_LIMIT, useJournalStore } from '../../src/stores/journal.ts'
import { createFakePortalClient } from '../support/fake-portal-client.ts'

const planned: JournalEntry = { action: 'email', result: 'ok', by: 'user', dealId: 7, invoiceId: null, summary: 'Счёт — отправлен на a@b.ru', error: null }
const settings = { ...defaultSettings(), journal: { entityTypeId: 1030, keepDays: 100 } }

describe('stores/journal', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
  })

  it('keeps dry runs in this browser, marked, for every frame of the app (never in the portal)', () => {
    useJournalStore().addDryRun([planned, { ...planned, action: 'stage' }], new Date('2026-12-02T10:00:00Z'), 0)
    setActivePinia(createPinia()) // another frame of the app: a store of its own
    const other = useJournalStore()
    expect(other.shown.map(entry => [entry.action, entry.result])).toEqual([['stage', 'dryRun'], ['email', 'dryRun']])
    expect(JSON.parse(localStorage.getItem(LOCAL_JOURNAL_KEY)!)).toHaveLength(2)
  })

  it(`keeps only the newest ${LOCAL_LIMIT} dry-run entries`, () => {
    const store = useJournalStore()
    for (let i = 0; i < LOCAL_LIMIT + 5; i++)
      store.addDryRun([{ ...planned, summary: `#${i}` }], new Date(Date.UTC(2026, 11, 2, 10, 0, i)), 0)
    expect(store.local).toHaveLength(LOCAL_LIMIT)
    expect(store.local[0]!.summary).toBe('#5')
  })

  it('reads one page with the filter, prunes once for an admin, and costs nothing without a journal', async () => {
    const { client, requests } = createFakePortalClient({
      'crm.item.list': params => (params.select && (params.select as string[]).length === 1
        ? { result: { items: [] } }
        : { result: { items: [{ id: 9, xmlId: 'idj|email|ok|user|12|-|', title: 'Счёт СЧ-1 отправлен', createdTime: '2026-12-02T13:00:00+03:00', createdBy: 1, parentId2: 7 }] }, total: 1 }),
    })
    const store = useJournalStore()
    await store.load(client, defaultSettings(), EMPTY_JOURNAL_FILTER, { isAdmin: true, now: new Date() })
    expect(requests).toHaveLength(0)
    await store.load(client, settings, { ...EMPTY_JOURNAL_FILTER, action: 'email' }, { isAdmin: true, now: new Date('2026-12-02T12:00:00Z') })
    await store.load(client, settings, EMPTY_JOURNAL_FILTER, { isAdmin: true, now: new Date('2026-12-02T12:00:00Z') })
    expect(requests.map(request => request.kind)).toEqual(['call', 'batch', 'batch'])
    expect(store.shown.map(entry => [entry.id, entry.invoiceId, entry.dealId])).toEqual([[9, 12, 7]])
    const prune = requests[0]!.calls[0]!.params as { filter: Record<string, unknown> }
    expect(prune.filter['<createdTime']).toBe('2026-08-24T12:00:00.000Z')
  })

  it('a filter changed while a page loads wins over the older answer', async () => {
    const answers: Array<(value: Record<string, unknown>) => void> = []
    const client = {
      call: async () => ({ items: [] }),
      batch: () => new Promise<Record<string, unknown>>((resolve) => {
        answers.push(resolve)
      }),
      roundTrips: () => answers.length,
    } as never
    const store = useJournalStore()
    const item = (action: string) => ({ page: { ok: true, total: 1, result: { items: [{ id: 1, xmlId: `idj|${action}|ok|user|-|-|`, title: action, createdTime: '2026-12-02T13:00:00+03:00', createdBy: 1, parentId2: null }] } } })
    const first = store.load(client, settings, { ...EMPTY_JOURNAL_FILTER, action: 'email' }, { isAdmin: false, now: new Date() })
    const second = store.load(client, settings, { ...EMPTY_JOURNAL_FILTER, action: 'task' }, { isAdmin: false, now: new Date() })
    answers[1]!(item('task'))
    await second
    answers[0]!(item('email'))
    await first
    expect(store.shown.map(entry => entry.action)).toEqual(['task'])
    expect(store.loading).toBe(false)
  })

  it('names the users and invoices shown in one round trip, and asks again only for new ones', async () => {
    const { client, requests } = createFakePortalClient({
      'crm.item.list': params => ((params.filter as Record<string, unknown>)['@id']
        ? { result: { items: [{ id: 12, accountNumber: 'СЧ-0012' }] } }
        : { result: { items: [{ id: 9, xmlId: 'idj|email|ok|user|12|-|', title: 'Счёт', createdTime: '2026-12-02T13:00:00+03:00', createdBy: 4, parentId2: 7 }] }, total: 1 }),
      'user.get': () => ({ result: [{ ID: '4', NAME: 'Ирина', LAST_NAME: 'Соколова' }] }),
    })
    const store = useJournalStore()
    await store.load(client, settings, EMPTY_JOURNAL_FILTER, { isAdmin: false, now: new Date('2026-12-02T12:00:00Z') })
    await store.loadNames(client)
    await store.loadNames(client)
    expect(requests.map(request => request.kind)).toEqual(['batch', 'batch'])
    expect(store.names.users.get(4)).toBe('Ирина Соколова')
    expect(store.names.invoices.get(12)).toBe('СЧ-0012')
  })
})
