import type { CollectionState } from '../domain/collection/collection-state.ts'
import type { ClientKey, ReceivableInvoice } from '../domain/receivables/receivable-invoice.ts'
import type { Stage } from '../domain/stage.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { PortalUser } from '../portal/portal-user.ts'
import type { ReceivableRow } from '../portal/receivables/receivable-rows.ts'
import type { RefreshCheck } from '../portal/receivables/refresh-invoices.ts'
import type { PortalCurrency, PortalPipeline } from '../portal/receivables/scan-invoices.ts'
import type { ReceivablesData, ScanReceivablesOptions } from './scan-receivables.ts'
import { calendarDateIn, isKnownTimeZone } from '../domain/calendar-date.ts'
import { portalNow } from '../domain/portal-clock.ts'
import { changesSince, fullReadDue, mergeChangedRows, sameVisibleSet } from '../domain/receivables/incremental-refresh.ts'
import { indexStages } from '../domain/stage.ts'
import { receivableMapper } from '../portal/receivables/receivables-mappers.ts'
import { loadReceivablesNames } from '../portal/receivables/receivables-names.ts'
import { MAX_CHANGED_ROWS, readChangedPage, readChangedRest, readRefreshCheck } from '../portal/receivables/refresh-invoices.ts'
import { paymentsOf, rankClients, scanReceivables } from './scan-receivables.ts'

/**
 * The scanned invoices as kept in the browser, one per portal and user: plain data only (structured
 * clone), so IndexedDB can store it as it is.
 */
export interface ReceivablesSnapshot {
  /** `<member id>:<user id>`: another user's copy is never read (`snapshotKey`). */
  readonly key: string
  readonly memberId: string
  readonly userId: number
  /** Who the copy was read as (`rightsFingerprint`); a different one drops it. */
  readonly fingerprint: string
  /** The portal's rows, ordered by id. */
  readonly rows: readonly ReceivableRow[]
  readonly stages: readonly Stage[]
  readonly user: PortalUser
  readonly currencies: readonly PortalCurrency[]
  readonly baseCurrency: string
  readonly pipelines: readonly PortalPipeline[]
  readonly managers: ReadonlyArray<readonly [number, string]>
  readonly clients: ReadonlyArray<readonly [ClientKey, string]>
  readonly records?: ReadonlyArray<readonly [number, CollectionState]>
  readonly partPaymentsUnread?: number
  readonly partPaymentsLimit?: number
  /** The portal's clock at the last check (`server.time`): the next changes window starts there, less the overlap. */
  readonly portalTime: string
  /** The portal's clock at the last full read (part payments and every row read then). */
  readonly fullReadPortalTime: string
  /** This device's clock at the last check and the last full read, only for «updated … ago». */
  readonly checkedAtMs: number
  readonly fullReadAtMs: number
}

/**
 * Where the kept copies live (IndexedDB in the browser: `src/browser/receivables-cache.ts`). The
 * last-written key per portal is kept apart, small, so that the refresh request can ask for the
 * changes before the user is known.
 */
export interface ReceivablesCache {
  read: (key: string) => Promise<ReceivablesSnapshot | null>
  write: (snapshot: ReceivablesSnapshot) => Promise<void>
  remove: (key: string) => Promise<void>
  /** The key and portal time last written for the portal, or null. */
  last: (memberId: string) => Promise<{ key: string, portalTime: string } | null>
}

/** How the figures were obtained. */
export type ReceivablesOrigin
  = | { readonly kind: 'full', readonly reason: FullReadReason }
    | { readonly kind: 'incremental', readonly changed: number }

/** Why everything was read again. */
export type FullReadReason = 'no-copy' | 'asked' | 'other-rights' | 'visible-set-changed' | 'too-many-changes' | 'copy-too-old' | 'no-portal-time'

/** The dashboard's data and how fresh it is. */
export interface ReceivablesOpened {
  readonly data: ReceivablesData
  readonly origin: ReceivablesOrigin
  /** This device's clock at the last check with the portal and at the last full read (ms). */
  readonly checkedAtMs: number
  readonly fullReadAtMs: number
  /** The portal's time (`server.time`) of the last full read, null when the portal gave none. */
  readonly fullReadPortalTime: string | null
  /** Settles once the copy is written (or its write failed); the figures do not wait for it. */
  readonly saved: Promise<void>
}

export interface OpenReceivablesOptions extends ScanReceivablesOptions {
  /** The portal's member id (the frame's auth data; the webhook's origin in Node). */
  readonly memberId: string
  /** Read everything again, whatever is kept (the refresh button). */
  readonly full?: boolean
  /** The kept figures, shown while they are checked (after the first request, once the user is known). */
  readonly onKept?: (opened: ReceivablesOpened) => void
}

/** The cache key of a user's copy on a portal. */
export function snapshotKey(memberId: string, userId: number): string {
  return `${memberId}:${userId}`
}

/**
 * What the copy's rows were read as: the user and whether they are an administrator. What else the
 * user may read is checked at every refresh against the portal's count, first ids and highest id
 * (`sameVisibleSet`): a role or a department change that adds or removes invoices changes those.
 */
export function rightsFingerprint(user: PortalUser): string {
  return `user:${user.id};admin:${user.isAdmin ? 'Y' : 'N'}`
}

/**
 * Opens the dashboard's data: the copy kept for this portal and user, refreshed with the changes since
 * its last check, in at most 3 HTTP requests with up to 200 changed invoices (the check with the first
 * 50 changes, the other changes, the names of new clients and managers — each only when needed), or a
 * full read (`scanReceivables`, ⌈N/2500⌉ + 2) when there is no copy, the user or what they may read
 * changed, an invoice was deleted, more than 200 changed (`MAX_CHANGED_ROWS`), or the last full read is over a day old.
 * Part payments recorded in timelines are read with the full read only (they do not change the invoice).
 */
export async function openReceivables(portal: PortalClient, cache: ReceivablesCache, options: OpenReceivablesOptions): Promise<ReceivablesOpened> {
  const last = options.full ? null : await cache.last(options.memberId).catch(() => null)
  if (!last)
    return fullRead(portal, cache, options, options.full ? 'asked' : 'no-copy')
  const guess = changesSince(last.portalTime)
  // The copy written last is most likely this user's: read and map it while the portal answers (shown only once the user is known).
  const reading = cache.read(last.key).catch(() => null).then(copy => (copy ? { copy, mapped: mapRows(copy, options) } : null))
  const [check, likely] = await Promise.all([readRefreshCheck(portal, guess), reading])
  const key = snapshotKey(options.memberId, check.user.id)
  const kept = key === last.key ? likely?.copy ?? null : await cache.read(key).catch(() => null)
  const premapped = key === last.key ? likely?.mapped : undefined
  if (!kept)
    return fullRead(portal, cache, options, 'no-copy')
  if (kept.fingerprint !== rightsFingerprint(check.user)) {
    await cache.remove(key).catch(() => undefined)
    return fullRead(portal, cache, options, 'other-rights')
  }
  if (fullReadDue(kept.fullReadPortalTime, check.portalTime))
    return fullRead(portal, cache, options, 'copy-too-old')
  const since = key === last.key ? guess : changesSince(kept.portalTime)
  const answered = key === last.key && check.changed ? check.changed : null
  // The kept figures are worth showing only while more requests are needed.
  if (options.onKept && (!answered || answered.total > answered.rows.length))
    options.onKept({ ...openedFrom(kept, options, { kind: 'incremental', changed: 0 }, premapped, check.portalTime), saved: Promise.resolve() })
  const first = answered ?? await readChangedPage(portal, since)
  if (first.total > MAX_CHANGED_ROWS)
    return fullRead(portal, cache, options, 'too-many-changes')
  const changed = first.total > first.rows.length ? await readChangedRest(portal, since, first) : first.rows
  const rows = mergeChangedRows(kept.rows, changed)
  if (!sameVisibleSet(rows, check.visible)) {
    await cache.remove(key).catch(() => undefined)
    return fullRead(portal, cache, options, 'visible-set-changed')
  }
  const snapshot = await withNames(portal, { ...kept, ...directories(check, kept), rows, portalTime: check.portalTime, checkedAtMs: options.now.getTime() }, changed)
  return { ...openedFrom(snapshot, options, { kind: 'incremental', changed: changed.length }, premapped), saved: keep(cache, snapshot) }
}

/**
 * Writes the copy without making the figures wait for it; a failed write only means the next open
 * reads the portal.
 */
function keep(cache: ReceivablesCache, snapshot: ReceivablesSnapshot): Promise<void> {
  // After the figures are computed and shown: the write clones every row.
  return new Promise((resolve) => {
    setTimeout(() => void cache.write(snapshot).catch(() => undefined).then(resolve), 0)
  })
}

/** The directories as the refresh request read them; the first pipeline's stages replace the kept ones (a stage renamed or made final). */
function directories(check: RefreshCheck, kept: ReceivablesSnapshot): Pick<ReceivablesSnapshot, 'user' | 'currencies' | 'baseCurrency' | 'pipelines' | 'stages'> {
  const fresh = new Set(check.stages.map(stage => stage.id))
  const stages = [...kept.stages.filter(stage => !fresh.has(stage.id)), ...check.stages]
  return { user: check.user, currencies: check.currencies, baseCurrency: check.baseCurrency, pipelines: check.pipelines, stages }
}

/** Everything read again (`scanReceivables`) and kept, when the portal gave its time. */
async function fullRead(portal: PortalClient, cache: ReceivablesCache, options: OpenReceivablesOptions, reason: FullReadReason): Promise<ReceivablesOpened> {
  const data = await scanReceivables(portal, options)
  const at = options.now.getTime()
  const source = data.source
  if (!source?.portalTime)
    return { data, origin: { kind: 'full', reason: 'no-portal-time' }, checkedAtMs: at, fullReadAtMs: at, fullReadPortalTime: null, saved: Promise.resolve() }
  const snapshot: ReceivablesSnapshot = {
    key: snapshotKey(options.memberId, data.user.id),
    memberId: options.memberId,
    userId: data.user.id,
    fingerprint: rightsFingerprint(data.user),
    rows: source.rows,
    stages: source.stages,
    user: data.user,
    currencies: data.currencies,
    baseCurrency: data.baseCurrency,
    pipelines: data.pipelines,
    managers: [...data.managers],
    clients: [...data.clients],
    ...(data.records ? { records: [...data.records] } : {}),
    ...(data.partPaymentsUnread ? { partPaymentsUnread: data.partPaymentsUnread, partPaymentsLimit: data.partPaymentsLimit } : {}),
    portalTime: source.portalTime,
    fullReadPortalTime: source.portalTime,
    checkedAtMs: at,
    fullReadAtMs: at,
  }
  return { data, origin: { kind: 'full', reason }, checkedAtMs: at, fullReadAtMs: at, fullReadPortalTime: source.portalTime, saved: keep(cache, snapshot) }
}

/**
 * The names of the changed rows' new clients and managers and the stages of new pipelines, in ONE
 * batch when any is missing (`loadReceivablesNames`; names are decoration: a failed read leaves them out).
 */
async function withNames(portal: PortalClient, snapshot: ReceivablesSnapshot, changed: readonly ReceivableRow[]): Promise<ReceivablesSnapshot> {
  const stageIds = new Set(snapshot.stages.map(stage => stage.id))
  const pipelines = new Set(snapshot.stages.map(stage => stage.categoryId))
  const managers = new Map(snapshot.managers)
  const clients = new Map(snapshot.clients)
  const categoryIds = new Set<number>()
  const userIds = new Set<number>()
  for (const row of changed) {
    const categoryId = Number(row.categoryId)
    if (row.categoryId !== null && row.categoryId !== undefined && row.categoryId !== '' && !pipelines.has(categoryId) && !stageIds.has(row.stageId ?? ''))
      categoryIds.add(categoryId)
    if (Number(row.assignedById) > 0 && !managers.has(Number(row.assignedById)))
      userIds.add(Number(row.assignedById))
  }
  const unnamed = rankClients(changed).filter(key => !clients.has(key))
  if (categoryIds.size === 0 && userIds.size === 0 && unnamed.length === 0)
    return snapshot
  try {
    const names = await loadReceivablesNames(portal, {
      categoryIds: [...categoryIds],
      userIds: [...userIds].sort((a, b) => a - b),
      companyIds: unnamed.filter(key => key.startsWith('company:')).map(key => Number(key.slice(8))),
      contactIds: unnamed.filter(key => key.startsWith('contact:')).map(key => Number(key.slice(8))),
    })
    names.users.forEach((name, id) => managers.set(id, name))
    names.companies.forEach((name, id) => clients.set(`company:${id}`, name))
    names.contacts.forEach((name, id) => clients.set(`contact:${id}`, name))
    const stages = [...snapshot.stages.filter(stage => !names.stages.some(added => added.id === stage.id)), ...names.stages]
    return { ...snapshot, stages, managers: [...managers], clients: [...clients] }
  }
  catch {
    return snapshot
  }
}

/** A copy's rows mapped with its stages and recorded payments, row for row. */
interface MappedRows {
  readonly rows: readonly ReceivableRow[]
  readonly stages: readonly Stage[]
  readonly invoices: readonly ReceivableInvoice[]
}

/** Every row of a copy mapped with the copy's stages and recorded payments (`receivableMapper`). */
function mapRows(snapshot: ReceivablesSnapshot, options: OpenReceivablesOptions, before?: MappedRows): MappedRows {
  const records = snapshot.records ? new Map(snapshot.records) : undefined
  const payments = options.payments ?? (records ? paymentsOf(records) : undefined)
  const map = receivableMapper(indexStages(snapshot.stages))
  // Mapped before with the same stages: only the rows the refresh replaced or added are mapped again.
  const reused = before && sameStages(before.stages, snapshot.stages) ? before : null
  const invoices = snapshot.rows.map((row, i) => (reused?.rows[i] === row ? reused.invoices[i]! : map(row, payments?.get(Number(row.id)))))
  return { rows: snapshot.rows, stages: snapshot.stages, invoices }
}

/** The same stages by id, in any order (a stage's status depends on its pipeline's stages, not on the list's order). */
function sameStages(a: readonly Stage[], b: readonly Stage[]): boolean {
  const written = (stages: readonly Stage[]) => JSON.stringify([...indexStages(stages).values()].sort((x, y) => x.id.localeCompare(y.id)))
  return a === b || written(a) === written(b)
}

/**
 * The dashboard's data computed from a kept copy: every row mapped with the copy's stages and
 * recorded payments, reusing `premapped` (the copy as read, mapped while the portal answered) for
 * the rows the refresh left as they were, when the stages are the same.
 */
function openedFrom(snapshot: ReceivablesSnapshot, options: OpenReceivablesOptions, origin: ReceivablesOrigin, premapped?: MappedRows, portalTime: string = snapshot.portalTime): Omit<ReceivablesOpened, 'saved'> {
  const timeZone = snapshot.user.timeZone && isKnownTimeZone(snapshot.user.timeZone) ? snapshot.user.timeZone : options.fallbackTimeZone
  const records = snapshot.records ? new Map(snapshot.records) : undefined
  const data: ReceivablesData = {
    invoices: mapRows(snapshot, options, premapped).invoices,
    asOf: calendarDateIn(portalNow(portalTime, options.now), timeZone),
    timeZone,
    user: snapshot.user,
    currencies: snapshot.currencies,
    baseCurrency: snapshot.baseCurrency,
    pipelines: snapshot.pipelines,
    managers: new Map(snapshot.managers),
    clients: new Map(snapshot.clients),
    ...(records ? { records } : {}),
    ...(snapshot.partPaymentsUnread ? { partPaymentsUnread: snapshot.partPaymentsUnread, partPaymentsLimit: snapshot.partPaymentsLimit } : {}),
    source: { rows: snapshot.rows, stages: snapshot.stages, portalTime: snapshot.portalTime },
  }
  return { data, origin, checkedAtMs: snapshot.checkedAtMs, fullReadAtMs: snapshot.fullReadAtMs, fullReadPortalTime: snapshot.fullReadPortalTime }
}
