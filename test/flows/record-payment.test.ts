// Recording payments on a portal as Bitrix24 has it: the invoice's own payment (crm.item.payment.*),
// the deal's stage only after its last open invoice, once per payment however many windows record
// it at once, and a bank import that says per line what was done and why.
import type { InvoiceActionEnvironment, PaymentResult } from '../../src/flows/mark-invoice.ts'
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import type { StatementLine } from '../fixtures/bank/statement-builder.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeStatement } from '../../src/domain/bank/decode-statement.ts'
import { parse1CStatement } from '../../src/domain/bank/parse-1c-statement.ts'
import { parseRecord } from '../../src/domain/collection/collection-record.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { prepareBankImport, recordBankPayments } from '../../src/flows/bank-import.ts'
import { loadDealInvoices } from '../../src/flows/load-deal-invoices.ts'
import { markInvoicePaid, recordPayment } from '../../src/flows/mark-invoice.ts'
import { paymentFacts } from '../../src/flows/payment-facts.ts'
import { scanReceivables } from '../../src/flows/scan-receivables.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { startEmulator } from '../emulator/server.ts'
import { buildStatement1C } from '../fixtures/bank/statement-builder.ts'
import { encodeWindows1251 } from '../fixtures/bank/windows-1251.ts'

const settings: InvoiceDeskSettings = (() => {
  const base = defaultSettings()
  return { ...base, deal: { ...base.deal, stageAfterPaid: 'WON' }, notifications: { ...base.notifications, onPayment: { roles: ['responsible'], userIds: [] } } }
})()

interface BitrixPayment { id: number, paid: 'Y' | 'N', sum: number, currency: string }

/** Helpers over one emulator (demo data) reached through the real SDK on a webhook. */
function harness(get: () => { emulator: RunningEmulator, ca: string }) {
  const portal = () => connectWithWebhook(get().emulator.webhookUrl, { caCertificate: get().ca })
  const state = () => get().emulator.state
  const item = (typeId: 2 | 31, id: number) => state().entities[typeId].byId.get(id)!
  const minor = (id: number) => Math.round(Number(item(31, id).opportunity) * 100)
  const paymentRecords = (id: number) => state().journal
    .filter(e => e.kind === 'timeline' && (e.details.owner as { typeId: number, id: number }).typeId === 31 && (e.details.owner as { id: number }).id === id)
    .map(e => parseRecord(String(e.details.text)))
    .filter(record => record?.kind === 'payment')
  /** What an accountant opening the invoice in Bitrix24 sees: its payments, read the documented way. */
  const bitrixPayments = (id: number) => portal().call<BitrixPayment[]>('crm.item.payment.list', { entityTypeId: 31, entityId: id })
  const innOf = (invoiceId: number) => state().requisites!.find(r => r.ENTITY_TYPE_ID === '4' && Number(r.ENTITY_ID) === Number(item(31, invoiceId).companyId))?.RQ_INN ?? '7700000000'
  async function prepared(dealId: number) {
    const overview = await loadDealInvoices(portal(), dealId, new Date(), 'Europe/Moscow')
    const env: InvoiceActionEnvironment = { today: overview.today, locale: 'ru' }
    return { stages: overview.stages, env }
  }
  /** A statement of one incoming payment per invoice (its whole sum, its number in the purpose), read the way the page reads an upload. */
  function statementPaying(ids: readonly number[], today: string) {
    const lines: StatementLine[] = ids.map((id, n) => ({
      number: String(900 + n),
      date: today,
      amountMinor: minor(id),
      payerInn: innOf(id),
      payerName: 'ООО «Клиент»',
      purpose: `Оплата по счету № ${String(item(31, id).accountNumber)}`,
    }))
    const { text, encoding } = decodeStatement(encodeWindows1251(buildStatement1C(lines)))
    return parse1CStatement(text, encoding)
  }
  return { portal, item, minor, paymentRecords, bitrixPayments, prepared, statementPaying }
}

describe('recording payments (admin webhook)', () => {
  let emulator: RunningEmulator
  let ca: string
  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off' })
    ca = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())
  const h = harness(() => ({ emulator, ca }))

  it('a part payment and the rest are the invoice\'s own paid payments in Bitrix24 (crm.item.payment.list), their sums from its product rows', async () => {
    const id = 40
    const { stages, env } = await h.prepared(Number(h.item(31, id).parentId2))
    const total = h.minor(id)
    const part = { amountMinor: Math.floor(total / 3), currency: 'RUB' }

    expect(await recordPayment(h.portal(), { invoiceId: id, amount: part, paidOn: env.today, stages }, settings, env)).toMatchObject({ status: 'partial', invoicePayment: 'created' })
    const first = await h.bitrixPayments(id)
    expect(first).toHaveLength(1)
    expect(first[0]).toMatchObject({ paid: 'Y', currency: 'RUB' })
    expect(Math.abs(Math.round(first[0]!.sum * 100) - part.amountMinor)).toBeLessThanOrEqual(1)

    expect(await markInvoicePaid(h.portal(), { invoiceId: id, paidOn: env.today, stages }, settings, env)).toMatchObject({ status: 'done', invoicePayment: 'created' })
    const both = await h.bitrixPayments(id)
    expect(both.map(p => p.paid)).toEqual(['Y', 'Y'])
    expect(Math.abs(Math.round((both[0]!.sum + both[1]!.sum) * 100) - total)).toBeLessThanOrEqual(1)
    expect(h.paymentRecords(id)).toHaveLength(2)
  })

  it('a part payment reaches the receivables figures (what is paid and what is left)', async () => {
    const id = 5
    const { stages, env } = await h.prepared(Number(h.item(31, id).parentId2))
    const part = { amountMinor: 10_000, currency: String(h.item(31, id).currencyId) }
    expect(await recordPayment(h.portal(), { invoiceId: id, amount: part, paidOn: env.today, stages }, settings, env)).toMatchObject({ status: 'partial' })

    const data = await scanReceivables(h.portal(), { now: new Date(emulator.engine.clock.now()), fallbackTimeZone: 'Europe/Moscow', readPayments: true })
    const invoice = data.invoices.find(one => one.id === id)!
    expect(invoice.status).toBe('open')
    expect(invoice.paidAmount).toEqual(part)
    expect(invoice.paidOn).toBe(env.today)
    expect(data.partPaymentsUnread).toBeUndefined()

    // More open invoices than the dashboard reads the history of: none is read, and the data says how many were not.
    const capped = await scanReceivables(h.portal(), { now: new Date(emulator.engine.clock.now()), fallbackTimeZone: 'Europe/Moscow', readPayments: true, maxPaymentReads: 1 })
    expect(capped.invoices.find(one => one.id === id)!.paidAmount.amountMinor).toBe(0)
    expect(capped.partPaymentsUnread).toBe(capped.invoices.filter(one => one.status === 'open').length)
    expect(capped.partPaymentsLimit).toBe(1)
    expect(capped.records).toBeUndefined()
  })

  it('moves the deal to its after-payment stage only when the last of its open invoices is paid', async () => {
    // Deal 1 has three sent invoices (1, 2, 3).
    const { stages, env } = await h.prepared(1)
    // The demo has deal 1 won already: start it from an open stage, so a move would show.
    h.item(2, 1).stageId = 'PREPARATION'
    const before = h.item(2, 1).stageId
    const pay = (invoiceId: number) => markInvoicePaid(h.portal(), { invoiceId, paidOn: env.today, stages }, settings, env)

    expect(await pay(1)).toMatchObject({ status: 'done', dealStage: 'otherInvoicesOpen' })
    expect(h.item(2, 1).stageId).toBe(before)
    expect(await pay(2)).toMatchObject({ status: 'done', dealStage: 'otherInvoicesOpen' })
    expect(h.item(2, 1).stageId).toBe(before)
    expect(await pay(3)).toMatchObject({ status: 'done', dealStage: 'moved' })
    expect(h.item(2, 1).stageId).toBe('WON')
  })

  it('two windows recording the same bank payment at once record it once; the other is told it is recorded elsewhere', async () => {
    const id = 50
    const { stages, env } = await h.prepared(Number(h.item(31, id).parentId2))
    const input = { invoiceId: id, amount: { amountMinor: 1_000_000, currency: 'RUB' }, paidOn: env.today, stages, bankRef: 'doc-50-1' }
    const results = await Promise.all([recordPayment(h.portal(), input, settings, env), recordPayment(h.portal(), input, settings, env)])

    expect(results.map(r => r.status).sort()).toEqual(['partial', 'recordedElsewhere'])
    expect(h.paymentRecords(id)).toHaveLength(1)
    expect(await h.bitrixPayments(id)).toHaveLength(1)
  })

  it('a double click on «paid» records the payment and notifies once', async () => {
    const id = 51
    const { stages, env } = await h.prepared(Number(h.item(31, id).parentId2))
    const input = { invoiceId: id, paidOn: env.today, stages }
    const notified = () => emulator.state.journal.filter(e => e.kind === 'notifications' && JSON.stringify(e.details).includes(String(h.item(31, id).accountNumber))).length
    const results: PaymentResult[] = await Promise.all([markInvoicePaid(h.portal(), input, settings, env), markInvoicePaid(h.portal(), input, settings, env)])

    expect(results.map(r => r.status).sort()).toEqual(['done', 'recordedElsewhere'])
    expect(h.paymentRecords(id)).toHaveLength(1)
    expect(await h.bitrixPayments(id)).toHaveLength(1)
    expect(notified()).toBe(1)
  })

  it('the same statement recorded in two windows at once records each payment once, and each window tells the truth', async () => {
    const ids = [6, 47, 53]
    const today = (await h.prepared(1)).env.today
    const statement = h.statementPaying(ids, today)
    const [a, b] = await Promise.all([prepareBankImport(h.portal(), statement), prepareBankImport(h.portal(), statement)])
    const record = (prep: typeof a) => recordBankPayments(h.portal(), prep.matches, { stages: prep.stages, settings, env: { today: prep.today, locale: 'ru' } })
    const [left, right] = await Promise.all([record(a), record(b)])

    for (const id of ids)
      expect(h.paymentRecords(id), `invoice ${id}`).toHaveLength(1)
    for (const id of ids)
      expect(await h.bitrixPayments(id), `invoice ${id}`).toHaveLength(1)
    const statuses = (outcomes: typeof left) => outcomes.flatMap(o => o.outcomes.map(x => [x.allocation.invoiceId, x.status] as const))
    const byInvoice = new Map<number, string[]>()
    for (const [invoiceId, status] of [...statuses(left), ...statuses(right)])
      byInvoice.set(invoiceId, [...byInvoice.get(invoiceId) ?? [], status].sort())
    for (const id of ids)
      expect(byInvoice.get(id), `invoice ${id}`).toEqual(['paid', 'recordedElsewhere'])
  })
  it('a Bitrix24 payment the portal refuses leaves the record standing and says so with the portal\'s words', async () => {
    const id = 50 // part-paid by the case above
    const { stages, env } = await h.prepared(Number(h.item(31, id).parentId2))
    emulator.engine.faults.add({ method: 'crm.item.payment.add', times: 1, kind: 'error', status: 400, code: '', description: 'Access denied' })
    const result = await recordPayment(h.portal(), { invoiceId: id, amount: { amountMinor: 5_000, currency: 'RUB' }, paidOn: env.today, stages }, settings, env)

    expect(result).toMatchObject({ status: 'failed', failedPart: 'payment', recorded: true })
    expect(paymentFacts(result)).toMatchObject({ recorded: true, invoicePaid: false, invoicePayment: 'failed', problem: { part: 'payment', message: 'Access denied' } })
    expect(h.paymentRecords(id)).toHaveLength(2)
    expect(await h.bitrixPayments(id)).toHaveLength(1)
  })
})

describe('recording payments as an accountant (no rights on deals)', () => {
  let emulator: RunningEmulator
  let ca: string
  beforeAll(async () => {
    // User 4 is the demo's accountant: changes invoices, never deals (a webhook acts with its user's rights).
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', webhookUserId: 4 })
    ca = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())
  const h = harness(() => ({ emulator, ca }))

  it('a bank line whose deal stage is refused says: payment recorded, invoice paid, Bitrix24 payment made, deal stage not moved with the portal\'s words', async () => {
    // Invoice 47 is the only open invoice of its deal: paying it would move the deal.
    const id = 47
    const { env } = await h.prepared(Number(h.item(31, id).parentId2))
    const prep = await prepareBankImport(h.portal(), h.statementPaying([id], env.today))
    const [line] = await recordBankPayments(h.portal(), prep.matches, { stages: prep.stages, settings, env: { today: prep.today, locale: 'ru' } })

    expect(h.item(31, id).stageId).toBe('DT31_5:P')
    expect(h.paymentRecords(id)).toHaveLength(1)
    expect(line!.outcomes[0]).toMatchObject({
      status: 'paid',
      facts: { recorded: true, invoicePaid: true, invoicePayment: 'created', dealStage: 'failed', problem: { part: 'dealStage', message: 'Access denied' } },
    })
  })
})
