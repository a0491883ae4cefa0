import type { IssuePreparation } from '../../src/flows/issue-and-send.ts'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { useIssueInvoiceStore } from '../../src/stores/issue-invoice.ts'
import { useJournalStore } from '../../src/stores/journal.ts'
import { createFakePortalClient } from '../support/fake-portal-client.ts'

const runIssue = vi.fn()
const testMode = { on: false }
vi.mock('../../src/flows/issue-and-send.ts', () => ({
  DRY_RUN_INVOICE_NUMBER: '—',
  prepareIssue: vi.fn(async () => ({
    plan: { invoice: { key: 'invoice-desk:deal:42:deal' }, client: { email: 'a@b.ru' } },
    refusals: [],
    trace: { invoiceId: null },
    snapshot: { deal: { id: 42 }, settings: { ...defaultSettings(), testMode: testMode.on } },
  }) as unknown as IssuePreparation),
  runIssue: (...args: unknown[]) => runIssue(...args),
  dryRunIssue: vi.fn(() => ({ plan: { invoice: { dealId: 42, amount: { amountMinor: 100, currency: 'RUB' } }, client: { name: 'ООО Клиент' } }, email: { to: 'a@b.ru' }, invoiceStage: { name: 'Отправлен' }, dealStage: null, processes: [] })),
}))

describe('stores/issue-invoice', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    runIssue.mockReset()
    testMode.on = false
  })

  it('in test mode a click is a dry run: the chain never runs, the session journal keeps it marked', async () => {
    testMode.on = true
    const store = useIssueInvoiceStore()
    const { client, requests } = createFakePortalClient({})
    await store.prepare(client, 42, {} as never, { now: new Date(), timeZone: 'UTC' })
    expect(await store.run(client, { now: new Date('2026-12-02T10:00:00Z'), timeZone: 'UTC', locale: 'ru', sleep: async () => {} })).toBeNull()
    expect(runIssue).not.toHaveBeenCalled()
    expect(requests).toHaveLength(0)
    expect(store.phase).toBe('dry-run')
    expect(useJournalStore().local.map(entry => [entry.action, entry.result])).toEqual([['invoice', 'dryRun'], ['email', 'dryRun'], ['stage', 'dryRun']])
  })

  it('runs the chain once however often confirm is clicked while it runs', async () => {
    let finish: (value: unknown) => void = () => {}
    runIssue.mockImplementation(() => new Promise((resolve) => {
      finish = resolve
    }))
    const store = useIssueInvoiceStore()
    const { client } = createFakePortalClient({})
    await store.prepare(client, 42, {} as never, { now: new Date(), timeZone: 'UTC' })
    const env = { now: new Date(), timeZone: 'UTC', locale: 'ru' as const, sleep: async () => {} }
    const first = store.run(client, env)
    const second = store.run(client, env)
    expect(await second).toBeNull()
    finish({ status: 'sent', invoiceId: 7, invoiceNumber: '7', documentUrl: null, alreadyDone: false, warnings: [] })
    await first
    expect(runIssue).toHaveBeenCalledTimes(1)
    expect(store.phase).toBe('finished')
  })

  it('remembers the invoice key it started, so its own retry need not wait for the lease', async () => {
    runIssue.mockResolvedValue({ status: 'failed', step: 'email', error: new Error('x'), done: [], invoiceId: null })
    const store = useIssueInvoiceStore()
    const { client } = createFakePortalClient({})
    await store.prepare(client, 42, {} as never, { now: new Date(), timeZone: 'UTC' })
    await store.run(client, { now: new Date(), timeZone: 'UTC', locale: 'ru', sleep: async () => {} })
    const env = runIssue.mock.calls[0]![2] as { ownKeys: Set<string> }
    expect([...env.ownKeys]).toEqual(['invoice-desk:deal:42:deal'])
    expect(store.phase).toBe('failed')
  })
})
