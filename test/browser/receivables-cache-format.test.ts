// The dashboard re-opened over a copy the cache cannot read (an older version's format, a damaged
// record) through the real SDK against the emulator: everything is read again, the copy replaced,
// and the next re-open is incremental — never a crash, never the unreadable rows.
import { readFile } from 'node:fs/promises'
import { IDBFactory } from 'fake-indexeddb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator } from '../emulator/server.ts'
import { indexedDbReceivablesCache } from '../../src/browser/receivables-cache.ts'
import { openReceivables, snapshotKey } from '../../src/flows/refresh-receivables.ts'
import { connectWithWebhook } from '../../src/portal/node/hook-session.ts'
import type { PortalClient } from '../../src/portal/portal-client.ts'

const ACCOUNTANT = 4
let emulator: RunningEmulator
let portal: PortalClient

beforeAll(async () => {
  emulator = await startEmulator({ https: true, data: 'large:600', limits: 'off', port: 0, webhookUserId: ACCOUNTANT })
  portal = connectWithWebhook(emulator.webhookUrl, { caCertificate: await readFile(emulator.caCertPath ?? '', 'utf8') })
  emulator.engine.clock.set(new Date(emulator.engine.clock.now() + 600_000))
})
afterAll(() => emulator.close())

const options = () => ({ memberId: 'member-a', now: new Date(), fallbackTimeZone: 'UTC' })

/** Replaces the stored copy of `key` with `change(record)`, as an older version or a damaged disk left it. */
async function rewrite(factory: IDBFactory, key: string, change: (record: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open('invoice-desk-receivables')
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
  await new Promise<void>((resolve, reject) => {
    const transaction = db.transaction('snapshots', 'readwrite')
    const store = transaction.objectStore('snapshots')
    const get = store.get(key)
    get.onsuccess = () => store.put(change(get.result as Record<string, unknown>))
    transaction.oncomplete = () => resolve()
    transaction.onerror = () => reject(transaction.error)
  })
  db.close()
}

describe('browser/receivables-cache: an unreadable copy on re-open', () => {
  const cases: Array<[string, (record: Record<string, unknown>) => Record<string, unknown>]> = [
    ['an older version\'s copy (rows as arrays)', ({ chunks: _chunks, fields: _fields, ...rest }) => ({ ...rest, format: 'rows-as-arrays-1', rows: [[1, 'СЧ-1', 'DT31_1:N', 0, null, null, '100.00', 'RUB', 1, null, 1, null]] })],
    ['a damaged copy (a column cut short)', record => ({ ...record, chunks: (record.chunks as Array<{ length: number }>).map(chunk => ({ ...chunk, length: chunk.length + 1 })) })],
  ]
  for (const [name, change] of cases) {
    it(`${name} is read again from the portal and replaced; the next re-open is incremental`, async () => {
      const factory = new IDBFactory()
      const first = await openReceivables(portal, indexedDbReceivablesCache(factory), options())
      await first.saved
      expect(first.origin).toEqual({ kind: 'full', reason: 'no-copy' })
      await rewrite(factory, snapshotKey('member-a', ACCOUNTANT), change)

      const again = await openReceivables(portal, indexedDbReceivablesCache(factory), options())
      await again.saved
      expect(again.origin).toEqual({ kind: 'full', reason: 'no-copy' })
      expect(again.data.invoices).toHaveLength(first.data.invoices.length)

      const third = await openReceivables(portal, indexedDbReceivablesCache(factory), options())
      expect(third.origin).toEqual({ kind: 'incremental', changed: 0 })
      expect(third.data.invoices).toEqual(first.data.invoices)
    })
  }
})

describe('flows/refresh-receivables: the kept rows mapped while the portal answers', () => {
  it('are mapped again when the portal\'s stages changed meanwhile (a draft stage moved: unchanged invoices change status)', async () => {
    const factory = new IDBFactory()
    const first = await openReceivables(portal, indexedDbReceivablesCache(factory), options())
    await first.saved
    const stages = emulator.state.statuses.filter(status => status.STATUS_ID.endsWith(':N') && status.ENTITY_ID.startsWith('SMART_INVOICE_STAGE'))
    expect(stages.length).toBeGreaterThan(0)
    const sorts = stages.map(stage => stage.SORT)
    try {
      stages.forEach((stage) => {
        stage.SORT = '999'
      })
      const again = await openReceivables(portal, indexedDbReceivablesCache(factory), options())
      expect(again.origin).toEqual({ kind: 'incremental', changed: 0 })
      const fresh = await openReceivables(portal, indexedDbReceivablesCache(new IDBFactory()), options())
      expect(fresh.origin.kind).toBe('full')
      const statuses = (opened: typeof again) => opened.data.invoices.map(invoice => `${invoice.id}:${invoice.status}`)
      expect(statuses(again)).toEqual(statuses(fresh))
      // The change mattered: some invoice's status is not what it was.
      expect(statuses(again)).not.toEqual(statuses(first))
    }
    finally {
      stages.forEach((stage, i) => {
        stage.SORT = sorts[i]!
      })
    }
  })
})
