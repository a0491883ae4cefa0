// @vitest-environment happy-dom
import type { PlacementSession } from '../../../src/portal/frame-session.ts'
import type { SweepPreparation } from '../../../src/flows/run-reminders.ts'
import type { Locale } from '../../../src/i18n/messages.ts'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it, vi } from 'vitest'
import { placementSessionKey } from '../../../src/composables/usePlacementSession.ts'
import { defaultSettings } from '../../../src/domain/settings/default-settings.ts'
import { useReminderQueueStore } from '../../../src/stores/reminder-queue.ts'
import ReminderQueueView from '../../../src/views/reminders/ReminderQueueView.vue'
import { mountWithKit } from '../../components/mount-with-kit.ts'

/** A prepared sweep with no message shown and `deferred` left for the next one. */
function preparation(deferred: number): SweepPreparation {
  return {
    settings: defaultSettings(),
    clock: { today: '2026-12-07', hour: 10 },
    scope: { invoices: [] },
    contexts: new Map(),
    plan: { sends: [], skips: [] },
    previews: [],
    deferred,
  } as unknown as SweepPreparation
}

function mountQueue(deferred: number, locale: Locale) {
  const pinia = createPinia()
  setActivePinia(pinia)
  const store = useReminderQueueStore()
  // The view loads on mount: here the store holds a sweep already prepared.
  store.load = vi.fn(async () => {
    store.prep = preparation(deferred)
    store.status = 'ready'
  })
  const session = { client: {}, placement: 'DEFAULT', placementOptions: {}, lang: locale, isAdmin: false, appOption: () => null, openPath: vi.fn(async () => {}) } as unknown as PlacementSession
  return mountWithKit(ReminderQueueView, { plugins: [pinia], locale, provide: { [placementSessionKey as symbol]: session } })
}

describe('views/reminders/ReminderQueueView: messages left for the next sweep', () => {
  it.each([
    [12_345, 'ru' as const, 'ещё 12\u00A0345 сообщений отложено до следующего запуска'],
    [1, 'ru' as const, 'ещё 1 сообщение отложено до следующего запуска'],
    [2_502, 'en' as const, '2,502 more messages deferred to the next run'],
  ])('%i deferred in %s: the summary says how many, with thousands separators', async (deferred, locale, text) => {
    const wrapper = mountQueue(deferred, locale)
    await flushPromises()
    expect(wrapper.get('[data-testid="reminder-queue-deferred"]').text()).toBe(`· ${text}`)
    wrapper.unmount()
  })

  it('none deferred (a usual day): nothing is said', async () => {
    const wrapper = mountQueue(0, 'ru')
    await flushPromises()
    expect(wrapper.find('[data-testid="reminder-queue-summary"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="reminder-queue-deferred"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
