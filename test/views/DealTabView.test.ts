// @vitest-environment happy-dom
import type { PlacementSession } from '../../src/portal/frame-session.ts'
import { flushPromises } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { describe, expect, it, vi } from 'vitest'
import { placementSessionKey } from '../../src/composables/usePlacementSession.ts'
import { PortalError } from '../../src/portal/portal-error.ts'
import DealTabView from '../../src/views/deal-tab/DealTabView.vue'
import { mountWithKit } from '../components/mount-with-kit.ts'
// The tab loads these on demand; loaded here up front, no import is still in flight when a test ends.
import '../../src/domain/reminders/plan-reminders.ts'
import '../../src/domain/settings/read-settings.ts'
import '../../src/views/deal-tab/DealIssueSection.vue'
import '../../src/views/deal-tab/DealActionOutcome.vue'
import '../../src/components/bizproc/BizprocDealSection.vue'
import '../../src/views/deal-tab/DealSubscriptionSection.vue'
import { createFakePortalClient } from '../support/fake-portal-client.ts'

const deal = { id: 42, title: 'Поставка', stageId: 'NEW', opportunity: 100, currencyId: 'RUB' }
const stages = [
  { ENTITY_ID: 'SMART_INVOICE_STAGE_5', STATUS_ID: 'DT31_5:N', NAME: 'Новый', SORT: '10', CATEGORY_ID: '5', SEMANTICS: null },
  { ENTITY_ID: 'SMART_INVOICE_STAGE_5', STATUS_ID: 'DT31_5:S', NAME: 'Отправлен', SORT: '20', CATEGORY_ID: '5', SEMANTICS: null },
]
const invoice = { id: 7, title: 'Счёт', accountNumber: 'СЧ-7', stageId: 'DT31_5:S', categoryId: 5, begindate: '2026-11-01T00:00:00+03:00', closedate: '2000-01-01T00:00:00+03:00', opportunity: 100, currencyId: 'RUB', parentId2: 42 }
const profile = { ID: 1, ADMIN: true, NAME: 'Анна', TIME_ZONE: 'Europe/Moscow' }

/** A button's accessible name as a screen reader computes it for a labelled button: `aria-label`, else its text. */
function accessibleName(element: Element): string {
  return (element.getAttribute('aria-label') ?? element.textContent ?? '').replace(/\s+/g, ' ').trim()
}

/** The element of role "button" named `name` (a native button or an explicit role), or undefined. */
function buttonNamed(root: Element, name: string): Element | undefined {
  return [...root.querySelectorAll('button, [role="button"]')].find(element => accessibleName(element) === name)
}

function mountTab(answers: Parameters<typeof createFakePortalClient>[0], placementOptions: Record<string, unknown> = { ID: '42' }, locale: 'ru' | 'en' = 'ru') {
  const fake = createFakePortalClient(answers)
  const session: PlacementSession = {
    client: fake.client,
    placement: 'CRM_DEAL_DETAIL_TAB',
    placementOptions,
    lang: locale,
    isAdmin: true,
    openPath: vi.fn(async () => {}),
    fitHeight: vi.fn(async () => {}),
    reloadData: vi.fn(async () => {}),
    installMode: false,
    appUrl: 'https://app.example/',
    appOption: () => undefined,
    finishInstall: vi.fn(async () => {}),
  }
  const wrapper = mountWithKit(DealTabView, { locale, plugins: [createPinia()], provide: { [placementSessionKey as symbol]: session } })
  return { wrapper, session, ...fake }
}

describe('views/DealTabView', () => {
  it('shows a skeleton, then the invoices from one round trip, and opens an invoice in the slider', async () => {
    const { wrapper, requests, session } = mountTab({
      'crm.item.get': { result: { item: deal } },
      'crm.item.list': { result: { items: [invoice] }, total: 1 },
      'crm.status.list': { result: stages },
      'profile': { result: profile },
    })
    expect(wrapper.find('[data-testid="invoice-skeleton"]').exists()).toBe(true)
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="invoice-table"]').exists()).toBe(true))
    expect(requests).toHaveLength(1)
    expect(wrapper.get('[data-testid="deal-tab-summary"]').text()).toContain('1 счёт')
    expect(wrapper.get('[data-testid="invoice-state"]').text()).toMatch(/^Просрочен на [\d\u00A0]+ д/)
    await wrapper.get('[data-testid="invoice-number"]').trigger('click')
    expect(session.openPath).toHaveBeenCalledWith('/crm/type/31/details/7/')
    wrapper.unmount()
  })

  it('says the dates follow this device\'s clock when the portal\'s time could not be read, still in one round trip', async () => {
    const { wrapper, requests } = mountTab({
      'crm.item.get': { result: { item: deal } },
      'crm.item.list': { result: { items: [invoice] }, total: 1 },
      'crm.status.list': { result: stages },
      'profile': { result: profile },
      'server.time': new PortalError('server.time', 'INTERNAL_SERVER_ERROR', 'Internal error', 500, true),
    })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="invoice-table"]').exists()).toBe(true))
    expect(requests).toHaveLength(1)
    expect(wrapper.get('[data-testid="deal-tab-device-clock"]').text()).toContain('по часам этого устройства')
    wrapper.unmount()
  })

  it('shows no such notice when the portal gave its time', async () => {
    const { wrapper } = mountTab({
      'crm.item.get': { result: { item: deal } },
      'crm.item.list': { result: { items: [invoice] }, total: 1 },
      'crm.status.list': { result: stages },
      'profile': { result: profile },
      'server.time': { result: '2026-12-07T10:00:00+03:00' },
    })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="invoice-table"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="deal-tab-summary"]').text()).toContain('07.12.2026')
    expect(wrapper.find('[data-testid="deal-tab-device-clock"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('says so when the deal has no invoices', async () => {
    const { wrapper } = mountTab({
      'crm.item.get': { result: { item: deal } },
      'crm.item.list': { result: { items: [] }, total: 0 },
      'crm.status.list': new PortalError('crm.status.list', 'INVALID_ARG_VALUE', 'reference', 400, true),
      'profile': { result: profile },
    })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="deal-tab-empty"]').exists()).toBe(true))
    expect(wrapper.text()).toContain('Счетов пока нет')
    wrapper.unmount()
  })

  it('names what failed and retries on request', async () => {
    let denied = true
    const { wrapper, requests } = mountTab({
      'crm.item.get': () => denied ? new PortalError('crm.item.get', 'ACCESS_DENIED', 'Access denied', 403, true) : { result: { item: deal } },
      'crm.item.list': { result: { items: [] }, total: 0 },
      'crm.status.list': { result: [] },
      'profile': { result: profile },
    })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="error-notice"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="error-notice"]').text()).toContain('Недостаточно прав')
    expect(wrapper.get('[data-testid="error-notice"]').text()).toContain('crm.item.get')
    denied = false
    await wrapper.get('[data-testid="error-notice"] button').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="deal-tab-empty"]').exists()).toBe(true))
    expect(requests).toHaveLength(2)
    wrapper.unmount()
  })

  it.each([
    ['ru', 'Подписка', 'Бизнес-процессы по сделке'],
    ['en', 'Subscription', 'Business processes of the deal'],
  ] as const)('offers the subscription and the deal\'s processes as buttons drawn as buttons (%s)', async (lang, subscription, processes) => {
    const { wrapper, requests } = mountTab({
      'crm.item.get': { result: { item: deal } },
      'crm.item.list': { result: { items: [invoice] }, total: 1 },
      'crm.status.list': { result: stages },
      'profile': { result: profile },
    }, { ID: '42' }, lang)
    await vi.waitFor(() => expect(wrapper.find('[data-testid="bizproc-show"]').exists()).toBe(true))
    await vi.waitFor(() => expect(wrapper.find('[data-testid="subscription-show"]').exists()).toBe(true))
    for (const name of [subscription, processes]) {
      const button = buttonNamed(wrapper.element, name)
      expect(button, `a button named «${name}»`).toBeDefined()
      // Closed sections: the button says it opens one; the kit's plain (text-only) style made it read as a caption.
      expect(button!.getAttribute('aria-expanded')).toBe('false')
      expect(button!.className).not.toMatch(/--style-plain/)
      expect(button!.className).toMatch(/--style-(tinted|outline|filled)/)
    }
    expect(requests).toHaveLength(1)
    wrapper.unmount()
  })

  it('explains a missing deal id instead of loading nothing', async () => {
    const { wrapper, requests } = mountTab({}, {})
    await flushPromises()
    expect(wrapper.get('[data-testid="error-notice"]').text()).toContain('не передал номер сделки')
    expect(requests).toHaveLength(0)
    wrapper.unmount()
  })
})
