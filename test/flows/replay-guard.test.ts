import type { IssueEnvironment } from '../../src/flows/issue-and-send.ts'
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { invoiceKey } from '../../src/domain/issue/issue-key.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { prepareIssue, resendInvoice, runIssue } from '../../src/flows/issue-and-send.ts'
import { setPromisedDate } from '../../src/flows/collection-actions.ts'
import { loadDealInvoices } from '../../src/flows/load-deal-invoices.ts'
import { cancelInvoice, markInvoicePaid, recordPayment } from '../../src/flows/mark-invoice.ts'
import { executeSweep, prepareSweep, type ReminderPreview } from '../../src/flows/run-reminders.ts'
import { emulatorControl } from '../support/emulator-control.ts'
import { guardedBatch, newGuard, REPLAYED, TOKEN_COMMENT } from '../../src/portal/replay-guard.ts'
import { startEmulator } from '../emulator/server.ts'
import { issuableDeal } from '../e2e/support/issuable-deal.ts'
import { replayingPortal } from '../support/replaying-portal.ts'
import { machineTagOf } from '../../src/domain/text/machine-tag.ts'

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
  // Fresh demo data for each case: the demo has only a handful of deals the app can issue for.
  beforeEach(() => {
    emulator.engine.reset('demo')
    used.clear()
  })

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

  const tokensOn = (dealId: number) => (state().invoiceFlow?.comments ?? []).filter(c => c.entityType === 'deal' && c.entityId === dealId && c.comment === TOKEN_COMMENT)

  it('a finished run leaves no token; one an abandoned preview left is removed by the next run half an hour later', async () => {
    const client = replayingPortal(emulator.webhookUrl, caCertificate)
    const dealId = issuableDeal(state(), used)
    await prepareIssue(client, dealId, settings, env()) // the preview, then the window is closed
    expect(tokensOn(dealId)).toHaveLength(1)
    const control = emulatorControl(emulator.url, caCertificate)
    const now = (await control.get<{ now: string }>('/emulator/clock')).now
    await control.post('/emulator/clock', { now: new Date(Date.parse(now) + 31 * 60_000).toISOString() })
    try {
      expect(await runIssue(client, await prepareIssue(client, dealId, settings, env()), env())).toMatchObject({ status: 'sent' })
      expect(tokensOn(dealId)).toHaveLength(0)
    }
    finally {
      await control.post('/emulator/clock', { now })
    }
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

  /** A sent demo invoice of a deal, not used by another case, with what the deal tab read. */
  async function openInvoice() {
    const item = state().entities[31]!.items.find(i => !usedInvoices.has(Number(i.id)) && i.stageId === 'DT31_5:S' && i.parentId2 && i.assignedById)!
    usedInvoices.add(Number(item.id))
    const overview = await loadDealInvoices(replayingPortal(emulator.webhookUrl, caCertificate), Number(item.parentId2), new Date(), 'Europe/Moscow')
    return { id: Number(item.id), number: String(item.accountNumber), stages: overview.stages, env: { today: overview.today, locale: 'ru' as const } }
  }
  const usedInvoices = new Set<number>()
  const payments = (id: number) => journal('timeline').filter(e => (e.details as { owner?: { typeId?: number, id?: number } }).owner?.id === id
    && (e.details as { owner?: { typeId?: number } }).owner?.typeId === 31 && JSON.stringify(machineTagOf(String(e.details.text))).includes('"kind":"payment"'))
  const paySettings = { ...settings, notifications: { ...settings.notifications, onPayment: { roles: ['responsible' as const], userIds: [] } } }

  it('drop-after on mark paid: one payment record, one notification, and it says done', async () => {
    const target = await openInvoice()
    const client = replayingPortal(emulator.webhookUrl, caCertificate)
    dropAfter('crm.item.update')
    const result = await markInvoicePaid(client, { invoiceId: target.id, stages: target.stages, paidOn: target.env.today }, paySettings, target.env)
    expect(client.replays()).toBe(1)
    expect(result).toMatchObject({ status: 'done', stageId: 'DT31_5:P' })
    expect(payments(target.id)).toHaveLength(1)
    expect(journal('notifications').filter(n => JSON.stringify(n.details).includes(target.number))).toHaveLength(1)
  })

  it('drop-after on a part payment: one payment record, and it says partial', async () => {
    const target = await openInvoice()
    const client = replayingPortal(emulator.webhookUrl, caCertificate)
    dropAfter('crm.timeline.logmessage.add')
    const result = await recordPayment(client, { invoiceId: target.id, stages: target.stages, amount: { amountMinor: 100, currency: 'RUB' }, paidOn: target.env.today }, paySettings, target.env)
    expect(client.replays()).toBe(1)
    expect(result).toMatchObject({ status: 'partial' })
    expect(payments(target.id)).toHaveLength(1)
  })

  it('drop-after on a promise and on cancelling: each recorded once and reported as done', async () => {
    const target = await openInvoice()
    const client = replayingPortal(emulator.webhookUrl, caCertificate)
    dropAfter('crm.timeline.logmessage.add')
    const promised = await setPromisedDate(client, { invoiceId: target.id, stages: target.stages, on: target.env.today }, target.env)
    expect(promised).toMatchObject({ status: 'recorded' })
    expect(journal('timeline').filter(e => JSON.stringify(machineTagOf(String(e.details.text))).includes('"kind":"promise"') && (e.details as { owner?: { id?: number } }).owner?.id === target.id)).toHaveLength(1)
    dropAfter('crm.item.update')
    const cancelled = await cancelInvoice(client, { invoiceId: target.id, stages: target.stages }, target.env)
    expect(client.replays()).toBe(2)
    expect(cancelled).toMatchObject({ status: 'done', action: 'cancel' })
    expect(journal('timeline').filter(e => (e.details as { owner?: { id?: number } }).owner?.id === target.id && (e.details as { type?: string }).type === 'logmessage')).toHaveLength(2)
  })
})

/** The demo portal at 10:00 in Moscow on the next Monday: reminders go out on business days from the send hour. */
async function demoOnMonday(): Promise<{ emulator: RunningEmulator, caCertificate: string }> {
  const emulator = await startEmulator({ https: true, data: 'demo', limits: 'off' })
  const caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  const control = emulatorControl(emulator.url, caCertificate)
  const now = new Date((await control.get<{ now: string }>('/emulator/clock')).now)
  const monday = new Date(now.getTime() + ((8 - now.getUTCDay()) % 7 || 7) * 86_400_000)
  await control.post('/emulator/clock', { now: `${monday.toISOString().slice(0, 10)}T10:00:00+03:00` })
  return { emulator, caCertificate }
}

describe('never twice: the reminder sweep\'s send and claim batches replayed by the transport', () => {
  let emulator: RunningEmulator
  let caCertificate: string

  // A fresh portal for each case: a sweep claims and sends what is due, leaving nothing for the next one.
  beforeEach(async () => {
    ({ emulator, caCertificate } = await demoOnMonday())
  })
  afterEach(() => emulator.close())

  it.each([
    ['drop-after on the e-mails: each reminder e-mailed once, and the sweep reports them sent', 'crm.activity.add', 'replay'],
    ['drop-after on the claims: the sweep still knows its own claims, sends each reminder once and says sent', 'crm.timeline.logmessage.add', 'claims'],
  ] as const)('%s', async (_title, batch, runnerId) => {
    const client = replayingPortal(emulator.webhookUrl, caCertificate)
    const options = { locale: 'ru' as const, runnerId }
    const prep = await prepareSweep(client, defaultSettings(), options)
    // E-mails Bitrix24 can send: their manager has a CRM mailbox (a refused one is the next case).
    const mailbox = new Set(emulator.state.users.filter(user => user.crmMailbox).map(user => user.id))
    const emails = prep.previews.filter(preview => preview.channel === 'email' && preview.problem === null && preview.invoices.every(invoice => mailbox.has(invoice.responsibleId ?? 0)))
    expect(emails.length).toBeGreaterThan(0)
    emulator.engine.faults.add({ method: batch, times: 1, kind: 'drop-after', status: 0, code: '', description: '' })
    const result = await executeSweep(client, prep, options, new Set(emails.flatMap(preview => preview.keys)))
    expect(client.replays()).toBe(1)
    expect(emulator.state.journal.filter(entry => entry.kind === 'outbox')).toHaveLength(emails.length)
    expect(result.outcomes.map(outcome => outcome.status)).toEqual(emails.flatMap(preview => preview.keys.map(() => 'sent')))
    const claims = emulator.state.journal.filter(entry => entry.kind === 'timeline' && JSON.stringify(machineTagOf(String(entry.details.text))).includes('"status":"claim"'))
    expect(claims).toHaveLength(emails.flatMap(preview => preview.keys).length)
  })
})

describe('never twice, never claimed: a refused reminder e-mail whose batch answer was lost', () => {
  let emulator: RunningEmulator
  let caCertificate: string

  beforeAll(async () => {
    ({ emulator, caCertificate } = await demoOnMonday())
  })
  afterAll(() => emulator.close())

  it('drop-after on a batch holding a sendable and a refused e-mail: the one sent says sent, the refused one waits for a person', async () => {
    const client = replayingPortal(emulator.webhookUrl, caCertificate)
    const options = { locale: 'ru' as const, runnerId: 'refused' }
    // The default sender leaves it to the manager's CRM mailbox; without one Bitrix24 answers `"From" is not found`
    // and keeps the activity: one invoice is handed to a manager who has none.
    const mailbox = new Set(emulator.state.users.filter(user => user.crmMailbox).map(user => user.id))
    const noMailbox = emulator.state.users.find(user => !user.crmMailbox)!.id
    const singles = (previews: readonly ReminderPreview[]) => previews.filter(preview => preview.channel === 'email' && preview.problem === null && preview.keys.length === 1)
    const handedOver = singles((await prepareSweep(client, defaultSettings(), options)).previews).at(-1)!.invoices[0]!.id
    emulator.state.entities[31]!.items.find(item => Number(item.id) === handedOver)!.assignedById = noMailbox
    const prep = await prepareSweep(client, defaultSettings(), options)
    const sendable = singles(prep.previews).find(preview => mailbox.has(preview.invoices[0]!.responsibleId ?? 0))!
    const refused = singles(prep.previews).find(preview => preview.invoices[0]!.id === handedOver)!
    expect(refused.invoices[0]!.responsibleId).toBe(noMailbox)
    emulator.engine.faults.add({ method: 'crm.activity.add', times: 1, kind: 'drop-after', status: 0, code: '', description: '' })
    const result = await executeSweep(client, prep, options, new Set([...sendable.keys, ...refused.keys]))
    expect(client.replays()).toBe(1)
    const outbox = emulator.state.journal.filter(entry => entry.kind === 'outbox')
    expect(outbox).toHaveLength(1)
    const statusOf = (key: string) => result.outcomes.find(outcome => `${outcome.invoiceId}:${outcome.stepKey}` === key)?.status
    expect(statusOf(sendable.keys[0]!)).toBe('sent')
    expect(statusOf(refused.keys[0]!)).toBe('undecided')
    const records = (invoiceId: number) => emulator.state.journal
      .filter(entry => entry.kind === 'timeline' && (entry.details as { owner?: { id?: number } }).owner?.id === invoiceId)
      .map(entry => machineTagOf(String(entry.details.text)) as { status?: string, reason?: string } | null)
      .filter(tag => tag?.status && tag.status !== 'claim')
    expect(records(refused.invoices[0]!.id)).toEqual([expect.objectContaining({ status: 'unknown', reason: 'activityFound' })])
    expect(records(sendable.invoices[0]!.id)).toEqual([expect.objectContaining({ status: 'sent' })])
  })
})
