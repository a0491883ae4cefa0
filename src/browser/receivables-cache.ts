import type { ReceivablesCache, ReceivablesSnapshot } from '../flows/refresh-receivables.ts'

/**
 * The receivables copies in the browser's IndexedDB (browser-only; loaded with the dashboard, never
 * with the deal tab). Database `invoice-desk-receivables`:
 * - `snapshots`, keyed by `key` (`<member id>:<user id>`): one copy per portal and user;
 * - `last`, keyed by `memberId`: the key and portal time written last, small, read before the user is known.
 * Every failure (private mode, quota, a blocked upgrade) rejects; the caller then reads the portal.
 */
const DATABASE = 'invoice-desk-receivables'
const VERSION = 1
const SNAPSHOTS = 'snapshots'
const LAST = 'last'

interface LastRecord {
  readonly memberId: string
  readonly key: string
  readonly portalTime: string
}

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'))
  })
}

function finished(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve()
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'))
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'))
  })
}

function open(factory: IDBFactory): Promise<IDBDatabase> {
  const request = factory.open(DATABASE, VERSION)
  request.onupgradeneeded = () => {
    const db = request.result
    if (!db.objectStoreNames.contains(SNAPSHOTS))
      db.createObjectStore(SNAPSHOTS, { keyPath: 'key' })
    if (!db.objectStoreNames.contains(LAST))
      db.createObjectStore(LAST, { keyPath: 'memberId' })
  }
  return promised(request)
}

/** A `ReceivablesCache` over IndexedDB (`factory`: the browser's `indexedDB` unless given). */
export function indexedDbReceivablesCache(factory: IDBFactory = globalThis.indexedDB): ReceivablesCache {
  let database: Promise<IDBDatabase> | null = null
  const db = (): Promise<IDBDatabase> => {
    database ??= open(factory).catch((error: unknown) => {
      database = null
      throw error
    })
    return database
  }
  return {
    async read(key) {
      const store = (await db()).transaction(SNAPSHOTS, 'readonly').objectStore(SNAPSHOTS)
      return (await promised<ReceivablesSnapshot | undefined>(store.get(key))) ?? null
    },
    async write(snapshot) {
      const transaction = (await db()).transaction([SNAPSHOTS, LAST], 'readwrite')
      transaction.objectStore(SNAPSHOTS).put(snapshot)
      transaction.objectStore(LAST).put({ memberId: snapshot.memberId, key: snapshot.key, portalTime: snapshot.portalTime } satisfies LastRecord)
      await finished(transaction)
    },
    async remove(key) {
      const transaction = (await db()).transaction(SNAPSHOTS, 'readwrite')
      transaction.objectStore(SNAPSHOTS).delete(key)
      await finished(transaction)
    },
    async last(memberId) {
      const store = (await db()).transaction(LAST, 'readonly').objectStore(LAST)
      const record = await promised<LastRecord | undefined>(store.get(memberId))
      return record ? { key: record.key, portalTime: record.portalTime } : null
    },
  }
}
