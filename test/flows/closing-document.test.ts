import type { InvoiceActionEnvironment } from '../../src/flows/mark-invoice.ts'
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parseRecord } from '../../src/domain/collection/collection-record.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { sendClosingDocument } from '../../src/flows/closing-document.ts'
import { closingEntries } from '../../src/flows/journal/journal-entries.ts'
import { loadDealInvoices } from '../../src/flows/load-deal-invoices.ts'
import { markInvoicePaid, recordPayment } from '../../src/flows/mark-invoice.ts'
import { followUpPayments } from '../../src/flows/payment-follow-up.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { readInvoice } from '../../src/portal/invoice-stage.ts'
import { invoiceFlow } from '../emulator/data/invoice-flow-state.ts'
import { startEmulator } from '../emulator/server.ts'
import { replayingPortal } from '../support/replaying-portal.ts'

const ACT = 15

const settings: InvoiceDeskSettings = (() => {
  const base = defaultSettings()
  return {
    ...base,
    invoice: { ...base.invoice, closingDocumentTemplateId: ACT, closingDocumentTemplateName: 'Акт выполненных работ' },
    // A company address: every responsible's e-mail goes out, whoever has a CRM mailbox.
    email: { ...base.email, sender: { source: 'company', name: 'ООО Ромашка', address: 'billing@romashka.example', copyToSender: false } },
  }
})()

describe('flows/closing-document against the emulator, through the SDK', () => {
  let emulator: RunningEmulator
  let caCertificate: string
  const used = new Set<number>()

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 0 })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())
  beforeEach(() => emulator.engine.faults.clear())

  const portal = () => connectWithWebhook(emulator.webhookUrl, { caCertificate })
  const state = () => emulator.state
  const closingEmails = (invoiceId: number) => state().journal.filter((entry) => {
    const owner = (entry.details as { owner?: { typeId?: number, id?: number } }).owner
    return entry.kind === 'outbox' && owner?.typeId === 31 && owner.id === invoiceId && String(entry.title).includes('Закрывающий документ')
  })
  const closingDocuments = (invoiceId: number) => invoiceFlow(state()).documents.filter(doc => doc.entityId === invoiceId && String(doc.templateId) === String(ACT))
  const closingRecords = (invoiceId: number) => state().journal
    .filter(entry => entry.kind === 'timeline' && (entry.details as { owner?: { id?: number } }).owner?.id === invoiceId)
    .map(entry => parseRecord(String(entry.details.text)))
    .filter(record => record?.kind === 'closing')

  /** A sent demo invoice with a company (B2B) or, when `b2c`, turned into a contact's invoice. */
  function sentInvoice(b2c = false): { id: number, dealId: number } {
    for (const item of state().entities[31]!.items) {
      const id = Number(item.id)
      if (used.has(id) || item.stageId !== 'DT31_5:S' || !item.parentId2 || !item.companyId || !item.contactId)
        continue
      used.add(id)
      if (b2c)
        item.companyId = 0
      return { id, dealId: Number(item.parentId2) }
    }
    throw new Error('the demo data has no sent invoice left')
  }

  async function prepared(dealId: number) {
    const overview = await loadDealInvoices(portal(), dealId, new Date(), 'Europe/Moscow')
    const env: InvoiceActionEnvironment = { today: overview.today, locale: 'ru' }
    return { stages: overview.stages, env }
  }

  it('a B2B invoice paid in full: one act from the chosen template, one e-mail with its public link, a record in the card, an entry for the journal', async () => {
    const target = sentInvoice()
    const { stages, env } = await prepared(target.dealId)
    const result = await markInvoicePaid(portal(), { invoiceId: target.id, stages, paidOn: env.today }, settings, env)

    expect(result).toMatchObject({ status: 'done', closing: { status: 'sent' } })
    expect(closingDocuments(target.id)).toHaveLength(1)
    const emails = closingEmails(target.id)
    expect(emails).toHaveLength(1)
    expect(emails[0]!.details).toMatchObject({ from: 'ООО Ромашка <billing@romashka.example>' })
    expect(String(emails[0]!.details.body)).toContain(`/~${closingDocuments(target.id)[0]!.publicCode}`)
    expect(closingRecords(target.id).map(record => record!.kind === 'closing' && record!.status)).toEqual(['claim', 'sent'])
    const entries = closingEntries('closing' in result ? result.closing : undefined, 'user', 'ru')
    expect(entries).toEqual([expect.objectContaining({ action: 'document', result: 'ok', invoiceId: target.id })])
  })

  it('the admin\'s own closing e-mail goes out as written, the template\'s name where {document.name} stands', async () => {
    const target = sentInvoice()
    const { stages, env } = await prepared(target.dealId)
    const own = { ...settings.invoice.closingDocumentEmail!, ru: { subject: 'Закрывающий документ: {document.name} по счёту {invoice.number}', body: 'Добрый день, {client.name}! Спасибо за оплату.\nВаш {document.name}: {document.link}' } }
    await markInvoicePaid(portal(), { invoiceId: target.id, stages, paidOn: env.today }, { ...settings, invoice: { ...settings.invoice, closingDocumentEmail: own } }, env)

    const emails = closingEmails(target.id)
    expect(emails).toHaveLength(1)
    const invoice = state().entities[31]!.items.find(item => Number(item.id) === target.id)!
    expect(emails[0]!.title).toBe(`Закрывающий документ: Акт выполненных работ по счёту ${String(invoice.accountNumber)}`)
    expect(String(emails[0]!.details.body)).toContain('Спасибо за оплату.')
    expect(String(emails[0]!.details.body)).toContain('Ваш Акт выполненных работ: <a href=')
    expect(String(emails[0]!.details.body)).not.toContain('оплачен полностью')
  })

  it('paid twice, run again, followed up at night: still one document and one e-mail', async () => {
    const target = sentInvoice()
    const { stages, env } = await prepared(target.dealId)
    await markInvoicePaid(portal(), { invoiceId: target.id, stages, paidOn: env.today }, settings, env)
    const again = await markInvoicePaid(portal(), { invoiceId: target.id, stages, paidOn: env.today }, settings, env)
    expect(again.status).toBe('unchanged')
    const invoice = await readInvoice(portal(), target.id)
    expect(await sendClosingDocument(portal(), invoice, settings, { locale: 'ru' })).toMatchObject({ status: 'skipped', reason: 'alreadySent' })
    const followUps = await followUpPayments(portal(), settings, env.today, 'ru')
    expect(followUps.filter(f => f.invoice.id === target.id && f.closing?.status === 'sent')).toEqual([])

    expect(closingDocuments(target.id)).toHaveLength(1)
    expect(closingEmails(target.id)).toHaveLength(1)
  })

  it('paid outside the app (kanban): the nightly follow-up sends it once; the next night sends nothing', async () => {
    const target = sentInvoice()
    const { env } = await prepared(target.dealId)
    await portal().call('crm.item.update', { entityTypeId: 31, id: target.id, fields: { stageId: 'DT31_5:P' } })

    const first = await followUpPayments(portal(), settings, env.today, 'ru')
    expect(first.find(f => f.invoice.id === target.id)).toMatchObject({ closing: { status: 'sent' } })
    const second = await followUpPayments(portal(), settings, env.today, 'ru')
    expect(second.filter(f => f.invoice.id === target.id && f.closing?.status === 'sent')).toEqual([])

    expect(closingDocuments(target.id)).toHaveLength(1)
    expect(closingEmails(target.id)).toHaveLength(1)
  })

  it('the e-mail batch\'s answer lost and the browser re-sending it: one e-mail, and no run sends another', async () => {
    const target = sentInvoice()
    const { stages, env } = await prepared(target.dealId)
    emulator.engine.faults.add({ method: 'crm.activity.add', times: 1, kind: 'drop-after', status: 0, code: '', description: '' })
    const replaying = replayingPortal(emulator.webhookUrl, caCertificate)
    const result = await markInvoicePaid(replaying, { invoiceId: target.id, stages, paidOn: env.today }, settings, env)

    expect(replaying.replays()).toBe(1)
    expect(result).toMatchObject({ status: 'done', closing: { status: 'unknown' } })
    const invoice = await readInvoice(portal(), target.id)
    expect(await sendClosingDocument(portal(), invoice, settings, { locale: 'ru' })).toMatchObject({ status: 'skipped', reason: 'alreadySent' })
    await followUpPayments(portal(), settings, env.today, 'ru')
    expect(closingEmails(target.id)).toHaveLength(1)
    expect(closingDocuments(target.id)).toHaveLength(1)
  })

  it('two windows at once: one goes on, the other writes nothing but its settled claim', async () => {
    const target = sentInvoice()
    const { stages, env } = await prepared(target.dealId)
    await markInvoicePaid(portal(), { invoiceId: target.id, stages, paidOn: env.today }, { ...settings, invoice: { ...settings.invoice, closingDocumentTemplateId: null } }, env)
    const invoice = await readInvoice(portal(), target.id)
    const both = await Promise.all([
      sendClosingDocument(portal(), invoice, settings, { locale: 'ru', runner: 'tab-a' }),
      sendClosingDocument(portal(), invoice, settings, { locale: 'ru', runner: 'tab-b' }),
    ])
    expect(both.map(outcome => outcome.status).sort()).toEqual(['sent', 'skipped'])
    expect(closingEmails(target.id)).toHaveLength(1)
    expect(closingDocuments(target.id)).toHaveLength(1)
  })

  it('a refused e-mail is not sent, is recorded as failed, and the next night tries again once', async () => {
    const target = sentInvoice()
    const { stages, env } = await prepared(target.dealId)
    emulator.engine.faults.add({ method: 'crm.activity.add', times: 1, kind: 'error', status: 400, code: '', description: 'Email send error. "From" is not found' })
    const result = await markInvoicePaid(portal(), { invoiceId: target.id, stages, paidOn: env.today }, settings, env)
    expect(result).toMatchObject({ status: 'done', closing: { status: 'failed', part: 'email' } })
    expect(closingEmails(target.id)).toHaveLength(0)

    const night = await followUpPayments(portal(), settings, env.today, 'ru')
    expect(night.find(f => f.invoice.id === target.id)).toMatchObject({ closingOnly: true, closing: { status: 'sent' } })
    expect(closingEmails(target.id)).toHaveLength(1)
    // The document the refused attempt made is the one e-mailed.
    expect(closingDocuments(target.id)).toHaveLength(1)
  })

  it('a B2C invoice or a part payment: no document, no e-mail, nothing made or sent', async () => {
    const b2c = sentInvoice(true)
    const { stages, env } = await prepared(b2c.dealId)
    const paid = await markInvoicePaid(portal(), { invoiceId: b2c.id, stages, paidOn: env.today }, settings, env)
    expect(paid.status).toBe('done')
    expect('closing' in paid).toBe(false)

    const part = sentInvoice()
    const prepPart = await prepared(part.dealId)
    const partial = await recordPayment(portal(), { invoiceId: part.id, stages: prepPart.stages, paidOn: env.today, amount: { amountMinor: 100, currency: 'RUB' } }, settings, prepPart.env)
    expect(partial.status).toBe('partial')
    const invoice = await readInvoice(portal(), part.id)
    expect(await sendClosingDocument(portal(), invoice, settings, { locale: 'ru' })).toMatchObject({ status: 'skipped', reason: 'notPaidInFull' })

    for (const id of [b2c.id, part.id]) {
      expect(closingDocuments(id)).toHaveLength(0)
      expect(closingEmails(id)).toHaveLength(0)
    }
  })
})
