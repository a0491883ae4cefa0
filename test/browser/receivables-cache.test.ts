// The IndexedDB copies of the scanned invoices (fake-indexeddb stands in for the browser's):
// one per portal and user, the last written per portal, removal, and failures surface as rejections.
import { IDBFactory } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { indexedDbReceivablesCache } from '../../src/browser/receivables-cache.ts'
import { snapshotKey, type ReceivablesSnapshot } from '../../src/flows/refresh-receivables.ts'

function snapshot(memberId: string, userId: number, portalTime: string, rows = 2): ReceivablesSnapshot {
  return {
    key: snapshotKey(memberId, userId), memberId, userId, fingerprint: `user:${userId};admin:N`,
    rows: Array.from({ length: rows }, (_, index) => ({ id: index + 1, stageId: 'DT31_1:N', opportunity: '100.00' })),
    stages: [], user: { id: userId, isAdmin: false, name: 'U', timeZone: null }, currencies: [], baseCurrency: 'RUB', pipelines: [],
    managers: [[2, 'Иван Петров']], clients: [['company:1', 'ООО «Ромашка»']],
    portalTime, fullReadPortalTime: portalTime, checkedAtMs: 1, fullReadAtMs: 1,
  }
}

describe('browser/receivables-cache', () => {
  it('keeps one copy per portal and user, read back as written (Maps as pairs)', async () => {
    const cache = indexedDbReceivablesCache(new IDBFactory())
    await cache.write(snapshot('a', 4, '2026-12-05T03:00:00+03:00'))
    await cache.write(snapshot('a', 2, '2026-12-05T03:05:00+03:00', 5))
    await cache.write(snapshot('b', 4, '2026-12-05T03:07:00+03:00', 1))
    expect((await cache.read('a:4'))?.rows).toHaveLength(2)
    expect((await cache.read('a:2'))?.rows).toHaveLength(5)
    expect((await cache.read('b:4'))?.managers).toEqual([[2, 'Иван Петров']])
    expect(await cache.read('a:3')).toBeNull()
  })

  it('remembers the key and portal time written last per portal', async () => {
    const cache = indexedDbReceivablesCache(new IDBFactory())
    expect(await cache.last('a')).toBeNull()
    await cache.write(snapshot('a', 4, '2026-12-05T03:00:00+03:00'))
    await cache.write(snapshot('a', 2, '2026-12-05T03:05:00+03:00'))
    expect(await cache.last('a')).toEqual({ key: 'a:2', portalTime: '2026-12-05T03:05:00+03:00' })
  })

  it('drops a copy', async () => {
    const cache = indexedDbReceivablesCache(new IDBFactory())
    await cache.write(snapshot('a', 4, '2026-12-05T03:00:00+03:00'))
    await cache.remove('a:4')
    expect(await cache.read('a:4')).toBeNull()
  })

  it('survives a new connection to the same database (a re-opened page)', async () => {
    const factory = new IDBFactory()
    await indexedDbReceivablesCache(factory).write(snapshot('a', 4, '2026-12-05T03:00:00+03:00', 3))
    expect((await indexedDbReceivablesCache(factory).read('a:4'))?.rows).toHaveLength(3)
  })

  it('rejects when the browser refuses the database (the caller then reads the portal)', async () => {
    const refusing = {
      open: () => {
        throw new DOMException('blocked', 'SecurityError')
      },
    } as unknown as IDBFactory
    await expect(indexedDbReceivablesCache(refusing).read('a:4')).rejects.toThrow('blocked')
  })
})

/** A record put into the database as it is, bypassing the cache's own writes (an older version's, a damaged one). */
async function putRaw(factory: IDBFactory, record: Record<string, unknown>): Promise<void> {
  // The cache creates its stores on first use.
  await indexedDbReceivablesCache(factory).last('x')
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open('invoice-desk-receivables')
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
  await new Promise<void>((resolve, reject) => {
    const transaction = db.transaction('snapshots', 'readwrite')
    transaction.objectStore('snapshots').put(record)
    transaction.oncomplete = () => resolve()
    transaction.onerror = () => reject(transaction.error)
  })
  db.close()
}

describe('browser/receivables-cache: the stored format', () => {
  it('reads back every selected field of every row as the portal sent it (ids as numbers or strings, empty values, 12,000 rows in chunks)', async () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => ({
      id: i % 7 === 0 ? String(i + 1) : i + 1,
      accountNumber: `СЧ-${i + 1}`,
      stageId: ['DT31_1:N', 'DT31_1:S', 'DT31_1:P'][i % 3]!,
      categoryId: i % 5 === 0 ? '0' : 1,
      begindate: `2026-${String(1 + (i % 12)).padStart(2, '0')}-01T00:00:00+03:00`,
      closedate: i % 11 === 0 ? null : `2026-12-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00+03:00`,
      opportunity: i % 2 === 0 ? 1000.5 + i : `${i}.25`,
      currencyId: i % 9 === 0 ? 'USD' : 'RUB',
      companyId: i % 4 === 0 ? null : i % 500,
      contactId: i % 4 === 0 ? String(i % 300) : null,
      assignedById: 1 + (i % 9),
      movedTime: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00+03:00`,
      parentId2: i % 3 === 0 ? undefined : i % 2000,
    }))
    const cache = indexedDbReceivablesCache(new IDBFactory())
    const kept = { ...snapshot('a', 4, '2026-12-05T03:00:00+03:00'), rows }
    await cache.write(kept)
    const read = await cache.read('a:4')
    expect(read?.rows).toHaveLength(12_000)
    expect(read?.rows[0]).toEqual(rows[0])
    expect(read?.rows).toEqual(rows)
    expect({ ...read, rows: [] }).toEqual({ ...kept, rows: [] })
  })

  it('an older version\'s record (rows as arrays) reads as no copy, and the next write replaces it', async () => {
    const factory = new IDBFactory()
    const old = { ...snapshot('a', 4, '2026-12-05T03:00:00+03:00'), format: 'rows-as-arrays-1', rows: [[1, 'СЧ-1', 'DT31_1:N', 0, null, null, '100.00', 'RUB', 1, null, 1, null]] }
    await putRaw(factory, old)
    const cache = indexedDbReceivablesCache(factory)
    expect(await cache.read('a:4')).toBeNull()
    await cache.write(snapshot('a', 4, '2026-12-05T03:10:00+03:00', 3))
    expect((await cache.read('a:4'))?.rows).toHaveLength(3)
  })

  it('a damaged record reads as no copy, never as wrong rows or an error', async () => {
    const factory = new IDBFactory()
    const cache = indexedDbReceivablesCache(factory)
    await cache.write(snapshot('a', 4, '2026-12-05T03:00:00+03:00', 3))
    const good = await new Promise<Record<string, unknown>>((resolve) => {
      const request = factory.open('invoice-desk-receivables')
      request.onsuccess = () => {
        const get = request.result.transaction('snapshots').objectStore('snapshots').get('a:4')
        get.onsuccess = () => {
          request.result.close()
          resolve(get.result as Record<string, unknown>)
        }
      }
    })
    const chunks = good.chunks as Array<{ length: number, columns: Array<Record<string, unknown>> }>
    const column = (index: number, value: Record<string, unknown>) => [{ ...chunks[0]!, columns: chunks[0]!.columns.map((c, i) => (i === index ? value : c)) }]
    const damaged: Array<Record<string, unknown>> = [
      { ...good, chunks: 'rows' },
      { ...good, chunks: [{ length: 3, columns: chunks[0]!.columns.slice(1) }] },
      { ...good, chunks: [{ ...chunks[0], length: 4 }] },
      { ...good, chunks: column(2, { kind: 'dictionary', dictionary: ['DT31_1:N'], codes: new Uint16Array([0, 1, 0]) }) },
      { ...good, chunks: column(0, { kind: 'numbers', values: [1, 2, 3] }) },
      { ...good, chunks: column(1, { kind: 'something', values: ['a', 'b', 'c'] }) },
      { ...good, fields: ['id', 'stageId'] },
      { ...good, stages: null },
      { ...good, user: undefined },
      { ...good, format: undefined },
    ]
    for (const record of damaged) {
      await putRaw(factory, record)
      expect(await cache.read('a:4')).toBeNull()
    }
  })
})
