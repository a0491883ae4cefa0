import type { InvoiceActionEnvironment } from '../../src/flows/mark-invoice.ts'
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { loadDealInvoices } from '../../src/flows/load-deal-invoices.ts'
import { parseRecord } from '../../src/domain/collection/collection-record.ts'
import { cancelInvoice, markInvoicePaid, recordPayment } from '../../src/flows/mark-invoice.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { startEmulator } from '../emulator/server.ts'

const settings: InvoiceDeskSettings = (() => {
  const base = defaultSettings()
  return { ...base, deal: { ...base.deal, stageAfterPaid: 'WON' }, notifications: { ...base.notifications, onPayment: { roles: ['responsible'], userIds: [] } } }
})()

describe('flows/mark-invoice against the emulator, through the SDK', () => {
  let emulator: RunningEmulator
  let caCertificate: string
  const used = new Set<number>()

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off' })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())
  beforeEach(() => emulator.engine.faults.clear())

  const portal = () => connectWithWebhook(emulator.webhookUrl, { caCertificate })
  const state = () => emulator.state
  const invoice = (id: number) => state().entities[31]!.byId.get(id)!
  const deal = (id: number) => state().entities[2]!.byId.get(id)!
  const journal = (kind: string) => state().journal.filter(entry => entry.kind === kind)
  const notificationsAbout = (number: string) => journal('notifications').filter(n => JSON.stringify(n.details).includes(number))
  /** The timeline entries on an item, without the claims a payment writes first (`payment-claim.ts`). */
  const logsOn = (typeId: number, id: number) => journal('timeline').filter((e) => {
    const owner = (e.details as { owner?: { typeId?: number, id?: number } }).owner
    return owner?.typeId === typeId && owner.id === id && parseRecord(String(e.details.text))?.kind !== 'paymentClaim'
  })

  /** Whether the deal has open invoices other than `invoiceId`. */
  const othersOpen = (dealId: number, invoiceId: number) => state().entities[31]!.items
    .some(other => Number(other.parentId2) === dealId && Number(other.id) !== invoiceId && !['DT31_5:P', 'DT31_5:D'].includes(String(other.stageId)))

  /** A sent (open, not draft) demo invoice of a deal, with a responsible, not used by another case: by default with `soleOpen`, its deal's only open invoice. */
  function openInvoice(soleOpen = false): { id: number, dealId: number, number: string, responsibleId: number } {
    for (const item of state().entities[31]!.items) {
      const id = Number(item.id)
      if (used.has(id) || item.stageId !== 'DT31_5:S' || !item.parentId2 || !item.assignedById)
        continue
      if (soleOpen && othersOpen(Number(item.parentId2), id))
        continue
      used.add(id)
      return { id, dealId: Number(item.parentId2), number: String(item.accountNumber), responsibleId: Number(item.assignedById) }
    }
    throw new Error('the demo data has no sent invoice left')
  }

  async function prepared(dealId: number) {
    const overview = await loadDealInvoices(portal(), dealId, new Date(), 'Europe/Moscow')
    const env: InvoiceActionEnvironment = { today: overview.today, locale: 'ru' }
    return { stages: overview.stages, env }
  }

  it('marks paid in four round trips (read, claim, read back, write): invoice to «Оплачен», deal to its after-payment stage, one notification, both timelines', async () => {
    const target = openInvoice(true)
    const { stages, env } = await prepared(target.dealId)
    const client = portal()
    emulator.engine.resetStats()
    const result = await markInvoicePaid(client, { invoiceId: target.id, stages, paidOn: '2026-03-04' }, settings, env)

    expect(result).toMatchObject({ status: 'done', action: 'markPaid', stageId: 'DT31_5:P' })
    expect(invoice(target.id).stageId).toBe('DT31_5:P')
    expect(deal(target.dealId).stageId).toBe('WON')
    const notified = notificationsAbout(target.number)
    expect(notified).toHaveLength(1)
    expect(notified[0]!.details).toMatchObject({ toUserId: target.responsibleId, method: 'im.notify.system.add' })
    expect(String(notified[0]!.details.message)).toContain('04.03.2026')
    const invoiceLogs = logsOn(31, target.id)
    expect(invoiceLogs).toHaveLength(1)
    expect(String(invoiceLogs[0]!.details.text)).toContain('оплачен полностью 04.03.2026')
    expect(logsOn(2, target.dealId).filter(e => String(e.details.text).includes(target.number))).toHaveLength(1)
    expect(emulator.stats.httpRequests).toBe(4)
    expect(client.roundTrips()).toBe(4)
  })

  it('does nothing more the second time: one read, no write, still one notification', async () => {
    const target = openInvoice()
    const { stages, env } = await prepared(target.dealId)
    const client = portal()
    await markInvoicePaid(client, { invoiceId: target.id, stages, paidOn: env.today }, settings, env)
    const journalBefore = state().journal.length
    emulator.engine.resetStats()

    const again = await markInvoicePaid(client, { invoiceId: target.id, stages, paidOn: env.today }, settings, env)
    expect(again).toMatchObject({ status: 'unchanged', state: { kind: 'paid' } })
    // One batch read the invoice and its log (the balance); nothing was written, and no token was
    // minted: a payment's token comes with the claim's read-back (README "Never twice").
    expect(emulator.stats.restRequests).toEqual({ batch: 1 })
    expect(state().journal).toHaveLength(journalBefore)
    expect(notificationsAbout(target.number)).toHaveLength(1)
  })

  it('cancels: the invoice to its failure stage with one timeline entry; the deal and the people are left alone', async () => {
    const target = openInvoice()
    const { stages, env } = await prepared(target.dealId)
    const dealStage = deal(target.dealId).stageId
    emulator.engine.resetStats()
    const result = await cancelInvoice(portal(), { invoiceId: target.id, stages }, env)

    expect(result).toMatchObject({ status: 'done', action: 'cancel', stageId: 'DT31_5:D' })
    expect(invoice(target.id).stageId).toBe('DT31_5:D')
    expect(deal(target.dealId).stageId).toBe(dealStage)
    expect(notificationsAbout(target.number)).toHaveLength(0)
    expect(logsOn(31, target.id)).toHaveLength(1)
    expect(emulator.stats.httpRequests).toBe(2)
    // A cancelled invoice cannot be marked paid afterwards.
    const paid = await markInvoicePaid(portal(), { invoiceId: target.id, stages, paidOn: env.today }, settings, env)
    expect(paid).toMatchObject({ status: 'unchanged', state: { kind: 'cancelled' } })
    expect(notificationsAbout(target.number)).toHaveLength(0)
  })

  it('a refused invoice stage moves nothing else: the batch halts before the deal, the notification and the logs', async () => {
    const target = openInvoice()
    const { stages, env } = await prepared(target.dealId)
    const dealStage = deal(target.dealId).stageId
    emulator.engine.faults.add({ method: 'crm.item.update', times: 1, kind: 'error', status: 400, code: 'ACCESS_DENIED', description: 'Injected' })
    const result = await markInvoicePaid(portal(), { invoiceId: target.id, stages, paidOn: env.today }, settings, env)

    expect(result).toMatchObject({ status: 'failed', failedPart: 'invoiceStage', invoiceMoved: false })
    expect(invoice(target.id).stageId).toBe('DT31_5:S')
    expect(deal(target.dealId).stageId).toBe(dealStage)
    expect(notificationsAbout(target.number)).toHaveLength(0)
    expect(logsOn(31, target.id)).toHaveLength(0)
  })

  it('a failed notification is named after the stages moved, and a retry does not notify twice', async () => {
    const target = openInvoice()
    const { stages, env } = await prepared(target.dealId)
    emulator.engine.faults.add({ method: 'im.notify.system.add', times: 1, kind: 'error', status: 400, code: 'USER_ID_EMPTY', description: 'Injected' })
    const result = await markInvoicePaid(portal(), { invoiceId: target.id, stages, paidOn: env.today }, settings, env)

    expect(result).toMatchObject({ status: 'failed', failedPart: 'notify', invoiceMoved: true })
    expect(invoice(target.id).stageId).toBe('DT31_5:P')
    // The invoice's entry (with the payment) is written right after its stage, before the notification.
    expect(logsOn(31, target.id)).toHaveLength(1)
    const retry = await markInvoicePaid(portal(), { invoiceId: target.id, stages, paidOn: env.today }, settings, env)
    expect(retry).toMatchObject({ status: 'unchanged' })
    expect(notificationsAbout(target.number)).toHaveLength(0)
  })

  it('records a part payment in four round trips, then the rest closes the invoice with one notification', async () => {
    const target = openInvoice(true)
    const { stages, env } = await prepared(target.dealId)
    const total = Math.round(Number(invoice(target.id).opportunity) * 100)
    const part = { amountMinor: Math.floor(total / 3), currency: String(invoice(target.id).currencyId) }
    const client = portal()
    emulator.engine.resetStats()

    const first = await recordPayment(client, { invoiceId: target.id, amount: part, paidOn: env.today, stages }, settings, env)
    expect(first).toMatchObject({ status: 'partial', balance: { amountMinor: total - part.amountMinor } })
    expect(emulator.stats.httpRequests).toBe(4)
    expect(invoice(target.id).stageId).toBe('DT31_5:S')
    expect(logsOn(31, target.id)).toHaveLength(1)
    expect(parseRecord(String(logsOn(31, target.id)[0]!.details.text))).toMatchObject({ kind: 'payment', amountMinor: part.amountMinor })
    expect(logsOn(2, target.dealId).filter(e => String(e.details.text).includes(target.number))).toHaveLength(1)
    expect(notificationsAbout(target.number)).toHaveLength(0)

    const tooMuch = await recordPayment(client, { invoiceId: target.id, amount: { ...part, amountMinor: total }, paidOn: env.today, stages }, settings, env)
    expect(tooMuch).toMatchObject({ status: 'overpayment', balance: { amountMinor: total - part.amountMinor } })

    const rest = await markInvoicePaid(client, { invoiceId: target.id, paidOn: env.today, stages }, settings, env)
    expect(rest).toMatchObject({ status: 'done', action: 'markPaid' })
    expect(invoice(target.id).stageId).toBe('DT31_5:P')
    expect(deal(target.dealId).stageId).toBe('WON')
    expect(notificationsAbout(target.number)).toHaveLength(1)
    const records = logsOn(31, target.id).map(e => parseRecord(String(e.details.text)))
    expect(records.map(r => r?.kind === 'payment' ? r.amountMinor : null)).toEqual([part.amountMinor, total - part.amountMinor])
  })
})
