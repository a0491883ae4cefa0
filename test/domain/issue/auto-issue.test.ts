import type { AutoIssueDeal, AutoIssueReason } from '../../../src/domain/issue/auto-issue.ts'
import type { AutoIssueConditions, InvoiceDeskSettings } from '../../../src/domain/settings/settings.ts'
import { describe, expect, it } from 'vitest'
import { clientTypeOf, decideAutoIssue, fieldAllowed } from '../../../src/domain/issue/auto-issue.ts'
import { defaultSettings } from '../../../src/domain/settings/default-settings.ts'

const rub = (amountMinor: number) => ({ amountMinor, currency: 'RUB' })
const card = { id: '45', label: 'Карта' }
const transfer = { id: '46', label: 'Безналичный расчёт' }
const moscow = { id: '51', label: 'Москва' }

/** A deal that qualifies under `on` below: open, in the ready stage, a company, 100 000 ₽, paid by transfer, in Moscow. */
const deal: AutoIssueDeal = { id: 7, title: 'Поставка', stageId: 'FINAL_INVOICE', closed: false, amount: rub(10_000_000), companyId: 3, contactId: 5, paymentMethod: [transfer], region: [moscow] }

function settings(conditions: Partial<AutoIssueConditions> = {}, readyStageIds: readonly string[] = ['FINAL_INVOICE']): InvoiceDeskSettings {
  const base = defaultSettings()
  return { ...base, deal: { ...base.deal, readyStageIds, autoIssue: { ...base.deal.autoIssue, enabled: true, ...conditions } } }
}

const mapped: Partial<AutoIssueConditions> = { paymentMethodField: 'UF_CRM_PAYMENT_METHOD', regionField: 'UF_CRM_REGION' }

const rows: Array<[string, Partial<AutoIssueDeal>, InvoiceDeskSettings, AutoIssueReason[]]> = [
  ['every condition met', {}, settings({ ...mapped, minAmount: rub(10_000_000), clientType: 'b2b', paymentMethods: ['46'], regions: ['51'] }), []],
  ['no condition set: any open deal with a client in a ready stage', {}, settings(), []],
  ['auto-issue switched off', {}, settings({ enabled: false }), [{ code: 'disabled' }]],
  ['a stage that is not ready', { stageId: 'EXECUTING' }, settings(), [{ code: 'stageNotReady', stageId: 'EXECUTING' }]],
  ['no ready stage chosen at all', {}, settings({}, []), [{ code: 'stageNotReady', stageId: 'FINAL_INVOICE' }]],
  ['a closed deal (won or lost)', { closed: true }, settings(), [{ code: 'dealClosed' }]],
  ['one kopeck below the minimum', { amount: rub(9_999_999) }, settings({ minAmount: rub(10_000_000) }), [{ code: 'belowMinAmount', amount: rub(9_999_999), minAmount: rub(10_000_000) }]],
  ['exactly the minimum (inclusive)', { amount: rub(10_000_000) }, settings({ minAmount: rub(10_000_000) }), []],
  ['a minimum of zero lets a zero deal through (the chain refuses it later)', { amount: rub(0) }, settings({ minAmount: rub(0) }), []],
  ['a deal in another currency than the minimum\'s: nothing converted, not issued', { amount: { amountMinor: 100_000_000, currency: 'USD' } }, settings({ minAmount: rub(100) }), [{ code: 'currencyMismatch', currency: 'USD', minCurrency: 'RUB' }]],
  ['a deal in another currency with no minimum', { amount: { amountMinor: 100, currency: 'USD' } }, settings(), []],
  ['B2B only, the deal has a contact only', { companyId: null }, settings({ clientType: 'b2b' }), [{ code: 'clientType', expected: 'b2b', actual: 'b2c' }]],
  ['B2C only, the deal has a company', {}, settings({ clientType: 'b2c' }), [{ code: 'clientType', expected: 'b2c', actual: 'b2b' }]],
  ['B2C only, the deal has a contact only', { companyId: null }, settings({ clientType: 'b2c' }), []],
  ['no client at all, any client type', { companyId: null, contactId: null }, settings(), [{ code: 'noClient' }]],
  ['no client at all, B2B only', { companyId: null, contactId: null }, settings({ clientType: 'b2b' }), [{ code: 'noClient' }]],
  ['a payment method not allowed', { paymentMethod: [card] }, settings({ ...mapped, paymentMethods: ['46'] }), [{ code: 'paymentMethod', values: ['Карта'] }]],
  ['the payment method empty on the deal', { paymentMethod: [] }, settings({ ...mapped, paymentMethods: ['46'] }), [{ code: 'paymentMethod', values: [] }]],
  ['a payment method allowed by its text (typed before the field was mapped)', {}, settings({ ...mapped, paymentMethods: [' безналичный РАСЧЁТ '] }), []],
  ['a payment method field mapped, nothing allowed listed: any value', { paymentMethod: [] }, settings({ ...mapped, paymentMethods: [] }), []],
  ['a list of payment methods with no field mapped: not checked', { paymentMethod: [card] }, settings({ paymentMethods: ['46'] }), []],
  ['a region not allowed', { region: [{ id: '52', label: 'Казань' }] }, settings({ ...mapped, regions: ['51'] }), [{ code: 'region', values: ['Казань'] }]],
  ['a multiple field with one allowed value', { region: [{ id: '52', label: 'Казань' }, moscow] }, settings({ ...mapped, regions: ['51'] }), []],
  ['a text region field matched by its text', { region: [{ id: 'Москва', label: 'Москва' }] }, settings({ ...mapped, regions: ['москва'] }), []],
  ['everything wrong: every reason listed, the switch included', { stageId: 'NEW', closed: true, amount: rub(1), companyId: null, contactId: null, paymentMethod: [card], region: [] }, settings({ ...mapped, enabled: false, minAmount: rub(100), paymentMethods: ['46'], regions: ['51'] }), [
    { code: 'disabled' },
    { code: 'stageNotReady', stageId: 'NEW' },
    { code: 'dealClosed' },
    { code: 'belowMinAmount', amount: rub(1), minAmount: rub(100) },
    { code: 'noClient' },
    { code: 'paymentMethod', values: ['Карта'] },
    { code: 'region', values: [] },
  ]],
]

describe('domain/issue/auto-issue', () => {
  it.each(rows)('%s', (_, patch, chosen, reasons) => {
    const decision = decideAutoIssue({ ...deal, ...patch }, chosen)
    expect(decision).toEqual(reasons.length === 0 ? { issue: true } : { issue: false, reasons })
  })

  it('a company makes a deal B2B even with a contact; a contact alone B2C; neither no type', () => {
    expect(clientTypeOf({ companyId: 3, contactId: 5 })).toBe('b2b')
    expect(clientTypeOf({ companyId: null, contactId: 5 })).toBe('b2c')
    expect(clientTypeOf({ companyId: 0, contactId: 0 })).toBeNull()
  })

  it('an empty allowed list allows anything; ids match exactly, texts ignoring case and spaces', () => {
    expect(fieldAllowed([], [])).toBe(true)
    expect(fieldAllowed([card], ['45'])).toBe(true)
    expect(fieldAllowed([card], ['4'])).toBe(false)
    expect(fieldAllowed([card], ['  карта'])).toBe(true)
  })
})
