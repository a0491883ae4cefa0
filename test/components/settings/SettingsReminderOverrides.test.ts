// @vitest-environment happy-dom
import type { CompanyReminderOverride } from '../../../src/domain/settings/settings.ts'
import type { PlacementSession } from '../../../src/portal/frame-session.ts'
import type { RestParams } from '../../../src/portal/portal-client.ts'
import type { Draft } from '../../../src/stores/settings.ts'
import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { reactive } from 'vue'
import SettingsReminderOverrides from '../../../src/components/settings/SettingsReminderOverrides.vue'
import { placementSessionKey } from '../../../src/composables/usePlacementSession.ts'
import { PortalError } from '../../../src/portal/portal-error.ts'
import { createFakePortalClient } from '../../support/fake-portal-client.ts'
import { mountWithKit } from '../mount-with-kit.ts'

const COMPANIES = [{ id: 7, title: 'ООО «Ромашка»' }, { id: 9, title: 'АО «Ромбик»' }, { id: 12, title: 'ИП Сидоров' }]

/** `crm.item.list` for companies as the portal answers it: `@id` reads titles, `%title` searches (case-insensitive). */
function companyList(params: RestParams) {
  const filter = params.filter as Record<string, unknown>
  const ids = filter['@id'] as number[] | undefined
  const needle = String(filter['%title'] ?? '').toLowerCase()
  const items = COMPANIES.filter(company => (ids ? ids.includes(company.id) : company.title.toLowerCase().includes(needle)))
  return { result: { items }, total: items.length }
}

function mountOverrides(stored: CompanyReminderOverride[], table: Parameters<typeof createFakePortalClient>[0] = { 'crm.item.list': companyList }, locale: 'ru' | 'en' = 'ru') {
  const overrides = reactive(structuredClone(stored) as Draft<CompanyReminderOverride>[])
  const fake = createFakePortalClient(table)
  const session = { client: fake.client } as unknown as PlacementSession
  const wrapper = mountWithKit(SettingsReminderOverrides, {
    locale,
    props: { 'modelValue': overrides, 'issues': [], 'disabled': false, 'onUpdate:modelValue': () => {} },
    provide: { [placementSessionKey as symbol]: session },
  })
  return { wrapper, overrides, ...fake }
}

const searches = (requests: ReturnType<typeof createFakePortalClient>['requests']) =>
  requests.flatMap(request => request.calls).filter(call => '%title' in ((call.params?.filter ?? {}) as object))

describe('components/settings/SettingsReminderOverrides', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('names the stored overrides\' companies from one batch and says plainly which company is gone', async () => {
    const { wrapper, requests } = mountOverrides([
      { companyId: 7, optOut: true, steps: null },
      { companyId: 12, optOut: false, steps: null },
      { companyId: 404, optOut: true, steps: null },
    ])
    await flushPromises()
    expect(requests).toHaveLength(1)
    expect(requests[0]!.kind).toBe('batch')
    expect(requests[0]!.calls).toEqual([{ method: 'crm.item.list', params: expect.objectContaining({ entityTypeId: 4, filter: { '@id': [7, 12, 404] } }) }])
    expect(wrapper.findAll('[data-testid="override-company-name"]').map(name => name.text())).toEqual(['ООО «Ромашка»', 'ИП Сидоров'])
    expect(wrapper.get('[data-testid="override-company-deleted"]').text()).toContain('Компания #404 не найдена: её удалили или у вас нет прав на её просмотр')
    wrapper.unmount()
  })

  it('searches by part of the name once the typing pauses, shows what it is doing, and stores the chosen company\'s id', async () => {
    const { wrapper, overrides, requests } = mountOverrides([])
    await wrapper.get('[data-testid="add-override"]').trigger('click')
    const search = wrapper.get('[data-testid="override-company-search"]')
    expect(search.attributes('role')).toBe('combobox')
    for (const typed of ['р', 'ро', 'ром'])
      await search.setValue(typed)
    expect(wrapper.get('[data-testid="override-company-loading"]').text()).toBe('Ищем…')
    expect(searches(requests)).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(300)
    await flushPromises()
    expect(searches(requests)).toEqual([{ method: 'crm.item.list', params: expect.objectContaining({ entityTypeId: 4, filter: { '%title': 'ром', 'isMyCompany': 'N' } }) }])
    const options = wrapper.findAll('[data-testid="override-company-option"]')
    expect(options.map(option => option.text())).toEqual(['ООО «Ромашка»', 'АО «Ромбик»'])
    expect(options.every(option => option.attributes('role') === 'option')).toBe(true)
    await options[1]!.trigger('click')
    expect(overrides).toEqual([{ companyId: 9, optOut: true, steps: null }])
    expect(wrapper.get('[data-testid="override-company-name"]').text()).toBe('АО «Ромбик»')
    expect(wrapper.find('[data-testid="override-company-search"]').exists()).toBe(false)
    await flushPromises()
    expect(requests).toHaveLength(1)
    wrapper.unmount()
  })

  it('changes a stored company to another chosen with the keyboard; the stored shape stays { companyId, optOut, steps }', async () => {
    const { wrapper, overrides } = mountOverrides([{ companyId: 7, optOut: false, steps: [{ offsetDays: 5, channel: 'notify', templateId: 'reminderOverdue' }] }])
    await flushPromises()
    await wrapper.get('[data-testid="override-company-change"]').trigger('click')
    const search = wrapper.get('[data-testid="override-company-search"]')
    await search.setValue('сидор')
    await vi.advanceTimersByTimeAsync(300)
    await flushPromises()
    await search.trigger('keydown', { key: 'Enter' })
    expect(overrides).toEqual([{ companyId: 12, optOut: false, steps: [{ offsetDays: 5, channel: 'notify', templateId: 'reminderOverdue' }] }])
    wrapper.unmount()
  })

  it.each([
    ['ru', 'Ничего не найдено'],
    ['en', 'Nothing found'],
  ] as const)('(%s) says when nothing matches', async (locale, words) => {
    const { wrapper } = mountOverrides([{ companyId: 0, optOut: true, steps: null }], { 'crm.item.list': companyList }, locale)
    await wrapper.get('[data-testid="override-company-search"]').setValue('Газпром')
    await vi.advanceTimersByTimeAsync(300)
    await flushPromises()
    expect(wrapper.get('[data-testid="override-company-empty"]').text()).toBe(words)
    expect(wrapper.find('[data-testid="override-company-option"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('tells a user who may not read companies so, and searches again on request', async () => {
    let denied = true
    const { wrapper, requests } = mountOverrides([{ companyId: 0, optOut: true, steps: null }], {
      'crm.item.list': params => (denied ? new PortalError('crm.item.list', 'ACCESS_DENIED', 'You do not have permission to view this item', 400, true) : companyList(params)),
    })
    await wrapper.get('[data-testid="override-company-search"]').setValue('ром')
    await vi.advanceTimersByTimeAsync(300)
    await flushPromises()
    expect(wrapper.get('[data-testid="override-company-error"]').text()).toContain('У вас нет прав на просмотр компаний в CRM')
    denied = false
    const retry = wrapper.get('[data-testid="override-company-error"]').findAll('button').find(button => button.text() === 'Повторить')!
    await retry.trigger('click')
    await flushPromises()
    expect(wrapper.findAll('[data-testid="override-company-option"]')).toHaveLength(2)
    expect(searches(requests)).toHaveLength(2)
    wrapper.unmount()
  })
})
