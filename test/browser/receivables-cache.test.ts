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
