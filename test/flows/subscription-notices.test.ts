// Subscription notices (`deliverNotices`) over the real SDK webhook client against the emulator, with
// the portal refusing the notification inside the batch with an EMPTY error code.
import type { PortalClient } from '../../src/portal/portal-client.ts'
import type { RunningEmulator } from '../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import { deliverNotices } from '../../src/portal/subscription/subscription-notify.ts'
import { startEmulator } from '../emulator/server.ts'
import { machineTagOf } from '../../src/domain/text/machine-tag.ts'

let emulator: RunningEmulator
let portal: PortalClient

beforeAll(async () => {
  emulator = await startEmulator({ https: true, data: 'empty', limits: 'off' })
  portal = connectWithWebhook(emulator.webhookUrl, { caCertificate: await readFile(emulator.caCertPath!, 'utf8') })
})
afterAll(() => emulator?.close())
beforeEach(() => {
  emulator.engine.faults.clear()
  emulator.engine.reset('empty')
})

const notices = () => emulator.state.journal.filter(entry => entry.kind === 'notifications')
const noticeLogs = (dealId: number) => emulator.state.journal
  .filter(entry => entry.kind === 'timeline' && (entry.details as { owner: { id: number } }).owner.id === dealId)
  .filter(entry => JSON.stringify(machineTagOf(String((entry.details as { text: string }).text))).includes('subscriptionNotice'))

describe('subscription notices when the portal refuses with an empty error code', () => {
  it('a refused notice is reported with the portal\'s words and not recorded, so the next run sends it; the others go out', async () => {
    const deal = await portal.call<{ item: { id: number } }>('crm.item.add', { entityTypeId: 2, fields: { title: 'Подписка', assignedById: 2 } })
    const dealId = deal.item.id
    const deliveries = [
      { dealId, userId: 2, key: 'endsSoon:2026-06-30', message: 'Подписка скоро закончится' },
      { dealId, userId: 2, key: 'unpaid:2026-03', message: 'Счёт за март не оплачен' },
    ]
    emulator.engine.faults.add({ method: 'im.notify.system.add', times: 1, kind: 'error', status: 400, code: '', description: 'Access denied.' })
    const failed = await deliverNotices(portal, deliveries)
    expect([...failed].map(([key, error]) => [key, (error as Error).message])).toEqual([[`${dealId}:endsSoon:2026-06-30`, 'Access denied.']])
    expect(notices()).toHaveLength(1)
    expect(noticeLogs(dealId)).toHaveLength(1)
    expect(JSON.stringify(machineTagOf(String((noticeLogs(dealId)[0]!.details as { text: string }).text)))).toContain('unpaid:2026-03')

    expect((await deliverNotices(portal, deliveries.slice(0, 1))).size).toBe(0)
    expect(noticeLogs(dealId)).toHaveLength(2)
  })
})
