// @vitest-environment happy-dom
import type { PlacementSession } from '../../src/portal/frame-session.ts'
import { flushPromises } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { describe, expect, it, vi } from 'vitest'
import { placementSessionKey } from '../../src/composables/usePlacementSession.ts'
import { PortalError } from '../../src/portal/portal-error.ts'
import ReceivablesView from '../../src/views/receivables/ReceivablesView.vue'
import { mountWithKit } from '../components/mount-with-kit.ts'
import { createFakePortalClient } from '../support/fake-portal-client.ts'

const directories = {
  'profile': { result: { ID: 4, ADMIN: false, NAME: 'Ольга', TIME_ZONE: 'Europe/Moscow' } },
  'crm.currency.list': { result: [{ CURRENCY: 'RUB', BASE: 'Y' }] },
  'crm.currency.base.get': { result: 'RUB' },
  'crm.category.list': { result: { categories: [{ id: 5, name: 'Счета' }] } },
  'crm.status.list': { result: [{ STATUS_ID: 'DT31_5:N', ENTITY_ID: 'SMART_INVOICE_STAGE_5', NAME: 'Новый', SORT: 10, CATEGORY_ID: 5 }, { STATUS_ID: 'DT31_5:S', ENTITY_ID: 'SMART_INVOICE_STAGE_5', NAME: 'Отправлен', SORT: 20, CATEGORY_ID: 5 }] },
}
const invoice = { id: 7, accountNumber: 'СЧ-7', stageId: 'DT31_5:S', categoryId: 5, begindate: '2026-10-01T00:00:00+03:00', closedate: '2026-10-15T00:00:00+03:00', opportunity: 1500, currencyId: 'RUB', companyId: 3, assignedById: 2 }

function mountView(answers: Parameters<typeof createFakePortalClient>[0]) {
  const fake = createFakePortalClient(answers)
  const session = { client: fake.client, placement: 'CRM_ANALYTICS_MENU', placementOptions: {}, lang: 'ru', isAdmin: false, openPath: vi.fn(async () => {}) } as unknown as PlacementSession
  const wrapper = mountWithKit(ReceivablesView, { plugins: [createPinia()], provide: { [placementSessionKey as symbol]: session } })
  return { wrapper, session, ...fake }
}

describe('views/ReceivablesView', () => {
  it('shows the progress skeleton while loading, then the figures', async () => {
    const { wrapper, requests } = mountView({
      ...directories,
      'crm.item.list': { result: { items: [invoice] }, total: 1 },
      'user.get': { result: [{ ID: 2, NAME: 'Иван', LAST_NAME: 'Петров' }] },
      'crm.timeline.logmessage.list': { result: [], total: 0 },
    })
    expect(wrapper.find('[data-testid="dashboard-loading"]').exists()).toBe(true)
    await flushPromises()
    expect(wrapper.get('[data-testid="figure-outstanding"] [data-testid="figure-value"]').attributes('data-value')).toBe('150000')
    expect(wrapper.get('[data-testid="figure-overdue"] [data-testid="figure-value"]').attributes('data-value')).toBe('150000')
    // Two batches for the figures, one for the open invoices' records (part payments), which also give the debtors' last reminders.
    expect(requests.map(r => r.kind)).toEqual(['batch', 'batch', 'batch'])
    wrapper.unmount()
  })

  it('says so when the portal has no invoices', async () => {
    const { wrapper } = mountView({ ...directories, 'crm.item.list': { result: { items: [] }, total: 0 } })
    await flushPromises()
    expect(wrapper.find('[data-testid="dashboard-empty"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('names the failure and loads again on retry', async () => {
    let fail = true
    const { wrapper } = mountView({
      ...directories,
      'crm.item.list': () => (fail ? new PortalError('crm.item.list', 'ACCESS_DENIED', 'Access denied', 400, true) : { result: { items: [] }, total: 0 }),
    })
    await flushPromises()
    expect(wrapper.get('[data-testid="error-notice"]').text()).toContain('crm.item.list')
    fail = false
    await wrapper.get('[data-testid="error-notice"] button').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="dashboard-empty"]').exists()).toBe(true)
    wrapper.unmount()
  })
})
