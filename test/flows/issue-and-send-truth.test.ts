import type { IssueEnvironment } from '../../src/flows/issue-and-send.ts'
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { PortalClient } from '../../src/portal/portal-client.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { Agent, get } from 'node:https'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { prepareIssue, runIssue } from '../../src/flows/issue-and-send.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { startEmulator } from '../emulator/server.ts'

const settings: InvoiceDeskSettings = (() => {
  const base = defaultSettings()
  return { ...base, notifications: { ...base.notifications, onIssue: { roles: ['responsible'], userIds: [] } } }
})()

/** The issue chain tells the truth and finishes: portal answers decide, every row is read, changes stop it, the portal's clock leases. */
describe('flows/issue-and-send: what the chain knows, and what it leaves to a person', () => {
  let emulator: RunningEmulator
  let caCertificate: string

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 100 })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())
  afterEach(() => {
    emulator.engine.faults.clear()
    emulator.engine.clock.set(new Date())
  })

  const env = (extra: Partial<IssueEnvironment> = {}): IssueEnvironment => ({ now: new Date(), timeZone: 'Europe/Moscow', locale: 'ru', sleep: ms => new Promise(resolve => setTimeout(resolve, ms)), pdfPollMs: 50, pdfTimeoutMs: 10_000, ...extra })
  const portal = () => connectWithWebhook(emulator.webhookUrl, { caCertificate })
  const state = () => emulator.state
  const invoicesWithKey = (dealId: number) => state().entities[31]!.items.filter(item => item.xmlId === invoiceKey(dealId))
  const emailsFor = (invoiceId: number) => state().journal.filter(entry => entry.kind === 'outbox' && Number((entry.details as { owner?: { id?: number } }).owner?.id) === invoiceId)
  const only = (dealId: number) => {
    expect(invoicesWithKey(dealId)).toHaveLength(1)
    return invoicesWithKey(dealId)[0]!
  }
  const fail = (method: string, times = 1) => emulator.engine.faults.add({ method, times, kind: 'error', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Injected' })
  const issue = async (client: PortalClient, dealId: number, extra: Partial<IssueEnvironment> = {}) => runIssue(client, await prepareIssue(client, dealId, settings, env(extra)), env(extra))

  /** A fresh deal for the contact with an e-mail, with `rows` product rows (price in roubles, quantity 1). */
  async function dealWithRows(client: PortalClient, prices: readonly number[]): Promise<number> {
    const contact = state().entities[3]!.items.find(c => ((c.fm ?? []) as Array<{ typeId: string, value: string }>).some(f => f.typeId === 'EMAIL' && /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(f.value)))!
    const created = await client.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: 2, fields: { title: `Rows ${prices.length}`, currencyId: 'RUB', contactId: contact.id, assignedById: 1 } })
    await client.call('crm.item.productrow.set', { ownerType: 'D', ownerId: created.item.id, productRows: prices.map((price, i) => ({ productName: `Позиция ${i + 1}`, price, quantity: 1, sort: (i + 1) * 10 })) })
    return created.item.id
  }

  it('once the portal answered "sent", a failed "sent" marker sends nothing again: the chain writes it once more and finishes', async () => {
    const client = portal()
    const dealId = await dealWithRows(client, [1500])
    fail('crm.timeline.logmessage.add')
    const first = await issue(client, dealId)
    expect(first).toMatchObject({ status: 'sent' })
    const invoice = only(dealId)
    expect(emailsFor(Number(invoice.id))).toHaveLength(1)
    expect(await issue(client, dealId)).toMatchObject({ status: 'sent', alreadyDone: true })
    expect(emailsFor(Number(invoice.id))).toHaveLength(1)
    expect(invoice.stageId).toBe('DT31_5:S')
  })

  it('when the marker cannot be written at all, a person decides; neither a retry nor a reopen sends a second e-mail', async () => {
    const client = portal()
    const dealId = await dealWithRows(client, [2500])
    fail('crm.timeline.logmessage.add', 2)
    expect(await issue(client, dealId)).toMatchObject({ status: 'unconfirmed', reason: 'marker-failed' })
    const invoiceId = Number(only(dealId).id)
    expect(emailsFor(invoiceId)).toHaveLength(1)
    // Reopened (or «Повторить»): the app cannot tell from the portal, so it asks again and sends nothing.
    const mine = { ownKeys: new Set([invoiceKey(dealId)]) }
    expect(await issue(client, dealId, mine)).toMatchObject({ status: 'unconfirmed', reason: 'unanswered' })
    expect(await issue(portal(), dealId, mine)).toMatchObject({ status: 'unconfirmed' })
    expect(emailsFor(invoiceId)).toHaveLength(1)
    // The person says it went out: the chain records it and finishes without sending.
    expect(await issue(client, dealId, { ...mine, emailDecision: 'sent' })).toMatchObject({ status: 'sent', alreadyDone: false })
    expect(emailsFor(invoiceId)).toHaveLength(1)
    expect(only(dealId).stageId).toBe('DT31_5:S')
    expect(await issue(client, dealId)).toMatchObject({ status: 'sent', alreadyDone: true })
  })

  it('a person may also choose to send again: the leftover activity goes and exactly one more e-mail is sent', async () => {
    const client = portal()
    const dealId = await dealWithRows(client, [3500])
    fail('crm.timeline.logmessage.add', 2)
    await issue(client, dealId)
    const invoiceId = Number(only(dealId).id)
    expect(await issue(client, dealId, { ownKeys: new Set([invoiceKey(dealId)]), emailDecision: 'resend' })).toMatchObject({ status: 'sent' })
    expect(emailsFor(invoiceId)).toHaveLength(2)
    const activities = await client.call<unknown[]>('crm.activity.list', { filter: { OWNER_TYPE_ID: 31, OWNER_ID: invoiceId, TYPE_ID: 4 }, select: ['ID'] })
    expect(activities).toHaveLength(1)
  })

  it('invoices a deal with 200 product rows for all of them (paged read, one more round trip), and e-mails the full sum', async () => {
    const client = portal()
    const prices = Array.from({ length: 200 }, (_, i) => (i < 50 ? 34.5 : 134.5))
    const dealId = await dealWithRows(client, prices)
    emulator.engine.resetStats()
    const preparation = await prepareIssue(client, dealId, settings, env())
    expect(emulator.stats.httpRequests).toBe(2)
    expect(preparation.plan!.rows).toHaveLength(200)
    expect(preparation.plan!.invoice.amount).toEqual({ amountMinor: 2_190_000, currency: 'RUB' })
    expect(await runIssue(client, preparation, env())).toMatchObject({ status: 'sent' })
    const invoice = only(dealId)
    expect(Number(invoice.opportunity)).toBe(21_900)
    expect(state().productRows.filter(row => row.ownerType === 'SI' && Number(row.ownerId) === Number(invoice.id))).toHaveLength(200)
    expect(JSON.stringify(emailsFor(Number(invoice.id))[0]!.details)).toContain('21')
  })

  it('a deal with up to 50 rows is still read in one round trip', async () => {
    const client = portal()
    const dealId = await dealWithRows(client, Array.from({ length: 50 }, () => 10))
    emulator.engine.resetStats()
    const preparation = await prepareIssue(client, dealId, settings, env())
    expect(emulator.stats.httpRequests).toBe(1)
    expect(preparation.plan!.rows).toHaveLength(50)
  })

  it('an invoice cancelled in Bitrix24 after a failed e-mail is neither e-mailed nor moved back by the retry', async () => {
    const client = portal()
    const dealId = await dealWithRows(client, [4500])
    fail('crm.activity.add')
    expect(await issue(client, dealId)).toMatchObject({ status: 'failed', step: 'email' })
    const invoiceId = Number(only(dealId).id)
    await client.call('crm.item.update', { entityTypeId: 31, id: invoiceId, fields: { stageId: 'DT31_5:D' } })
    const retry = await issue(client, dealId, { ownKeys: new Set([invoiceKey(dealId)]) })
    expect(retry).toMatchObject({ status: 'stopped', changes: [{ field: 'closed', actual: 'cancelled' }] })
    expect(emailsFor(invoiceId)).toHaveLength(0)
    expect(only(dealId).stageId).toBe('DT31_5:D')
  })

  it('an invoice edited between the preview and the confirm of a resumed run is not sent until the manager has seen the change', async () => {
    const client = portal()
    const dealId = await dealWithRows(client, [5500])
    fail('crm.activity.add')
    await issue(client, dealId)
    const invoiceId = Number(only(dealId).id)
    const preview = await prepareIssue(client, dealId, settings, env())
    expect(preview.changes).toEqual([])
    await client.call('crm.item.update', { entityTypeId: 31, id: invoiceId, fields: { opportunity: 9999, isManualOpportunity: 'Y' } })
    const marked: string[] = []
    const onProgress = (step: string, status: string) => status === 'done' && marked.push(step)
    expect(await runIssue(client, preview, env({ ownKeys: new Set([invoiceKey(dealId)]), onProgress }))).toMatchObject({ status: 'stopped', changes: [{ field: 'amount' }] })
    expect(emailsFor(invoiceId)).toHaveLength(0)
    expect(marked).toEqual([])
    // Reopened: the preview shows the new sum against the deal's; confirming sends the invoice as it is.
    const seen = await prepareIssue(client, dealId, settings, env())
    expect(seen.changes).toMatchObject([{ field: 'amount', expected: { amountMinor: 550_000 }, actual: { amountMinor: 999_900 } }])
    expect(seen.plan!.invoice.amount.amountMinor).toBe(999_900)
    expect(await runIssue(client, seen, env({ ownKeys: new Set([invoiceKey(dealId)]) }))).toMatchObject({ status: 'sent' })
    expect(emailsFor(invoiceId)).toHaveLength(1)
  })

  it('a deal re-priced between the preview and the confirm: the invoice is created as previewed, not sent, and the manager is told', async () => {
    const client = portal()
    const dealId = await dealWithRows(client, [6500])
    const preview = await prepareIssue(client, dealId, settings, env())
    await client.call('crm.item.productrow.set', { ownerType: 'D', ownerId: dealId, productRows: [{ productName: 'Дороже', price: 7000, quantity: 1 }] })
    const result = await runIssue(client, preview, env())
    expect(result).toMatchObject({ status: 'stopped', changes: [{ field: 'dealAmount', expected: { amountMinor: 650_000 }, actual: { amountMinor: 700_000 } }] })
    expect(emailsFor(Number(only(dealId).id))).toHaveLength(0)
  })

  it('leases by the portal\'s clock: with the portal 30 minutes ahead, another window waits only until the lease ends', async () => {
    const client = portal()
    const dealId = await dealWithRows(client, [7500])
    const ahead = (minutes: number) => emulator.engine.clock.set(new Date(Date.now() + minutes * 60_000))
    ahead(30)
    fail('crm.activity.add')
    expect(await issue(client, dealId, { attemptId: 'tab-a' })).toMatchObject({ status: 'failed', step: 'email' })
    expect(await issue(portal(), dealId, { attemptId: 'tab-b' })).toMatchObject({ status: 'in-progress' })
    ahead(36)
    expect(await issue(portal(), dealId, { attemptId: 'tab-b' })).toMatchObject({ status: 'sent' })
    expect(emailsFor(Number(only(dealId).id))).toHaveLength(1)
  })

  it('the tab that started an invoice resumes it at once after a reload (same attempt id), another tab waits', async () => {
    const client = portal()
    const dealId = await dealWithRows(client, [8500])
    fail('crm.activity.add')
    expect(await issue(client, dealId, { attemptId: 'tab-a' })).toMatchObject({ status: 'failed', step: 'email' })
    expect(only(dealId).sourceDescription).toContain('tab-a')
    expect(await issue(portal(), dealId, { attemptId: 'tab-b' })).toMatchObject({ status: 'in-progress' })
    // After a reload: a new client, no keys in memory, only the attempt id the tab kept.
    expect(await issue(portal(), dealId, { attemptId: 'tab-a' })).toMatchObject({ status: 'sent' })
    expect(emailsFor(Number(only(dealId).id))).toHaveLength(1)
  })

  it('a lost race whose delete fails says so, and the next run removes the second invoice', async () => {
    const client = portal()
    const dealId = await dealWithRows(client, [9500])
    fail('crm.item.delete')
    const [a, b] = [portal(), portal()]
    const [prepA, prepB] = await Promise.all([prepareIssue(a, dealId, settings, env()), prepareIssue(b, dealId, settings, env())])
    const results = await Promise.all([runIssue(a, prepA, env()), runIssue(b, prepB, env())])
    const lost = results.find(r => r.status === 'in-progress')
    expect(results.map(r => r.status).sort()).toEqual(['in-progress', 'sent'])
    expect(invoicesWithKey(dealId)).toHaveLength(2)
    expect(lost).toMatchObject({ leftoverInvoiceId: Math.max(...invoicesWithKey(dealId).map(i => Number(i.id))) })
    expect(await issue(client, dealId)).toMatchObject({ status: 'sent', alreadyDone: true })
    expect(invoicesWithKey(dealId)).toHaveLength(1)
    expect(emailsFor(Number(only(dealId).id))).toHaveLength(1)
  })
})

describe('flows/issue-and-send under the cloud rate limit (2 requests/s)', () => {
  let emulator: RunningEmulator
  let caCertificate: string

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'cloud', pdfDelayMs: 100 })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())

  it('waits out a drained bucket with visible waits and finishes by itself, one invoice and one e-mail', async () => {
    const client = connectWithWebhook(emulator.webhookUrl, { caCertificate })
    const contact = emulator.state.entities[3]!.items.find(c => ((c.fm ?? []) as Array<{ typeId: string, value: string }>).some(f => f.typeId === 'EMAIL' && /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(f.value)))!
    const created = await client.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: 2, fields: { title: 'Limit', opportunity: 1200, currencyId: 'RUB', contactId: contact.id, assignedById: 1 } })
    const waits: number[] = []
    const env: IssueEnvironment = { now: new Date(), timeZone: 'Europe/Moscow', locale: 'ru', sleep: ms => new Promise(resolve => setTimeout(resolve, ms)), pdfPollMs: 50, pdfTimeoutMs: 10_000, onLimitWait: ms => waits.push(ms) }
    const preparation = await prepareIssue(client, created.item.id, settings, env)
    // Another integration keeps the bucket full for 9 s.
    let hogging = true
    const agent = new Agent({ ca: caCertificate, keepAlive: true })
    const hit = () => new Promise<void>((resolve) => {
      get(`${emulator.webhookUrl}profile.json`, { agent }, (response) => {
        response.resume()
        response.on('end', () => resolve())
      }).on('error', () => resolve())
    })
    const hog = Promise.all(Array.from({ length: 4 }, async () => {
      while (hogging)
        await hit()
    }))
    setTimeout(() => {
      hogging = false
    }, 10_000)
    await new Promise(resolve => setTimeout(resolve, 2_000))
    const result = await runIssue(client, preparation, env)
    hogging = false
    await hog
    agent.destroy()
    expect(emulator.stats.errors.QUERY_LIMIT_EXCEEDED ?? 0).toBeGreaterThan(0)
    expect(result).toMatchObject({ status: 'sent' })
    expect(waits.length).toBeGreaterThan(0)
    const invoices = emulator.state.entities[31]!.items.filter(item => item.xmlId === invoiceKey(created.item.id))
    expect(invoices).toHaveLength(1)
    expect(emulator.state.journal.filter(e => e.kind === 'outbox' && Number((e.details as { owner?: { id?: number } }).owner?.id) === Number(invoices[0]!.id))).toHaveLength(1)
  }, 60_000)
})
