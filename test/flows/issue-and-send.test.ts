import type { IssueEnvironment } from '../../src/flows/issue-and-send.ts'
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { prepareIssue, resendInvoice, runIssue } from '../../src/flows/issue-and-send.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { startEmulator } from '../emulator/server.ts'

const settings: InvoiceDeskSettings = (() => {
  const base = defaultSettings()
  return { ...base, notifications: { ...base.notifications, onIssue: { roles: ['responsible'], userIds: [] } } }
})()

describe('flows/issue-and-send against the emulator, through the SDK', () => {
  let emulator: RunningEmulator
  let caCertificate: string

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 150 })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())
  beforeEach(() => emulator.engine.faults.clear())

  const env = (): IssueEnvironment => ({ now: new Date(), timeZone: 'Europe/Moscow', locale: 'ru', sleep: ms => new Promise(resolve => setTimeout(resolve, ms)), pdfPollMs: 100, pdfTimeoutMs: 10_000 })
  const portal = () => connectWithWebhook(emulator.webhookUrl, { caCertificate })
  const state = () => emulator.state
  const invoicesWithKey = (dealId: number) => state().entities[31]!.items.filter(item => item.xmlId === invoiceKey(dealId))
  const journal = (kind: string) => state().journal.filter(entry => entry.kind === kind)
  const emailsFor = (invoiceId: number) => journal('outbox').filter(entry => Number((entry.details as { owner?: { id?: number } }).owner?.id) === invoiceId)

  /**
   * A deal with a company whose contact or company has a valid e-mail, and no app invoice yet, whose
   * responsible has a CRM mailbox (these settings name no sender; test/flows/issue-email.test.ts covers the others).
   */
  function issuableDeal(skip: readonly number[] = []): number {
    const withMailbox = new Set(state().users.filter(user => user.crmMailbox).map(user => user.id))
    for (const deal of state().entities[2]!.items) {
      const id = Number(deal.id)
      if (skip.includes(id) || Number(deal.opportunity) <= 0 || invoicesWithKey(id).length > 0 || !withMailbox.has(Number(deal.assignedById)))
        continue
      const contact = state().entities[3]!.byId.get(Number(deal.contactId))
      const company = state().entities[4]!.byId.get(Number(deal.companyId))
      const emails = [contact, company].flatMap(item => ((item?.fm ?? []) as Array<{ typeId: string, value: string }>).filter(f => f.typeId === 'EMAIL').map(f => f.value))
      if (emails.length > 0 && /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(emails[0]!))
        return id
    }
    throw new Error('the demo data has no issuable deal left')
  }

  it('issues, e-mails, moves stages and notifies in at most 4 round trips besides the PDF wait', async () => {
    const dealId = issuableDeal()
    const client = portal()
    emulator.engine.resetStats()
    const preparation = await prepareIssue(client, dealId, settings, env())
    expect(preparation.refusals).toEqual([])
    const result = await runIssue(client, preparation, env())

    expect(result).toMatchObject({ status: 'sent', alreadyDone: false })
    const [invoice] = invoicesWithKey(dealId)
    expect(invoicesWithKey(dealId)).toHaveLength(1)
    expect(invoice!.stageId).toBe(preparation.snapshot.settings.invoice.sentStageId)
    expect(Number(invoice!.opportunity)).toBe(preparation.plan!.invoice.amount.amountMinor / 100)
    const rows = state().productRows.filter(row => row.ownerType === 'SI' && Number(row.ownerId) === Number(invoice!.id))
    expect(rows.length).toBe(preparation.plan!.rows.length)
    const emails = emailsFor(Number(invoice!.id))
    expect(emails).toHaveLength(1)
    expect(JSON.stringify(emails[0]!.details)).toContain(preparation.plan!.client.email)
    expect(journal('notifications').filter(n => JSON.stringify(n.details).includes(String(invoice!.id)))).toHaveLength(1)
    const polls = emulator.stats.restRequests['crm.documentgenerator.document.get'] ?? 0
    expect(emulator.stats.httpRequests - polls).toBeLessThanOrEqual(4)
  })

  it('does nothing the second time: the invoice is already sent', async () => {
    const dealId = issuableDeal()
    const client = portal()
    await runIssue(client, await prepareIssue(client, dealId, settings, env()), env())
    const outboxBefore = journal('outbox').length
    emulator.engine.resetStats()
    const again = await runIssue(client, await prepareIssue(client, dealId, settings, env()), env())
    expect(again).toMatchObject({ status: 'sent', alreadyDone: true })
    expect(invoicesWithKey(dealId)).toHaveLength(1)
    expect(journal('outbox')).toHaveLength(outboxBefore)
    // The read, and the token it minted for a write given back (README "Never twice").
    expect(emulator.stats.restRequests).toEqual({ 'batch': 1, 'crm.timeline.comment.delete': 1 })
  })

  it('re-sends a sent invoice as a new e-mail each time, moving nothing, in one round trip after the read', async () => {
    const dealId = issuableDeal()
    const client = portal()
    const notYet = await resendInvoice(client, await prepareIssue(client, dealId, settings, env()), env())
    expect(notYet).toEqual({ status: 'not-sent-yet' })
    await runIssue(client, await prepareIssue(client, dealId, settings, env()), env())
    const invoice = invoicesWithKey(dealId)[0]!
    const stageBefore = invoice.stageId
    const notificationsBefore = journal('notifications').length

    for (const round of [1, 2]) {
      const preparation = await prepareIssue(client, dealId, settings, env())
      emulator.engine.resetStats()
      expect(await resendInvoice(client, preparation, env())).toMatchObject({ status: 'sent', invoiceId: Number(invoice.id) })
      expect(emulator.stats.httpRequests).toBe(1)
      expect(emailsFor(Number(invoice.id))).toHaveLength(1 + round)
    }
    const activities = await client.call<Array<{ ORIGIN_ID?: string }>>('crm.activity.list', { filter: { OWNER_TYPE_ID: 31, OWNER_ID: Number(invoice.id) }, select: ['ID', 'ORIGIN_ID'] })
    expect(activities.map(a => a.ORIGIN_ID).sort()).toEqual([`invoice-desk:email:${invoice.id}`, `invoice-desk:email:${invoice.id}:resend:1`, `invoice-desk:email:${invoice.id}:resend:2`])
    // The original issue is still recognised as complete: nothing is sent or moved again.
    expect(await runIssue(client, await prepareIssue(client, dealId, settings, env()), env())).toMatchObject({ status: 'sent', alreadyDone: true })
    expect(emailsFor(Number(invoice.id))).toHaveLength(3)
    expect(invoicesWithKey(dealId)[0]!.stageId).toBe(stageBefore)
    expect(journal('notifications')).toHaveLength(notificationsBefore)
  })

  it('two tabs clicking at once leave one invoice and one e-mail', async () => {
    const dealId = issuableDeal()
    const [a, b] = [portal(), portal()]
    const [prepA, prepB] = await Promise.all([prepareIssue(a, dealId, settings, env()), prepareIssue(b, dealId, settings, env())])
    const results = await Promise.all([runIssue(a, prepA, env()), runIssue(b, prepB, env())])
    expect(results.map(r => r.status).sort()).toEqual(['in-progress', 'sent'])
    expect(invoicesWithKey(dealId)).toHaveLength(1)
    expect(emailsFor(Number(invoicesWithKey(dealId)[0]!.id))).toHaveLength(1)
  })

  it.each([
    ['invoice', 'crm.item.add', 'drop-after'],
    ['document', 'crm.documentgenerator.document.add', 'error'],
    ['pdf', 'crm.documentgenerator.document.get', 'error'],
    ['email', 'crm.activity.add', 'drop-after'],
    ['email', 'crm.activity.add', 'error'],
    ['stages', 'crm.item.update', 'error'],
    ['notify', 'im.notify.system.add', 'drop-after'],
  ] as const)('a failure at %s (%s, %s) is named, and the retry finishes with one invoice and one e-mail', async (failedStep, method, kind) => {
    const dealId = issuableDeal()
    const client = portal()
    emulator.engine.faults.add({ method, times: 1, kind, status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Injected' })
    const first = await runIssue(client, await prepareIssue(client, dealId, settings, env()), env())
    expect(first).toMatchObject({ status: 'failed', step: failedStep })

    // The same window retries: it may continue the invoice it started at once.
    const retry = await runIssue(client, await prepareIssue(client, dealId, settings, env()), { ...env(), ownKeys: new Set([invoiceKey(dealId)]) })
    expect(retry).toMatchObject({ status: 'sent' })
    expect(invoicesWithKey(dealId)).toHaveLength(1)
    const invoiceId = Number(invoicesWithKey(dealId)[0]!.id)
    expect(emailsFor(invoiceId)).toHaveLength(1)
    // Follow-ups happen once too: one notification, one follow-up task per configured task.
    const number = String(invoicesWithKey(dealId)[0]!.accountNumber)
    expect(journal('notifications').filter(n => JSON.stringify(n.details).includes(number))).toHaveLength(1)
    expect(journal('tasks').filter(task => JSON.stringify(task.details).includes(`D_${dealId}"`))).toHaveLength(settings.notifications.tasks.length)
  })

  it('a second window that reads while the first is still working leaves the invoice to it, then resumes it after the lease', async () => {
    const dealId = issuableDeal()
    const [a, b] = [portal(), portal()]
    // Window A stops before the e-mail (the portal refuses it once): the invoice and PDF exist.
    emulator.engine.faults.add({ method: 'crm.activity.add', times: 1, kind: 'error', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Injected' })
    const prepared = await prepareIssue(a, dealId, settings, env())
    expect(prepared.refusals).toEqual([])
    const first = await runIssue(a, prepared, env())
    expect(first).toMatchObject({ status: 'failed', step: 'email' })

    const meanwhile = await runIssue(b, await prepareIssue(b, dealId, settings, env()), env())
    expect(meanwhile).toMatchObject({ status: 'in-progress' })
    expect(emailsFor(Number(invoicesWithKey(dealId)[0]!.id))).toHaveLength(0)

    // The lease runs on the portal's clock (the PC's may be off): six portal minutes later it is over.
    emulator.engine.clock.set(new Date(Date.now() + 6 * 60_000))
    const resumed = await runIssue(b, await prepareIssue(b, dealId, settings, env()), env()).finally(() => emulator.engine.clock.set(new Date()))
    expect(resumed).toMatchObject({ status: 'sent' })
    expect(invoicesWithKey(dealId)).toHaveLength(1)
    expect(emailsFor(Number(invoicesWithKey(dealId)[0]!.id))).toHaveLength(1)
  })

  it.each([
    ['no client', 'noClient'],
    ['a contact without an e-mail', 'noEmail'],
    ['a contact with a malformed e-mail', 'badEmail'],
    ['a zero sum', 'zeroSum'],
  ] as const)('refuses a deal with %s up front, writing nothing', async (_case, code) => {
    const client = portal()
    const contacts = state().entities[3]!.items
    const emailsOf = (item: Record<string, unknown>) => ((item.fm ?? []) as Array<{ typeId: string, value: string }>).filter(f => f.typeId === 'EMAIL').map(f => f.value)
    const withoutEmail = contacts.find(c => emailsOf(c).length === 0)!
    const malformed = contacts.find(c => emailsOf(c).some(e => !/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(e)))!
    const withEmail = contacts.find(c => emailsOf(c).length > 0 && c !== malformed)!
    const fields = {
      noClient: { opportunity: 1000 },
      noEmail: { opportunity: 1000, contactId: withoutEmail.id },
      badEmail: { opportunity: 1000, contactId: malformed.id },
      zeroSum: { opportunity: 0, contactId: withEmail.id },
    }[code]
    const created = await client.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: 2, fields: { title: `Refusal: ${code}`, currencyId: 'RUB', ...fields } })
    const before = { invoices: state().entities[31]!.items.length, outbox: journal('outbox').length }

    const preparation = await prepareIssue(client, created.item.id, settings, env())
    expect(preparation.refusals.map(r => r.code)).toEqual([code])
    expect(await runIssue(client, preparation, env())).toMatchObject({ status: 'refused' })
    expect(state().entities[31]!.items.length).toBe(before.invoices)
    expect(journal('outbox').length).toBe(before.outbox)
  })
})
