import type { IssueEnvironment } from '../../src/flows/issue-and-send.ts'
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { prepareIssue, resendInvoice, runIssue } from '../../src/flows/issue-and-send.ts'
import { guardedBatch, newGuard, REPLAYED } from '../../src/portal/replay-guard.ts'
import { startEmulator } from '../emulator/server.ts'
import { issuableDeal } from '../e2e/support/issuable-deal.ts'
import { replayingPortal } from '../support/replaying-portal.ts'

const settings: InvoiceDeskSettings = (() => {
  const base = defaultSettings()
  return { ...base, notifications: { ...base.notifications, onIssue: { roles: ['responsible'], userIds: [] } } }
})()

describe('never twice: a batch the transport replays after its answer was lost (real SDK, Chromium-like transport)', () => {
  let emulator: RunningEmulator
  let caCertificate: string
  const used = new Set<number>()

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 100 })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())
  beforeEach(() => emulator.engine.faults.clear())

  const env = (): IssueEnvironment => ({ now: new Date(), timeZone: 'Europe/Moscow', locale: 'ru', sleep: ms => new Promise(resolve => setTimeout(resolve, ms)), pdfPollMs: 100, pdfTimeoutMs: 10_000 })
  const state = () => emulator.state
  const journal = (kind: string) => state().journal.filter(entry => entry.kind === kind)
  const invoicesOf = (dealId: number) => state().entities[31]!.items.filter(item => item.xmlId === invoiceKey(dealId))
  const emailsFor = (invoiceId: number) => journal('outbox').filter(entry => Number((entry.details as { owner?: { id?: number } }).owner?.id) === invoiceId)
  const dropAfter = (method: string) => emulator.engine.faults.add({ method, times: 1, kind: 'drop-after', status: 0, code: '', description: '' })

  it('a guarded batch the portal runs twice does its work once; the copy answers REPLAYED', async () => {
    const client = replayingPortal(emulator.webhookUrl, caCertificate)
    const dealId = issuableDeal(state(), used)
    const guard = newGuard({ entityTypeId: 2, id: dealId })
    dropAfter('tasks.task.add')
    const attempt = guardedBatch(client, guard, { task: { method: 'tasks.task.add', params: { fields: { TITLE: `replay ${dealId}`, RESPONSIBLE_ID: 1 } } } })
    await expect(attempt).rejects.toMatchObject({ code: REPLAYED })
    expect(client.replays()).toBe(1)
    expect(journal('tasks').filter(task => task.title === `replay ${dealId}`)).toHaveLength(1)
  })

  it.each([
    ['the create batch', 'crm.item.add'],
    ['the send batch\'s e-mail', 'crm.activity.add'],
    ['the send batch\'s marker', 'crm.timeline.logmessage.add'],
    ['the send batch\'s stage update', 'crm.item.update'],
    ['the follow-up batch', 'tasks.task.add'],
  ])('drop-after on %s: one invoice, one e-mail, one notification, one task each, and the chain says sent', async (_, method) => {
    const client = replayingPortal(emulator.webhookUrl, caCertificate)
    const dealId = issuableDeal(state(), used)
    const preparation = await prepareIssue(client, dealId, settings, env())
    dropAfter(method)
    const result = await runIssue(client, preparation, env())
    expect(client.replays()).toBe(1)
    expect(result).toMatchObject({ status: 'sent' })
    expect(invoicesOf(dealId)).toHaveLength(1)
    const invoice = invoicesOf(dealId)[0]!
    expect(emailsFor(Number(invoice.id))).toHaveLength(1)
    expect(journal('notifications').filter(n => JSON.stringify(n.details).includes(String(invoice.accountNumber)))).toHaveLength(1)
    expect(journal('tasks').filter(task => JSON.stringify(task.details).includes(`D_${dealId}"`))).toHaveLength(settings.notifications.tasks.length)
    expect(invoice.stageId).toBe('DT31_5:S')
  })

  it('drop-after on the re-send: one more e-mail, and the re-send says sent', async () => {
    const client = replayingPortal(emulator.webhookUrl, caCertificate)
    const dealId = issuableDeal(state(), used)
    expect(await runIssue(client, await prepareIssue(client, dealId, settings, env()), env())).toMatchObject({ status: 'sent' })
    const invoiceId = Number(invoicesOf(dealId)[0]!.id)
    dropAfter('crm.activity.add')
    const resent = await resendInvoice(client, await prepareIssue(client, dealId, settings, env()), env())
    expect(client.replays()).toBe(1)
    expect(resent).toMatchObject({ status: 'sent', invoiceId })
    expect(emailsFor(invoiceId)).toHaveLength(2)
  })
})
