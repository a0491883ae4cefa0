import type { IssuePreparation } from '../../src/flows/issue-and-send.ts'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { useIssueInvoiceStore } from '../../src/stores/issue-invoice.ts'
import { createFakePortalClient } from '../support/fake-portal-client.ts'

const runIssue = vi.fn()
vi.mock('../../src/flows/issue-and-send.ts', () => ({
  prepareIssue: vi.fn(async () => ({ plan: { invoice: { key: 'invoice-desk:deal:42:deal' } }, refusals: [], trace: { invoiceId: null }, snapshot: {} }) as unknown as IssuePreparation),
  runIssue: (...args: unknown[]) => runIssue(...args),
}))

describe('stores/issue-invoice', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    runIssue.mockReset()
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
