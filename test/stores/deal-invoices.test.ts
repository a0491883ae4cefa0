import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { emptyCollectionState } from '../../src/domain/collection/collection-state.ts'
import { nextReminder } from '../../src/domain/reminders/plan-reminders.ts'
import { defaultSettings } from '../../src/domain/settings/default-settings.ts'
import { useDealInvoicesStore } from '../../src/stores/deal-invoices.ts'
import { createFakePortalClient } from '../support/fake-portal-client.ts'

const stages = [
  { ENTITY_ID: 'SMART_INVOICE_STAGE_5', STATUS_ID: 'DT31_5:N', NAME: 'Новый', SORT: '10', CATEGORY_ID: '5', SEMANTICS: null },
  { ENTITY_ID: 'SMART_INVOICE_STAGE_5', STATUS_ID: 'DT31_5:S', NAME: 'Отправлен', SORT: '20', CATEGORY_ID: '5', SEMANTICS: null },
]
const invoice = (id: number) => ({ id, title: 'Счёт', accountNumber: `СЧ-${id}`, stageId: 'DT31_5:S', categoryId: 5, begindate: '2026-11-01T00:00:00+03:00', closedate: '2026-11-20T00:00:00+03:00', opportunity: 100, currencyId: 'RUB', parentId2: 42 })

describe('stores/deal-invoices', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('plans each row\'s next reminder with the reminder policy once the schedule is given', async () => {
    const { client } = createFakePortalClient({
      'crm.item.get': { result: { item: { id: 42, title: 'Сделка', stageId: 'NEW', opportunity: 100, currencyId: 'RUB' } } },
      'crm.item.list': { result: { items: [invoice(7)] }, total: 1 },
      'crm.status.list': { result: stages },
      'profile': { result: { ID: 1, ADMIN: true, NAME: 'Анна', TIME_ZONE: 'Europe/Moscow' } },
      'crm.timeline.logmessage.list': { result: [], total: 0 },
    })
    const store = useDealInvoicesStore()
    await store.load(client, 42, new Date('2026-11-28T09:00:00Z'))
    expect(store.nextReminders.size).toBe(0)

    const schedule = { ...defaultSettings().reminders, enabled: true }
    await store.planWith(schedule)
    const row = store.rows[0]!
    const expected = nextReminder({ invoice: row.invoice, closed: null }, emptyCollectionState(7), schedule, store.overview!.clock)
    expect(expected).not.toBeNull()
    expect(store.nextReminders.get(7)).toEqual(expected)
    expect(store.overview!.clock).toMatchObject({ today: '2026-11-28', hour: 12 })
  })
})
