// Auto-issue candidates and one deal's decision against the emulator over https with the real SDK.
import type { InvoiceDeskSettings } from '../../src/domain/settings/settings.ts'
import type { PortalClient } from '../../src/portal/portal-client.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { findAutoIssueCandidates, readAutoIssueDeal } from '../../src/flows/auto-issue.ts'
import { issueUnattended } from '../../src/flows/unattended-issue.ts'
import { camelFieldName, dealFieldsOf } from '../../src/portal/crm/auto-issue-deals.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { startEmulator } from '../emulator/server.ts'

const READY = ['FINAL_INVOICE', 'EXECUTING']

function settingsWith(autoIssue: Partial<InvoiceDeskSettings['deal']['autoIssue']>, readyStageIds: readonly string[] = READY): InvoiceDeskSettings {
  const base = defaultSettings()
  return { ...base, deal: { ...base.deal, readyStageIds, autoIssue: { ...base.deal.autoIssue, enabled: true, ...autoIssue } } }
}

describe('flows/auto-issue against the emulator, through the SDK', () => {
  let emulator: RunningEmulator
  let caCertificate: string
  let portal: PortalClient

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'demo', limits: 'off', pdfDelayMs: 50 })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())
  beforeEach(() => {
    emulator.engine.faults.clear()
    emulator.engine.reset('demo')
    portal = connectWithWebhook(emulator.webhookUrl, { caCertificate })
  })

  const deals = () => emulator.state.entities[2]!.items
  const openInReady = () => deals().filter(deal => READY.includes(String(deal.stageId)) && deal.closed !== 'Y')

  it('lists every open deal of the ready stages in two round trips, with its decision and no app invoice yet', async () => {
    const before = portal.roundTrips()
    const candidates = await findAutoIssueCandidates(portal, settingsWith({}))
    expect(portal.roundTrips() - before).toBe(2)
    expect(candidates.map(c => c.dealId).sort((a, b) => a - b)).toEqual(openInReady().map(deal => Number(deal.id)).sort((a, b) => a - b))
    expect(candidates.length).toBeGreaterThan(0)
    for (const candidate of candidates) {
      expect(candidate.amount.currency).toBe('RUB')
      expect(candidate.invoice).toBeNull()
      expect(candidate.decision.issue).toBe(true)
    }
  })

  it('no ready stage: no candidates and no request', async () => {
    const before = portal.roundTrips()
    expect(await findAutoIssueCandidates(portal, settingsWith({}, []))).toEqual([])
    expect(portal.roundTrips()).toBe(before)
  })

  it('reads the mapped list fields with their texts and decides by the chosen items', async () => {
    const fields = dealFieldsOf(await portal.call('crm.item.fields', { entityTypeId: 2 }))
    const payment = fields.find(field => field.code === 'UF_CRM_PAYMENT_METHOD')!
    expect(payment).toMatchObject({ type: 'enumeration', title: 'Способ оплаты' })
    const transfer = payment.items!.find(item => item.value === 'Безналичный расчёт')!
    const settings = settingsWith({ paymentMethodField: 'UF_CRM_PAYMENT_METHOD', paymentMethods: [transfer.id], regionField: 'UF_CRM_REGION', regions: [] })
    const candidates = await findAutoIssueCandidates(portal, settings)
    const withTransfer = candidates.filter(c => c.deal.paymentMethod.some(value => value.id === transfer.id))
    expect(withTransfer.length).toBeGreaterThan(0)
    for (const candidate of candidates) {
      const stored = deals().find(deal => Number(deal.id) === candidate.dealId)!
      const expected = stored.ufCrmPaymentMethod === null ? [] : [{ id: String(stored.ufCrmPaymentMethod), label: payment.items!.find(item => item.id === String(stored.ufCrmPaymentMethod))!.value }]
      expect(candidate.deal.paymentMethod).toEqual(expected)
      expect(candidate.decision).toEqual(String(stored.ufCrmPaymentMethod) === transfer.id ? { issue: true } : { issue: false, reasons: [{ code: 'paymentMethod', values: expected.map(value => value.label) }] })
    }
  })

  it('the poll sees only deals moved since T (>=movedTime); a deal moved now is found', async () => {
    const since = new Date()
    expect(await findAutoIssueCandidates(portal, settingsWith({}), { movedSince: since })).toEqual([])
    const moved = deals().find(deal => !READY.includes(String(deal.stageId)) && deal.closed !== 'Y')!
    await portal.call('crm.item.update', { entityTypeId: 2, id: Number(moved.id), fields: { stageId: 'FINAL_INVOICE' } })
    const found = await findAutoIssueCandidates(portal, settingsWith({}), { movedSince: new Date(since.getTime() - 1000) })
    expect(found.map(c => c.dealId)).toEqual([Number(moved.id)])
  })

  it('one deal: its decision in one round trip, and the app\'s invoice once issued («уже выставлен»)', async () => {
    const deal = openInReady().find(item => [1, 2, 3].includes(Number(item.assignedById)))!
    const settings = settingsWith({ minAmount: { amountMinor: Math.round(Number(deal.opportunity) * 100) + 1, currency: 'RUB' } })
    const before = portal.roundTrips()
    const read = await readAutoIssueDeal(portal, Number(deal.id), settings)
    expect(portal.roundTrips() - before).toBe(1)
    expect(read).toMatchObject({ dealId: Number(deal.id), stageId: deal.stageId, invoice: null, decision: { issue: false, reasons: [{ code: 'belowMinAmount' }] } })
    expect(await readAutoIssueDeal(portal, 99_999, settings)).toBeNull()

    const issued = await issueUnattended(portal, { dealId: Number(deal.id), source: 'auto' }, settings, { now: new Date(), locale: 'ru', sleep: ms => new Promise(resolve => setTimeout(resolve, ms)), pdfPollMs: 50 })
    if (issued.invoiceId !== null) {
      const again = await readAutoIssueDeal(portal, Number(deal.id), settings)
      expect(again!.invoice).toMatchObject({ id: issued.invoiceId })
    }
  })

  it('names fields as crm.item.* does', () => {
    expect(camelFieldName('UF_CRM_10_5186744711')).toBe('ufCrm10_5186744711')
    expect(camelFieldName('UF_CRM_PAYMENT_METHOD')).toBe('ufCrmPaymentMethod')
    expect(camelFieldName('SOURCE_ID')).toBe('sourceId')
    expect(camelFieldName('sourceId')).toBe('sourceId')
  })
})
