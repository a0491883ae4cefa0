// @vitest-environment happy-dom
// The reminder queue is an entry point that sends: stored settings it cannot run on are named, nothing is read or sent.
import type { PlacementSession } from '../../src/portal/frame-session.ts'
import { flushPromises } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { describe, expect, it, vi } from 'vitest'
import { placementSessionKey } from '../../src/composables/usePlacementSession.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { serializeSettings } from '../../src/domain/settings/read-settings.ts'
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
