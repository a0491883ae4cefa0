import type { ReceivablesCache, ReceivablesSnapshot } from '../flows/refresh-receivables.ts'
import type { EncodedRows, StoredChunk } from '../portal/receivables/receivable-columns.ts'
import { CHUNK_ROWS, decodeRows, encodeChunk, ROW_FIELDS, unchangedChunk } from '../portal/receivables/receivable-columns.ts'

/**
 * The receivables copies in the browser's IndexedDB (browser-only; loaded with the dashboard, never
 * with the deal tab). Database `invoice-desk-receivables`:
 * - `snapshots`, keyed by `key` (`<member id>:<user id>`): one copy per portal and user, one record
 *   read in one request;
 * - `last`, keyed by `memberId`: the key and portal time written last, small, read before the user is known.
 * Every failure (private mode, quota, a blocked upgrade) rejects; the caller then reads the portal.
 * Rows are stored as columns in chunks (`portal/receivables/receivable-columns.ts`): 100,000 rows clone in tens of
 * milliseconds instead of hundreds. A record in any other format (an older version's, a damaged
 * one) reads as no copy: the caller reads the portal and the next write replaces it.
 */
const DATABASE = 'invoice-desk-receivables'
const VERSION = 1
const SNAPSHOTS = 'snapshots'
const LAST = 'last'
/** The stored format; a record with another is not read. */
const FORMAT = 'columns-2'

type StoredSnapshot = Omit<ReceivablesSnapshot, 'rows'> & {
  readonly format: typeof FORMAT
  readonly fields: readonly string[]
  readonly chunks: readonly StoredChunk[]
}

/**
 * Waits until the page is idle (`requestIdleCallback`, https://w3c.github.io/requestidlecallback/,
 * at most `timeoutMs`) or, where there is none, for the next task: the copy is written after the
 * figures are painted, one chunk per task, so that no single task of the page encodes 100,000 rows.
 */
function nextIdle(timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function')
      requestIdleCallback(() => resolve(), { timeout: timeoutMs })
    else
      setTimeout(resolve, 0)
  })
}

/** The copy as stored: its rows in chunks, each chunk `before` holds unchanged reused, the others encoded one per idle task. */
async function pack(snapshot: ReceivablesSnapshot, before: EncodedRows | null): Promise<StoredSnapshot> {
  const { rows, ...rest } = snapshot
  const chunks: StoredChunk[] = []
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const kept = unchangedChunk(rows, start, before)
    if (kept) {
      chunks.push(kept)
      continue
    }
    await nextIdle(1_000)
    chunks.push(encodeChunk(rows, start))
  }
  return { ...rest, format: FORMAT, fields: [...ROW_FIELDS], chunks }
}

const isArray = (value: unknown): boolean => Array.isArray(value)
const isText = (value: unknown): boolean => typeof value === 'string'

/** The copy and its stored chunks, or null when the record is missing, of another format or damaged. */
function unpack(stored: StoredSnapshot | undefined): { snapshot: ReceivablesSnapshot, chunks: readonly StoredChunk[] } | null {
  if (!stored || typeof stored !== 'object' || stored.format !== FORMAT)
    return null
  if (!isArray(stored.fields) || stored.fields.join() !== ROW_FIELDS.join())
    return null
  const lists = [stored.stages, stored.currencies, stored.pipelines, stored.managers, stored.clients]
  if (![stored.key, stored.memberId, stored.fingerprint, stored.portalTime, stored.fullReadPortalTime, stored.baseCurrency].every(isText)
    || !lists.every(isArray) || (stored.records !== undefined && !isArray(stored.records))
    || typeof stored.user !== 'object' || stored.user === null || typeof stored.checkedAtMs !== 'number' || typeof stored.fullReadAtMs !== 'number') {
    return null
  }
  try {
    const { format: _format, fields: _fields, chunks, ...rest } = stored
    return { snapshot: { ...rest, rows: decodeRows(chunks) }, chunks }
  }
  catch {
    return null
  }
}

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
  /** The rows last read or written by this page with their chunks: a write re-encodes only the chunks whose rows changed. */
  let encoded: EncodedRows | null = null
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
      const read = unpack(await promised<StoredSnapshot | undefined>(store.get(key)))
      if (read)
        encoded = { rows: read.snapshot.rows, chunks: read.chunks }
      return read?.snapshot ?? null
    },
    async write(snapshot) {
      const stored = await pack(snapshot, encoded)
      const transaction = (await db()).transaction([SNAPSHOTS, LAST], 'readwrite')
      transaction.objectStore(SNAPSHOTS).put(stored)
      transaction.objectStore(LAST).put({ memberId: snapshot.memberId, key: snapshot.key, portalTime: snapshot.portalTime } satisfies LastRecord)
      await finished(transaction)
      encoded = { rows: snapshot.rows, chunks: stored.chunks }
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
