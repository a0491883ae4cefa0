import type { CollectionRecord } from '../../src/domain/collection/collection-record.ts'
import type { InvoiceActionEnvironment } from '../../src/flows/mark-invoice.ts'
import type { RestParams } from '../../src/portal/portal-client.ts'
import type { FakeAnswer } from '../support/fake-portal-client.ts'
import { describe, expect, it } from 'vitest'
import { parseRecord, taggedText } from '../../src/domain/collection/collection-record.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { setDisputed, setPromisedDate } from '../../src/flows/collection-actions.ts'
import { markInvoicePaid, recordPayment } from '../../src/flows/mark-invoice.ts'
import { PortalError } from '../../src/portal/portal-error.ts'
import { invoiceStages } from '../domain/fixtures.ts'
import { createFakePortalClient } from '../support/fake-portal-client.ts'

const env: InvoiceActionEnvironment = { today: '2026-12-05', locale: 'ru' }
const settings = (() => {
  const base = defaultSettings()
  return { ...base, deal: { ...base.deal, stageAfterPaid: 'WON' }, notifications: { ...base.notifications, onPayment: { roles: ['responsible'], userIds: [] } } }
})() as ReturnType<typeof defaultSettings>
const rub = (amountMinor: number) => ({ amountMinor, currency: 'RUB' })

/** Invoice 7 of deal 42: 5 000 ₽, sent. */
function invoiceDto(stageId = 'DT31_5:S') {
  return { id: 7, title: 'Счёт', accountNumber: 'СЧ-7', stageId, categoryId: 5, begindate: '2026-11-01T00:00:00+03:00', closedate: '2026-12-01T00:00:00+03:00', opportunity: 5000, currencyId: 'RUB', parentId2: 42, assignedById: 2 }
}

function logRow(id: number, record: CollectionRecord) {
  return { id, created: '2026-12-01T10:00:00+03:00', title: 'Invoice Desk', text: taggedText('…', record) }
}

/**
 * A portal with invoice 7 (one product row, 5 000 ₽) whose log holds `log`: entries written on
 * the invoice join its log (the claim a payment writes first is read back); the `failAddAt`-th
 * `crm.timeline.logmessage.add` (0 = the claim) is refused; `writes` replace other answers.
 */
function portalWith(initial: ReturnType<typeof logRow>[], options: { stageId?: string, failAddAt?: number, writes?: Record<string, FakeAnswer | ((p: RestParams) => FakeAnswer)> } = {}) {
  const log = [...initial]
  let adds = 0
  return createFakePortalClient({
    'crm.item.get': { result: { item: invoiceDto(options.stageId) } },
    'crm.timeline.logmessage.list': (params) => {
      const start = Number(params.start ?? 0)
      return { result: log.slice(start, start + 10), total: log.length }
    },
    'crm.timeline.logmessage.add': (params) => {
      if (adds++ === options.failAddAt)
        return new PortalError('crm.timeline.logmessage.add', 'ACCESS_DENIED', 'Access denied', 403, true)
      const f = params.fields as { entityTypeId: number, title: string, text: string }
      const id = 100 + adds
      if (f.entityTypeId === 31)
        log.push({ id, created: '2026-12-05T10:00:00+03:00', title: f.title, text: f.text })
      return { result: { logMessage: { id } } }
    },
    'crm.item.productrow.list': { result: { productRows: [{ id: 70, price: 5000, quantity: 1 }] }, total: 1 },
    'crm.item.list': { result: { items: [{ id: 7, stageId: options.stageId ?? 'DT31_5:S' }] }, total: 1 },
    'crm.item.update': { result: { item: {} } },
    'crm.item.payment.add': { result: 900 },
    'crm.item.payment.product.add': { result: 901 },
    'crm.item.payment.pay': { result: true },
    'im.notify.system.add': { result: 1 },
    ...options.writes,
  })
}

const paid1500 = logRow(1, { kind: 'payment', amountMinor: 150_000, currency: 'RUB', paidOn: '2026-11-20' })
const fields = (call: { params?: RestParams }) => call.params!.fields as Record<string, unknown>

describe('flows/recordPayment', () => {
  it('records a part payment in four round trips: read, claim, read back, one halted batch with the invoice\'s tagged entry, its Bitrix24 payment and the deal\'s copy', async () => {
    const { client, requests } = portalWith([paid1500])
    const result = await recordPayment(client, { invoiceId: 7, amount: rub(100_000), paidOn: '2026-12-05', stages: invoiceStages }, settings, env)

    expect(result).toMatchObject({ status: 'partial', payment: rub(100_000), balance: rub(250_000) })
    expect(requests.map(r => r.calls.map(c => c.method))).toEqual([
      ['crm.item.get', 'crm.timeline.logmessage.list', 'crm.item.productrow.list'],
      ['crm.timeline.logmessage.add'],
      ['crm.timeline.logmessage.list', 'crm.item.list'],
      ['crm.timeline.logmessage.add', 'crm.item.payment.add', 'crm.item.payment.product.add', 'crm.item.payment.pay', 'crm.timeline.logmessage.add'],
    ])
    expect(parseRecord(String(fields(requests[1]!.calls[0]!).text))).toMatchObject({ kind: 'paymentClaim', status: 'claim', amountMinor: 100_000 })
    // The next 1 000 ₽ of the 5 000 ₽ row, after the 1 500 ₽ recorded before: a fifth of its quantity.
    expect(requests[3]!.calls[2]!.params).toMatchObject({ paymentId: '$result[payment]', rowId: 70, quantity: 0.2 })
    const [invoiceLog, dealLog] = [requests[3]!.calls[0]!, requests[3]!.calls[4]!].map(fields)
    expect(invoiceLog).toMatchObject({ entityTypeId: 31, entityId: 7 })
    expect(String(invoiceLog!.text).replace(/\s/g, ' ')).toContain('Счёт № СЧ-7: оплачено 1 000,00 ₽ из 5 000,00 ₽ (05.12.2026), остаток 2 500,00 ₽.')
    expect(parseRecord(String(invoiceLog!.text))).toEqual({ kind: 'payment', amountMinor: 100_000, currency: 'RUB', paidOn: '2026-12-05' })
    expect(dealLog).toMatchObject({ entityTypeId: 2, entityId: 42 })
    expect(parseRecord(String(dealLog!.text))).toBeNull()
  })

  it('closes the invoice with the rest: stage, deal, one notification, and the invoice\'s entry carries the payment of the balance', async () => {
    const { client, requests } = portalWith([paid1500])
    const result = await recordPayment(client, { invoiceId: 7, amount: rub(350_000), paidOn: '2026-12-04', stages: invoiceStages }, settings, env)

    expect(result).toMatchObject({ status: 'done', action: 'markPaid', stageId: 'DT31_5:P', dealStage: 'moved', invoicePayment: 'created' })
    expect(requests).toHaveLength(4)
    // The invoice's entry (with the payment record) right after its stage, then its Bitrix24 payment: a deal the user may not move cannot lose the payment.
    expect(requests[3]!.calls.map(c => c.method)).toEqual(['crm.item.update', 'crm.timeline.logmessage.add', 'crm.item.payment.add', 'crm.item.payment.product.add', 'crm.item.payment.pay', 'crm.item.update', 'im.notify.system.add', 'crm.timeline.logmessage.add'])
    expect(requests[3]!.calls[6]!.params).toMatchObject({ USER_ID: 2, TAG: 'INVOICE_DESK|PAID|7' })
    const invoiceText = String(fields(requests[3]!.calls[1]!).text)
    expect(invoiceText.replace(/\s/g, ' ')).toContain('оплачен полностью 04.12.2026. Последний платёж: 3 500,00 ₽.')
    expect(parseRecord(invoiceText)).toEqual({ kind: 'payment', amountMinor: 350_000, currency: 'RUB', paidOn: '2026-12-04' })
  })

  it('refuses a bank document already recorded on the invoice (a second window, a re-import): one read, nothing written', async () => {
    const fromBank = logRow(2, { kind: 'payment', amountMinor: 100_000, currency: 'RUB', paidOn: '2026-12-01', bankRef: '40702810|2026-12-01|501|100000|7710554334' })
    const { client, requests } = portalWith([paid1500, fromBank])
    const result = await recordPayment(client, { invoiceId: 7, amount: rub(100_000), paidOn: '2026-12-01', stages: invoiceStages, bankRef: '40702810|2026-12-01|501|100000|7710554334' }, settings, env)
    expect(result).toMatchObject({ status: 'recordedElsewhere' })
    expect(requests).toHaveLength(1)
  })

  it('writes nothing when another window\'s claim came first: the same payment is "recorded elsewhere", another one "busy"', async () => {
    const other = { ...logRow(2, { kind: 'paymentClaim', status: 'claim', runner: 'other', amountMinor: 100_000, currency: 'RUB' }), created: '2026-12-05T10:00:00+03:00' }
    for (const [amount, status] of [[100_000, 'recordedElsewhere'], [50_000, 'busy']] as const) {
      const { client, requests } = portalWith([paid1500, other])
      const result = await recordPayment(client, { invoiceId: 7, amount: rub(amount), paidOn: '2026-12-05', stages: invoiceStages }, settings, env)
      expect(result).toMatchObject({ status })
      // Read, claim, read back: no write batch.
      expect(requests).toHaveLength(3)
    }
  })

  it('markInvoicePaid records the whole balance', async () => {
    const { client, requests } = portalWith([paid1500])
    const result = await markInvoicePaid(client, { invoiceId: 7, paidOn: '2026-12-05', stages: invoiceStages }, settings, env)
    expect(result).toMatchObject({ status: 'done', action: 'markPaid' })
    expect(parseRecord(String(fields(requests[3]!.calls[1]!).text))).toMatchObject({ amountMinor: 350_000 })
  })

  it.each([
    ['a closed invoice', { stageId: 'DT31_5:P' }, rub(100), '2026-12-05', { status: 'unchanged', state: { kind: 'paid' } }],
    ['a zero amount', {}, rub(0), '2026-12-05', { status: 'amountInvalid', balance: rub(350_000) }],
    ['another currency', {}, { amountMinor: 100, currency: 'USD' }, '2026-12-05', { status: 'amountInvalid' }],
    ['more than the balance', {}, rub(350_001), '2026-12-05', { status: 'overpayment', balance: rub(350_000) }],
    ['a day after today', {}, rub(100), '2026-12-06', { status: 'dateInvalid' }],
    ['a day that does not exist', {}, rub(100), '2026-02-30', { status: 'dateInvalid' }],
  ])('refuses %s after one read, writing nothing', async (_case, options, amount, paidOn, expected) => {
    const { client, requests } = portalWith([paid1500], options)
    const result = await recordPayment(client, { invoiceId: 7, amount, paidOn, stages: invoiceStages }, settings, env)
    expect(result).toMatchObject(expected)
    expect(requests).toHaveLength(1)
  })

  it('reads the further log pages of an invoice with more than 10 entries before deciding (two reads)', async () => {
    const reminders = Array.from({ length: 11 }, (_, i) => logRow(i + 1, { kind: 'reminder', step: `r${i}`, status: 'sent', channel: 'email', runner: null, reason: null }))
    const { client, requests } = portalWith([...reminders, logRow(20, { kind: 'payment', amountMinor: 450_000, currency: 'RUB', paidOn: '2026-12-01' })])
    const result = await recordPayment(client, { invoiceId: 7, amount: rub(100_000), paidOn: '2026-12-05', stages: invoiceStages }, settings, env)
    // The payment on page 2 leaves 500 ₽: 1 000 ₽ is too much.
    expect(result).toMatchObject({ status: 'overpayment', balance: rub(50_000) })
    expect(requests).toHaveLength(2)
  })

  it('fails on a log it cannot read rather than take the balance for the whole sum', async () => {
    const { client, requests } = portalWith([], { writes: { 'crm.timeline.logmessage.list': new PortalError('crm.timeline.logmessage.list', 'ACCESS_DENIED', 'Access denied', 403, true) } })
    const result = await recordPayment(client, { invoiceId: 7, amount: rub(100), paidOn: '2026-12-05', stages: invoiceStages }, settings, env)
    expect(result).toMatchObject({ status: 'failed', failedPart: 'read', recorded: false })
    expect(requests).toHaveLength(1)
  })

  it.each([
    ['the claim', 0, 'claim', false],
    ['the invoice\'s entry', 1, 'invoiceLog', false],
    ['the deal\'s copy', 2, 'dealLog', true],
  ])('names a failed write of %s and whether the payment is recorded', async (_case, failing, failedPart, recorded) => {
    const { client } = portalWith([], { failAddAt: failing })
    const result = await recordPayment(client, { invoiceId: 7, amount: rub(100), paidOn: '2026-12-05', stages: invoiceStages }, settings, env)
    expect(result).toMatchObject({ status: 'failed', action: 'recordPayment', failedPart, recorded })
  })

  it('does not know whether it recorded when the write got no answer', async () => {
    const { client } = portalWith([])
    const batch = client.batch
    let calls = 0
    client.batch = async (commands, options) => {
      if (++calls === 4)
        throw new PortalError('batch', 'NETWORK_ERROR', 'socket hang up', 0, false)
      return batch(commands, options)
    }
    const result = await recordPayment(client, { invoiceId: 7, amount: rub(100), paidOn: '2026-12-05', stages: invoiceStages }, settings, env)
    expect(result).toMatchObject({ status: 'failed', failedPart: 'invoiceLog', recorded: null })
  })
})

describe('flows/setPromisedDate', () => {
  it('writes one invoice entry with the promise in the second round trip', async () => {
    const { client, requests } = portalWith([paid1500])
    const result = await setPromisedDate(client, { invoiceId: 7, on: '2026-12-10', stages: invoiceStages }, env)

    expect(result).toMatchObject({ status: 'recorded', action: 'promise', collection: { promisedOn: '2026-12-10' } })
    expect(requests).toHaveLength(2)
    expect(requests[1]!.calls).toHaveLength(1)
    const text = String(fields(requests[1]!.calls[0]!).text)
    expect(text).toContain('Клиент обещал оплатить до 10.12.2026: напоминания приостановлены до этой даты.')
    expect(parseRecord(text)).toEqual({ kind: 'promise', on: '2026-12-10' })
  })

  it('removes a promise with a null record', async () => {
    const { client, requests } = portalWith([logRow(1, { kind: 'promise', on: '2026-12-10' })])
    const result = await setPromisedDate(client, { invoiceId: 7, on: null, stages: invoiceStages }, env)
    expect(result).toMatchObject({ status: 'recorded', collection: { promisedOn: null } })
    expect(parseRecord(String(fields(requests[1]!.calls[0]!).text))).toEqual({ kind: 'promise', on: null })
  })

  it.each([
    ['a day before today', [], '2026-12-04', {}, 'dateInvalid'],
    ['the same day again', [logRow(1, { kind: 'promise', on: '2026-12-10' })], '2026-12-10', {}, 'nothingToChange'],
    ['a cancelled invoice', [], '2026-12-10', { stageId: 'DT31_5:D' }, 'unchanged'],
  ] as const)('refuses %s after one read', async (_case, log, on, options, status) => {
    const { client, requests } = portalWith([...log], options)
    const result = await setPromisedDate(client, { invoiceId: 7, on, stages: invoiceStages }, env)
    expect(result.status).toBe(status)
    expect(requests).toHaveLength(1)
  })
})

describe('flows/setDisputed', () => {
  it('opens a dispute with its reason, trimmed, in one entry', async () => {
    const { client, requests } = portalWith([])
    const result = await setDisputed(client, { invoiceId: 7, open: true, reason: '  Не та цена ', stages: invoiceStages }, env)
    expect(result).toMatchObject({ status: 'recorded', action: 'dispute', collection: { dispute: { since: '2026-12-05', reason: 'Не та цена' } } })
    expect(requests).toHaveLength(2)
    expect(parseRecord(String(fields(requests[1]!.calls[0]!).text))).toEqual({ kind: 'dispute', open: true, reason: 'Не та цена' })
  })

  it('closes an open dispute without a reason', async () => {
    const { client, requests } = portalWith([logRow(1, { kind: 'dispute', open: true, reason: 'Цена' })])
    const result = await setDisputed(client, { invoiceId: 7, open: false, reason: '', stages: invoiceStages }, env)
    expect(result).toMatchObject({ status: 'recorded', collection: { dispute: null } })
    expect(String(fields(requests[1]!.calls[0]!).text)).toContain('Спор по счёту снят. Напоминания снова идут по графику.')
  })

  it.each([
    ['an empty reason', [], true, '   ', 'reasonInvalid'],
    ['a reason of 501 characters', [], true, 'я'.repeat(501), 'reasonInvalid'],
    ['closing a dispute that is not open', [], false, '', 'nothingToChange'],
  ] as const)('refuses %s after one read', async (_case, log, open, reason, status) => {
    const { client, requests } = portalWith([...log])
    const result = await setDisputed(client, { invoiceId: 7, open, reason, stages: invoiceStages }, env)
    expect(result.status).toBe(status)
    expect(requests).toHaveLength(1)
  })
})
