// @vitest-environment happy-dom
// The reminder queue and the bank import act on the stored settings: ones they cannot run on are named, nothing is sent or recorded.
import type { PlacementSession } from '../../src/portal/frame-session.ts'
import { flushPromises } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { describe, expect, it, vi } from 'vitest'
import { placementSessionKey } from '../../src/composables/usePlacementSession.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { serializeSettings } from '../../src/domain/settings/read-settings.ts'
import BankImportView from '../../src/views/bank/BankImportView.vue'
import ReminderQueueView from '../../src/views/reminders/ReminderQueueView.vue'
import { mountWithKit } from '../components/mount-with-kit.ts'
import { createFakePortalClient } from '../support/fake-portal-client.ts'

function mountView(stored: unknown) {
  const fake = createFakePortalClient({})
  const session = { client: fake.client, placement: 'DEFAULT', placementOptions: {}, lang: 'ru', isAdmin: false, appOption: () => stored, openPath: vi.fn(async () => {}) } as unknown as PlacementSession
  const wrapper = mountWithKit(ReminderQueueView, { plugins: [createPinia()], provide: { [placementSessionKey as symbol]: session } })
  return { wrapper, ...fake }
}

describe('views/ReminderQueueView with stored settings it cannot use', () => {
  const base = defaultSettings()
  it.each([
    ['send hour 25', serializeSettings({ ...base, reminders: { ...base.reminders, sendHour: 25 } }), 'reminders.sendHour'],
    ['a future schema version', JSON.stringify({ ...base, schemaVersion: 99 }), 'schemaVersion'],
    ['not a settings document', '[]', 'settings'],
  ])('%s: names the field, reads nothing and sends nothing', async (_name, stored, field) => {
    const { wrapper, requests } = mountView(stored)
    await flushPromises()
    const notice = wrapper.get('[data-testid="reminder-settings-unusable"]')
    expect(notice.text()).toContain(field)
    expect(notice.text()).toContain('администратор')
    expect(requests).toEqual([])
    expect(wrapper.get('[data-testid="reminder-send"]').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })
})

describe('views/BankImportView with stored settings it cannot use', () => {
  it('names the field and says no payment will be recorded', async () => {
    const base = defaultSettings()
    const fake = createFakePortalClient({})
    const session = { client: fake.client, placement: 'DEFAULT', placementOptions: {}, lang: 'ru', isAdmin: false, appOption: () => serializeSettings({ ...base, invoice: { ...base.invoice, paymentTermDays: { b2b: -5, b2c: 10 } } }), openPath: vi.fn(async () => {}) } as unknown as PlacementSession
    const wrapper = mountWithKit(BankImportView, { plugins: [createPinia()], provide: { [placementSessionKey as symbol]: session } })
    await flushPromises()
    const notice = wrapper.get('[data-testid="bank-settings-unusable"]')
    expect(notice.text()).toContain('invoice.paymentTermDays.b2b')
    expect(notice.text()).toContain('не будут записаны')
    wrapper.unmount()
  })
})
