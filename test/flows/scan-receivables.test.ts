// The receivables scan through the real SDK (B24Hook over https) against the emulator: the batched
// keyset pages must reach every invoice, in ⌈N/2500⌉ + 2 HTTP requests.
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../emulator/server.ts'
import { scanReceivables } from '../../src/flows/scan-receivables.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'

let emulator: RunningEmulator
let ca: string

beforeAll(async () => {
  emulator = await startEmulator({ https: true, data: 'large:3000', limits: 'off', port: 0 })
  ca = await readFile(emulator.caCertPath ?? '', 'utf8')
})
afterAll(() => emulator.close())

describe('flows/scan-receivables', () => {
  it('reads all 3,000 invoices with their stages, managers and clients in 4 HTTP requests', async () => {
    const portal = connectWithWebhook(emulator.webhookUrl, { caCertificate: ca })
    const before = emulator.stats.httpRequests
    const progress: Array<[number, number]> = []
    const data = await scanReceivables(portal, { now: new Date(), fallbackTimeZone: 'UTC', onProgress: p => progress.push([p.loaded, p.total]) })
    expect(emulator.stats.httpRequests - before).toBe(4) // first batch, ⌈2950 / 2500⌉ = 2 page batches, names
    expect(data.invoices.map(invoice => invoice.id)).toEqual(emulator.state.entities[31].items.map(item => item.id))
    expect(progress.at(-1)).toEqual([3000, 3000])
    expect(data.baseCurrency).toBe('RUB')
    expect(data.timeZone).toBe('Europe/Moscow')
    expect(data.managers.get(2)).toBe('Иван Петров')
    expect(data.clients.get('company:2')).toBe('ООО «Ромашка»')
    const statuses = new Set(data.invoices.map(invoice => invoice.status))
    expect([...statuses].sort()).toEqual(['cancelled', 'draft', 'open', 'paid'])
  })
})
