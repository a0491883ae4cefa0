import { describe, expect, it } from 'vitest'
import { defaultSettings } from '../../../src/domain/settings/default-settings.ts'
import { readSettings, serializeSettings, SETTINGS_OPTION } from '../../../src/domain/settings/read-settings.ts'
import { validateSettings } from '../../../src/domain/settings/validate-settings.ts'
import { catalogFixture } from './catalog-fixture.ts'

const base = defaultSettings()
const withFields = (paymentMethodField: string | null, regionField: string | null) => ({ ...base, deal: { ...base.deal, autoIssue: { ...base.deal.autoIssue, paymentMethodField, regionField } } })
const dealFields = [
  { code: 'UF_CRM_PAYMENT_METHOD', title: 'Способ оплаты', type: 'enumeration', multiple: false, items: [{ id: '45', value: 'Карта' }] },
  { code: 'SOURCE_ID', title: 'Источник', type: 'crm_status', multiple: false, items: null },
]

describe('settings: the deal fields of the auto-issue conditions', () => {
  it('default to "not checked" and are read without a schema change; junk keeps the default', () => {
    expect(base.deal.autoIssue).toMatchObject({ paymentMethodField: null, regionField: null })
    const read = (document: unknown) => readSettings({ [SETTINGS_OPTION]: JSON.stringify(document) })
    expect(readSettings({ [SETTINGS_OPTION]: serializeSettings(withFields('UF_CRM_PAYMENT_METHOD', null)) }).deal.autoIssue).toMatchObject({ paymentMethodField: 'UF_CRM_PAYMENT_METHOD', regionField: null })
    const old = JSON.parse(JSON.stringify(base))
    delete old.deal.autoIssue.paymentMethodField
    delete old.deal.autoIssue.regionField
    expect(read(old).deal.autoIssue).toMatchObject({ paymentMethodField: null, regionField: null })
    expect(read({ ...old, deal: { ...old.deal, autoIssue: { ...old.deal.autoIssue, regionField: 'UF CRM; drop' } } }).deal.autoIssue.regionField).toBeNull()
  })

  it('a mapped field must exist among the deal\'s fields (when the catalog read them)', () => {
    const catalog = { ...catalogFixture(), dealFields }
    expect(validateSettings(withFields('UF_CRM_PAYMENT_METHOD', 'SOURCE_ID'), catalog)).toEqual([])
    expect(validateSettings(withFields('UF_CRM_GONE', null), catalog)).toEqual([{ path: 'deal.autoIssue.paymentMethodField', code: 'fieldMissing', params: { code: 'UF_CRM_GONE' } }])
    expect(validateSettings(withFields(null, 'UF_CRM_REGION'), catalog)).toEqual([{ path: 'deal.autoIssue.regionField', code: 'fieldMissing', params: { code: 'UF_CRM_REGION' } }])
    // Fields not read (an older catalog): nothing to check against.
    expect(validateSettings(withFields('UF_CRM_GONE', null), catalogFixture())).toEqual([])
  })
})
