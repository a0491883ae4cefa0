// @vitest-environment happy-dom
import type { AutoIssueCandidate } from '../../../src/flows/auto-issue.ts'
import { describe, expect, it } from 'vitest'
import AutoIssuePreview from '../../../src/components/settings/AutoIssuePreview.vue'
import SettingsDealSection from '../../../src/components/settings/SettingsDealSection.vue'
import { defaultSettings } from '../../../src/domain/settings/default-settings.ts'
import { PortalError } from '../../../src/portal/portal-error.ts'
import { catalogFixture } from '../../domain/settings/catalog-fixture.ts'
import { mountWithKit } from '../mount-with-kit.ts'

const rub = (amountMinor: number) => ({ amountMinor, currency: 'RUB' })
const deal = { title: '', stageId: 'FINAL_INVOICE', closed: false, companyId: 3, contactId: null, paymentMethod: [], region: [] }
function candidate(id: number, title: string, decision: AutoIssueCandidate['decision'], invoice: AutoIssueCandidate['invoice'] = null): AutoIssueCandidate {
  return { dealId: id, title, stageId: 'FINAL_INVOICE', amount: rub(12_345_00), decision, invoice, deal: { ...deal, id, title, amount: rub(12_345_00) } }
}
const candidates = [
  candidate(1, 'Поставка лицензий', { issue: true }),
  candidate(2, 'Обучение', { issue: false, reasons: [{ code: 'belowMinAmount', amount: rub(100), minAmount: rub(50_000_00) }, { code: 'paymentMethod', values: ['Наличные'] }] }),
  candidate(3, 'Интеграция 1С', { issue: true }, { id: 40, number: 'СЧ-00040', stageId: 'DT31_5:P' }),
]

function mountPreview(props: Record<string, unknown>, locale: 'ru' | 'en' = 'ru') {
  return mountWithKit(AutoIssuePreview, { locale, props: { status: 'idle', candidates: [], error: null, catalog: catalogFixture(), readyStageCount: 1, ...props } })
}

describe('components/settings/AutoIssuePreview', () => {
  it('loads nothing until asked: the button asks', async () => {
    const wrapper = mountPreview({})
    expect(wrapper.find('[data-testid="auto-issue-preview-list"]').exists()).toBe(false)
    await wrapper.get('[data-testid="auto-issue-preview-load"]').trigger('click')
    expect(wrapper.emitted('load')).toHaveLength(1)
    wrapper.unmount()
  })

  it('shows a skeleton while loading', () => {
    const wrapper = mountPreview({ status: 'loading' })
    expect(wrapper.find('[data-testid="auto-issue-preview-skeleton"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it.each([
    ['ru', 'Сейчас подходят: 1 сделка', 'сумма меньше', 'способ оплаты «Наличные» не из разрешённых', 'счёт уже выставлен (СЧ-00040)'],
    ['en', 'Qualify now: 1 deal', 'the sum is below', 'payment method «Наличные» is not allowed', 'invoice already issued (СЧ-00040)'],
  ] as const)('(%s) counts the qualifying deals and says why the others are not issued', (locale, count, below, method, issued) => {
    const wrapper = mountPreview({ status: 'ready', candidates }, locale)
    expect(wrapper.get('[data-testid="auto-issue-preview-count"]').text()).toBe(count)
    const items = wrapper.findAll('[data-testid="auto-issue-preview-list"] li')
    expect(items.map(item => item.attributes('data-kind'))).toEqual(['qualifies', 'not', 'issued'])
    expect(items[1]!.text()).toContain(below)
    expect(items[1]!.text()).toContain(method)
    expect(items[2]!.text()).toContain(issued)
    expect(items[0]!.text()).toContain('Поставка лицензий')
    wrapper.unmount()
  })

  it('says so when the ready stages hold no open deal, and when no ready stage is chosen', () => {
    const empty = mountPreview({ status: 'ready', candidates: [] })
    expect(empty.get('[data-testid="auto-issue-preview-empty"]').text()).toContain('нет открытых сделок')
    empty.unmount()
    const none = mountPreview({ readyStageCount: 0 })
    expect(none.text()).toContain('Выберите готовые стадии')
    expect(none.get('[data-testid="auto-issue-preview-load"]').attributes('disabled')).toBeDefined()
    none.unmount()
  })

  it('shows the portal\'s error with a retry', async () => {
    const wrapper = mountPreview({ status: 'error', error: new PortalError('batch', 'ACCESS_DENIED', 'Access denied', 403, true) })
    expect(wrapper.text()).toContain('Не удалось загрузить сделки')
    const retry = wrapper.findAll('button').find(button => button.text().includes('Повторить'))
    await retry?.trigger('click')
    expect(wrapper.emitted('load')?.length ?? 0).toBeGreaterThanOrEqual(retry ? 1 : 0)
    wrapper.unmount()
  })
})

describe('components/settings/SettingsDealSection: the deal fields of the conditions', () => {
  const dealFields = [
    { code: 'UF_CRM_PAYMENT_METHOD', title: 'Способ оплаты', type: 'enumeration', multiple: false, items: [{ id: '101', value: 'Безналичный расчёт' }, { id: '102', value: 'Банковская карта' }] },
    { code: 'UF_CRM_REGION_TEXT', title: 'Регион', type: 'string', multiple: false, items: null },
  ]

  it('offers a list field\'s values as a select, a text field\'s as a text list, and nothing before a field is chosen', () => {
    const model = structuredClone(defaultSettings().deal) as ReturnType<typeof defaultSettings>['deal'] & { autoIssue: { paymentMethodField: string | null, regionField: string | null } }
    const unmapped = mountWithKit(SettingsDealSection, { props: { modelValue: model, catalog: { ...catalogFixture(), dealFields }, issues: [], disabled: false } })
    expect(unmapped.get('[data-testid="field-deal-payment-values"] input').attributes('disabled')).toBeDefined()
    expect(unmapped.get('[data-testid="field-deal-payment-values"]').text()).toContain('Сначала выберите поле сделки')
    unmapped.unmount()
    const mapped = { ...model, autoIssue: { ...model.autoIssue, paymentMethodField: 'UF_CRM_PAYMENT_METHOD', paymentMethods: ['101'], regionField: 'UF_CRM_REGION_TEXT', regions: ['Москва'] } }
    const wrapper = mountWithKit(SettingsDealSection, { props: { modelValue: mapped, catalog: { ...catalogFixture(), dealFields }, issues: [], disabled: false } })
    expect(wrapper.get('[data-testid="field-deal-payment-values"]').text()).toContain('Безналичный расчёт')
    expect((wrapper.get('[data-testid="field-deal-region-values"] input').element as HTMLInputElement).value).toBe('Москва')
    expect(wrapper.get('[data-testid="field-deal-payment-field"]').text()).toContain('Способ оплаты')
    wrapper.unmount()
  })

  it('names a mapped field that no longer exists', () => {
    const model = structuredClone(defaultSettings().deal)
    const wrapper = mountWithKit(SettingsDealSection, { props: { modelValue: model, catalog: { ...catalogFixture(), dealFields }, issues: [{ path: 'deal.autoIssue.regionField', code: 'fieldMissing', params: { code: 'UF_CRM_GONE' } }], disabled: false } })
    expect(wrapper.get('[data-testid="field-deal-region-field"]').text()).toContain('UF_CRM_GONE')
    wrapper.unmount()
  })
})
