// The key metrics' on-demand read through the real SDK against the emulator: the deals' creation days
// and the journal's entries of the period, counted in round trips (the dashboard's cost budget).
import type { RunningEmulator } from '../../emulator/server.ts'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { calendarDateOf } from '../../../src/domain/calendar-date.ts'
import { dealsFirstInvoicedIn } from '../../../src/domain/receivables/key-metrics.ts'
import { scanReceivables } from '../../../src/flows/scan-receivables.ts'
import { journalTypeCommand, writeJournal } from '../../../src/portal/journal/journal-store.ts'
import { connectWithWebhook } from '../../../src/portal/node/hook-session.ts'
import { readKeyMetricsInputs } from '../../../src/portal/receivables/key-metrics-read.ts'
import { startEmulator } from '../../emulator/server.ts'

const JOURNAL = 1030

describe('portal/receivables/key-metrics-read', () => {
  let emulator: RunningEmulator
  let caCertificate: string

  beforeAll(async () => {
    emulator = await startEmulator({ https: true, data: 'large:3000', limits: 'off', port: 0 })
    caCertificate = await readFile(emulator.caCertPath!, 'utf8')
  })
  afterAll(() => emulator.close())

  it('reads the creation day of every deal first invoiced in the period and the journal\'s issue and error entries in ⌈(2 + ⌈deals/50⌉)/50⌉ round trips', async () => {
    const portal = connectWithWebhook(emulator.webhookUrl, { caCertificate })
    const command = journalTypeCommand(JOURNAL)
    await portal.call(command.method, command.params)
    const data = await scanReceivables(portal, { now: new Date(), fallbackTimeZone: 'UTC' })
    const period = { from: '2000-01-01', to: data.asOf }
    const dealIds = dealsFirstInvoicedIn(data.invoices, period)
    expect(dealIds.length).toBeGreaterThan(100)
    const invoiceId = data.invoices[0]!.id
    await writeJournal(portal, JOURNAL, [
      { action: 'invoice', result: 'ok', by: 'runner', dealId: null, invoiceId, summary: 'Счёт создан', error: null },
      { action: 'email', result: 'failed', by: 'user', dealId: null, invoiceId, summary: 'Письмо не ушло', error: { code: 'PORTAL_ERROR', message: 'crm.activity.add: Email send error' } },
    ])

    const before = emulator.stats.httpRequests
    const read = await readKeyMetricsInputs(portal, { dealIds, journalTypeId: JOURNAL, from: '2000-01-01T00:00:00', to: '2100-01-01T00:00:00' })

    const expected = Math.ceil((2 + Math.ceil(dealIds.length / 50)) / 50)
    expect(read.roundTrips).toBe(expected)
    expect(emulator.stats.httpRequests - before).toBe(expected)
    expect(read.dealCreated.size).toBe(dealIds.length)
    const deal = emulator.state.entities[2].byId.get(dealIds[0]!)!
    expect(read.dealCreated.get(dealIds[0]!)).toBe(calendarDateOf(String(deal.createdTime)))
    expect(read.origins?.get(invoiceId)).toBe('automatic')
    expect(read.errors).toEqual([expect.objectContaining({ invoiceId, action: 'email', code: 'PORTAL_ERROR', summary: 'Письмо не ушло' })])
  })

  it('without a journal: no journal read, origins and errors unknown (null)', async () => {
    const portal = connectWithWebhook(emulator.webhookUrl, { caCertificate })
    const read = await readKeyMetricsInputs(portal, { dealIds: [1, 2], journalTypeId: null, from: '2000-01-01T00:00:00', to: '2100-01-01T00:00:00' })
    expect(read).toMatchObject({ origins: null, errors: null, roundTrips: 1 })
    expect(read.dealCreated.size).toBe(2)
  })
})
