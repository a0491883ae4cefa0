// The unattended issue (robot, auto-issue, poll) against the emulator over https with the real SDK.
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { UnattendedEnvironment } from '../../src/flows/unattended-issue.ts'
import type { PortalClient } from '../../src/portal/portal-client.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { prepareIssue, runIssue } from '../../src/flows/issue-and-send.ts'
import { issueUnattended } from '../../src/flows/unattended-issue.ts'
import { EMPTY_JOURNAL_FILTER, journalTypeCommand, readJournal } from '../../src/portal/journal/journal-store.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { startEmulator } from '../emulator/server.ts'

const JOURNAL = 1030

describe('flows/unattended-issue against the emulator, through the SDK', () => {
  let emulator: RunningEmulator
  let caCertificate: string
  let portal: PortalClient

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 50 })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
    portal = connectWithWebhook(emulator.webhookUrl, { caCertificate })
    const command = journalTypeCommand(JOURNAL)
    await portal.call(command.method, command.params)
  })
  afterAll(() => emulator.close())
  beforeEach(() => emulator.engine.faults.clear())

  const settings: InvoiceDeskSettings = { ...defaultSettings(), journal: { entityTypeId: JOURNAL, keepDays: 100 } }
  const env = (locale: 'ru' | 'en' = 'ru'): UnattendedEnvironment => ({ now: new Date(), timeZone: 'Europe/Moscow', locale, sleep: ms => new Promise(resolve => setTimeout(resolve, ms)), pdfPollMs: 50, pdfTimeoutMs: 10_000 })
  const state = () => emulator.state
  const invoicesWithKey = (dealId: number) => state().entities[31]!.items.filter(item => item.xmlId === invoiceKey(dealId))
  const outboxFor = (invoiceId: number) => state().journal.filter(entry => entry.kind === 'outbox' && Number((entry.details as { owner?: { id?: number } }).owner?.id) === invoiceId)

  /** A deal the chain can issue for (client with e-mail, responsible with a CRM mailbox) and no app invoice yet. */
  async function issuableDeal(): Promise<number> {
    const withMailbox = new Set(state().users.filter(user => user.crmMailbox).map(user => user.id))
    for (const deal of state().entities[2]!.items.filter(item => withMailbox.has(Number(item.assignedById)))) {
      const id = Number(deal.id)
      if (invoicesWithKey(id).length > 0)
        continue
      const preparation = await prepareIssue(portal, id, settings, { now: new Date(), timeZone: 'Europe/Moscow' })
      if (preparation.plan && !preparation.snapshot.existing)
        return id
    }
    throw new Error('the demo data has no issuable deal left')
  }

  it('issues once: the second call (a repeated robot call) answers already-issued with the same invoice and sends nothing', async () => {
    const dealId = await issuableDeal()
    const first = await issueUnattended(portal, { dealId, source: 'robot' }, settings, env())
    expect(first).toMatchObject({ outcome: 'issued', journal: { status: 'written' } })
    expect(first.invoiceId).toBeGreaterThan(0)
    expect(first.accountNumber).toBeTruthy()
    expect(first.message).toContain(first.accountNumber!)

    const second = await issueUnattended(portal, { dealId, source: 'auto' }, settings, env('en'))
    expect(second).toMatchObject({ outcome: 'already-issued', invoiceId: first.invoiceId, accountNumber: first.accountNumber })
    expect(second.message).toMatch(/already issued/)
    expect(invoicesWithKey(dealId)).toHaveLength(1)
    expect(outboxFor(first.invoiceId!)).toHaveLength(1)

    // The journal names the source of each call.
    const page = await readJournal(portal, JOURNAL, { ...EMPTY_JOURNAL_FILTER, dealId })
    const by = page.entries.map(entry => `${entry.by}:${entry.action}:${entry.result}`)
    expect(by).toContain('robot:email:ok')
    expect(by).toContain('auto:invoice:skipped')
  })

  it('a click after the robot finds the invoice sent: the manager, the robot and auto-issue share one invoice', async () => {
    const dealId = await issuableDeal()
    await issueUnattended(portal, { dealId, source: 'poll' }, settings, env())
    const click = await runIssue(portal, await prepareIssue(portal, dealId, settings, { now: new Date(), timeZone: 'Europe/Moscow' }), { ...env(), timeZone: 'Europe/Moscow' })
    expect(click).toMatchObject({ status: 'sent', alreadyDone: true })
    expect(invoicesWithKey(dealId)).toHaveLength(1)
  })

  it('the answer to the invoice\'s creation is lost: the call resumes its own invoice, one invoice, one e-mail, and a repeat sends nothing', async () => {
    const dealId = await issuableDeal()
    emulator.engine.faults.add({ method: 'crm.item.add', times: 1, kind: 'drop-after', status: 500, code: 'INTERNAL_SERVER_ERROR', description: 'Injected' })
    const first = await issueUnattended(portal, { dealId, source: 'robot' }, settings, env())
    expect(first.outcome).toBe('issued')
    expect(invoicesWithKey(dealId)).toHaveLength(1)
    const invoiceId = Number(invoicesWithKey(dealId)[0]!.id)
    expect(first.invoiceId).toBe(invoiceId)
    expect(outboxFor(invoiceId)).toHaveLength(1)

    const again = await issueUnattended(portal, { dealId, source: 'robot' }, settings, env())
    expect(again).toMatchObject({ outcome: 'already-issued', invoiceId })
    expect(invoicesWithKey(dealId)).toHaveLength(1)
    expect(outboxFor(invoiceId)).toHaveLength(1)
  })

  it('a deal the chain refuses is refused with what the manager must do, and nothing is created', async () => {
    const noClient = state().entities[2]!.items.find(item => !Number(item.companyId) && !Number(item.contactId))
    const dealId = noClient
      ? Number(noClient.id)
      : await (async () => {
          const created = await portal.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: 2, fields: { title: 'Без клиента', opportunity: 1000, currencyId: 'RUB' } })
          return created.item.id
        })()
    const result = await issueUnattended(portal, { dealId, source: 'auto' }, settings, env())
    expect(result).toMatchObject({ outcome: 'refused', invoiceId: null })
    expect(result.message).toContain('укажите компанию или контакт')
    expect(invoicesWithKey(dealId)).toHaveLength(0)
  })

  it('a missing e-mail sender is a refusal naming the admin\'s fix; the invoice is kept and the next call does not create another', async () => {
    const withoutMailbox = new Set(state().users.filter(user => !user.crmMailbox).map(user => user.id))
    const deal = state().entities[2]!.items.find(item => withoutMailbox.has(Number(item.assignedById)) && invoicesWithKey(Number(item.id)).length === 0 && Number(item.opportunity) > 0 && (Number(item.companyId) || Number(item.contactId)))
    if (!deal)
      throw new Error('the demo data has no deal whose responsible lacks a CRM mailbox')
    const dealId = Number(deal.id)
    const first = await issueUnattended(portal, { dealId, source: 'robot' }, settings, env())
    if (first.outcome === 'refused' && first.invoiceId === null)
      return // the chain refused the deal itself (no e-mail for its client): nothing more to see here
    expect(first).toMatchObject({ outcome: 'refused' })
    expect(first.message).toContain('Письма → От кого письма клиентам')
    // Within the lease the next call leaves the invoice to the run that stopped (it may be running still), and says so.
    const again = await issueUnattended(portal, { dealId, source: 'robot' }, settings, env())
    expect(again).toMatchObject({ outcome: 'unknown', invoiceId: first.invoiceId })
    expect(again.message).toContain('5 минут')
    expect(invoicesWithKey(dealId)).toHaveLength(1)
  })
})
