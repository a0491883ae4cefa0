import type { RestParams } from '../../src/portal/portal-client.ts'
import { describe, expect, it } from 'vitest'
import { subscriptionText } from '../../src/domain/subscription/subscription-record.ts'
import { machineTagOf, visibleText } from '../../src/domain/text/machine-tag.ts'
import { zoneOfOffset } from '../../src/flows/subscription-run.ts'
import { loadDealSubscription, saveSubscription } from '../../src/flows/subscriptions.ts'
import { PortalError } from '../../src/portal/portal-error.ts'
import { createFakePortalClient } from '../support/fake-portal-client.ts'

const schedule = { frequency: 'monthly', everyDays: null, startDate: '2026-03-01', end: { kind: 'never' }, amount: { kind: 'deal' }, renewOnPayment: false } as const

function portal(profile: { ID: string, ADMIN: boolean }, responsible = 2) {
  return createFakePortalClient({
    'server.time': { result: '2026-04-02T10:00:00+03:00' },
    'profile': { result: profile },
    'crm.item.get': { result: { item: { id: 7, title: 'Сделка', assignedById: responsible, opportunity: 1500, currencyId: 'RUB' } } },
    'crm.timeline.logmessage.list': { result: [{ id: 3, created: '', title: 'Invoice Desk: подписка', text: subscriptionText('Подписка', { kind: 'subscription', schedule, by: 2 }) }], total: 1 },
    'crm.item.list': { result: { items: [
      { id: 40, xmlId: 'invoice-desk:deal:7:period-2026-03', stageId: 'DT31_5:P', accountNumber: 'СЧ-40', opportunity: 1500, currencyId: 'RUB', parentId2: 7 },
      { id: 41, xmlId: 'invoice-desk:deal:7:deal', stageId: 'DT31_5:N', opportunity: 1500, currencyId: 'RUB', parentId2: 7 },
    ] } },
    'crm.category.list': { result: { categories: [{ id: 5 }] } },
    'crm.status.list': { result: [{ ENTITY_ID: 'SMART_INVOICE_STAGE_5', STATUS_ID: 'DT31_5:P', NAME: 'Оплачен', SORT: 100, SEMANTICS: 'S' }] },
  })
}

describe('flows/subscriptions', () => {
  it('loads the deal\'s subscription in one round trip and plans it for the portal\'s day', async () => {
    const { client, requests } = portal({ ID: '2', ADMIN: false })
    const view = await loadDealSubscription(client, 7)
    expect(requests).toHaveLength(1)
    expect(view.issued.map(period => period.purpose)).toEqual(['period-2026-03'])
    expect(view.plan?.due?.purpose).toBe('period-2026-04')
    expect(view.canEdit).toBe(true)
  })

  it.each([[{ ID: '3', ADMIN: false }, false], [{ ID: '1', ADMIN: true }, true]])('lets %o edit: %s', async (profile, canEdit) => {
    expect((await loadDealSubscription(portal(profile).client, 7)).canEdit).toBe(canEdit)
  })

  it('saves a schedule as ONE timeline entry on the deal, and passes the portal\'s refusal on', async () => {
    const written: RestParams[] = []
    const { client, requests } = createFakePortalClient({
      'crm.timeline.logmessage.add': (params) => {
        written.push(params)
        return { result: { logMessage: { id: 9 } } }
      },
    })
    await saveSubscription(client, 7, schedule, 2, 'ru')
    expect(requests).toHaveLength(1)
    expect(written[0]).toMatchObject({ fields: { entityTypeId: 2, entityId: 7, title: 'Invoice Desk: подписка' } })
    const text = String((written[0]!.fields as { text: string }).text)
    expect(visibleText(text)).toBe('Подписка: ежемесячно с 01.03.2026, без срока, сумма сделки')
    expect(machineTagOf(text)).toMatchObject({ kind: 'subscription' })
    const refused = createFakePortalClient({ 'crm.timeline.logmessage.add': new PortalError('crm.timeline.logmessage.add', 'ACCESS_DENIED', 'Access denied', 403, false) })
    await expect(saveSubscription(refused.client, 7, schedule, 3, 'ru')).rejects.toMatchObject({ code: 'ACCESS_DENIED' })
  })

  it.each([['2026-04-02T10:00:00+03:00', 'Etc/GMT-3'], ['2026-04-02T10:00:00+00:00', 'UTC'], ['2026-04-02T10:00:00-05:00', 'Etc/GMT+5'], ['2026-04-02T10:00:00+05:30', 'UTC']])('uses a zone for the portal offset of %s: %s', (time, zone) => {
    expect(zoneOfOffset(time)).toBe(zone)
  })
})
