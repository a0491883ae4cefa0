// @vitest-environment happy-dom
import type { PlacementSession } from '../../src/portal/frame-session.ts'
import type { RestParams } from '../../src/portal/portal-client.ts'
import { flushPromises } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { describe, expect, it, vi } from 'vitest'
import { placementSessionKey } from '../../src/composables/usePlacementSession.ts'
import { PortalError } from '../../src/portal/portal-error.ts'
import SettingsView from '../../src/views/settings/SettingsView.vue'
import { mountWithKit } from '../components/mount-with-kit.ts'
import { createFakePortalClient } from '../support/fake-portal-client.ts'

const status = (id: string, name: string, sort: number, entity: string) => ({ ENTITY_ID: entity, STATUS_ID: id, NAME: name, SORT: String(sort), CATEGORY_ID: entity.startsWith('SMART') ? '5' : null, SEMANTICS: null })
const notFound = new PortalError('crm.item.get', 'INVALID_ARG_VALUE', 'reference', 400, true)

const portal = {
  'crm.category.list': (p: RestParams) => ({ result: { categories: p.entityTypeId === 31 ? [{ id: 5, name: 'Счета', isDefault: 'Y' }] : [{ id: 0, name: 'Общая', isDefault: 'Y' }] } }),
  'crm.item.list': (p: RestParams) => ({ result: { items: p.entityTypeId === 4 ? [{ id: 1, title: 'ООО «Инвойс Деск»', isMyCompany: 'Y' }, { id: 7, title: 'ООО «Ромашка»', isMyCompany: 'N' }] : [] } }),
  'crm.item.get': notFound,
  'user.get': (p: RestParams) => (p.ID ? notFound : { result: [{ ID: '1', NAME: 'Анна' }] }),
  'crm.currency.base.get': { result: 'RUB' },
  'crm.status.list': (p: RestParams) => {
    const entity = (p.filter as { ENTITY_ID: string }).ENTITY_ID
    return { result: entity === 'DEAL_STAGE' ? [status('NEW', 'Новая', 10, entity), status('WON', 'Успешна', 60, entity)] : [status('DT31_5:N', 'Новый', 10, entity), status('DT31_5:S', 'Отправлен', 20, entity)] }
  },
  'crm.documentgenerator.template.list': { result: { templates: { 11: { id: '11', name: 'Счёт на оплату' } } } },
  'app.option.set': { result: true },
}

function mountView(overrides: Partial<PlacementSession> = {}, options: Record<string, unknown> = {}) {
  const fake = createFakePortalClient(portal)
  const session: PlacementSession = {
    client: fake.client, placement: 'DEFAULT', placementOptions: {}, lang: 'ru', isAdmin: true,
    openPath: vi.fn(), fitHeight: vi.fn(), reloadData: vi.fn(async () => {}), installMode: false, appUrl: 'https://app.example/',
    appOption: name => options[name], finishInstall: vi.fn(async () => {}), ...overrides,
  }
  const wrapper = mountWithKit(SettingsView, { plugins: [createPinia()], provide: { [placementSessionKey as symbol]: session } })
  const writes = () => fake.requests.filter(r => r.calls.some(c => c.method === 'app.option.set'))
  return { wrapper, fake, writes }
}

async function ready(wrapper: ReturnType<typeof mountView>['wrapper']) {
  await flushPromises()
  await vi.waitFor(() => expect(wrapper.find('[data-testid="settings-invoice"]').exists()).toBe(true))
}

describe('views/SettingsView', () => {
  it('loads the portal\'s choices in two round trips and shows the defaults resolved to them', async () => {
    const { wrapper, fake } = mountView()
    expect(wrapper.find('[data-testid="settings-skeleton"]').exists()).toBe(true)
    await ready(wrapper)
    expect(fake.client.roundTrips()).toBe(2)
    expect((wrapper.get('[data-testid="input-term-b2b"]').element as HTMLInputElement).value).toBe('5')
    expect(wrapper.get('[data-testid="field-invoice-template"]').text()).toContain('Счёт на оплату')
    expect(wrapper.get('[data-testid="email-preview"]').text()).toContain('вымышленных данных')
    wrapper.unmount()
  })

  it('refuses an invalid draft with messages and no write, then saves once it is fixed', async () => {
    const { wrapper, writes } = mountView()
    await ready(wrapper)
    await wrapper.get('[data-testid="input-term-b2b"]').setValue('-3')
    await wrapper.get('[data-testid="input-email-subject"]').setValue('')
    await wrapper.get('[data-testid="settings-save"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="settings-invalid"]').text()).toContain('исправьте 2 ошибки')
    expect(wrapper.get('[data-testid="field-term-b2b"]').text()).toContain('Допустимо целое число от 0 до 365.')
    expect(wrapper.get('[data-testid="field-email-subject"]').text()).toContain('Укажите тему письма.')
    expect(writes()).toHaveLength(0)

    await wrapper.get('[data-testid="input-term-b2b"]').setValue('30')
    await wrapper.get('[data-testid="input-email-subject"]').setValue('Счёт {invoice.number}')
    await flushPromises()
    expect(wrapper.find('[data-testid="field-term-b2b"]').text()).not.toContain('Допустимо')
    await wrapper.get('[data-testid="settings-save"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="settings-saved"]').exists()).toBe(true)
    expect(writes()).toHaveLength(1)
    const saved = JSON.parse(String((writes()[0]!.calls[0]!.params as { options: { invoiceDesk: string } }).options.invoiceDesk))
    expect(saved.invoice.paymentTermDays.b2b).toBe(30)
    expect(saved.email.templates.invoice.ru.subject).toBe('Счёт {invoice.number}')
    wrapper.unmount()
  })

  it('refuses a megabyte body and a «{» that opens no variable, and names 21 stored reminder steps, writing nothing', async () => {
    const steps = Array.from({ length: 21 }, (_, i) => ({ offsetDays: i, channel: 'email', templateId: 'reminderOverdue' }))
    const { wrapper, writes } = mountView({}, { invoiceDesk: JSON.stringify({ schemaVersion: 3, reminders: { steps } }) })
    await ready(wrapper)
    expect(wrapper.get('[data-testid="settings-list-issues"]').text()).toContain('reminders.steps: Не больше 20.')
    await wrapper.get('[data-testid="input-email-subject"]').setValue('Счёт {invoice.number')
    await wrapper.get('[data-testid="input-email-body"]').setValue('x'.repeat(1024 * 1024))
    await wrapper.get('[data-testid="settings-save"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="field-email-subject"]').text()).toContain('«{» не открывает переменную')
    expect(wrapper.get('[data-testid="field-email-body"]').text()).toContain('Не длиннее 20000 символов.')
    expect(writes()).toHaveLength(0)
    wrapper.unmount()
  })

  it('shows stored settings read-only to a non-admin, with the reason and no save button', async () => {
    const stored = JSON.stringify({ schemaVersion: 1, invoice: { paymentTermDays: { b2b: 45, b2c: 3 } } })
    const { wrapper } = mountView({ isAdmin: false }, { invoiceDesk: stored })
    await ready(wrapper)
    expect(wrapper.get('[data-testid="settings-read-only"]').text()).toContain('только администратор')
    expect((wrapper.get('[data-testid="input-term-b2b"]').element as HTMLInputElement).value).toBe('45')
    expect(wrapper.get('[data-testid="input-term-b2b"]').attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-testid="settings-save"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('does not let this release overwrite settings from a newer one', async () => {
    const { wrapper } = mountView({}, { invoiceDesk: JSON.stringify({ schemaVersion: 99 }) })
    await ready(wrapper)
    expect(wrapper.find('[data-testid="settings-newer"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="settings-save"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('tells a non-admin opening an uninstalled app to ask an admin, and calls nothing', async () => {
    const { wrapper, fake } = mountView({ isAdmin: false, installMode: true })
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="notice"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="notice"]').text()).toContain('администратор')
    expect(fake.client.roundTrips()).toBe(0)
    wrapper.unmount()
  })

  it('installs when an admin opens an uninstalled app, and offers a retry after a failed step', async () => {
    const failing = new PortalError('crm.automation.trigger.add', 'ACCESS_DENIED', 'Access denied! Admin permissions required', 400, true)
    const fake = createFakePortalClient({ 'placement.get': { result: [] }, 'crm.automation.trigger.list': { result: [] }, 'placement.bind': { result: true }, 'crm.automation.trigger.add': failing, 'app.option.set': { result: true }, 'crm.type.list': { result: { types: [] } }, 'crm.type.add': { result: { type: { entityTypeId: 1030 } } } })
    const finishInstall = vi.fn(async () => {})
    const session = { client: fake.client, placement: 'DEFAULT', placementOptions: {}, lang: 'ru', isAdmin: true, openPath: vi.fn(), fitHeight: vi.fn(), reloadData: vi.fn(async () => {}), installMode: true, appUrl: 'https://app.example/', appOption: () => undefined, finishInstall }
    const wrapper = mountWithKit(SettingsView, { plugins: [createPinia()], provide: { [placementSessionKey as symbol]: session } })
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="install-retry"]').exists()).toBe(true))
    expect(wrapper.get('[data-testid="error-notice"]').text()).toContain('Регистрируем триггеры для роботов')
    expect(wrapper.get('[data-step="placements"]').attributes('data-status')).toBe('done')
    expect(wrapper.get('[data-step="triggers"]').attributes('data-status')).toBe('failed')
    expect(finishInstall).not.toHaveBeenCalled()
    wrapper.unmount()
  })
})
