/**
 * Refreshing a kept copy of the scanned invoices instead of reading all of them again (pure, no I/O,
 * no clock: every instant comes from the portal's own clock, `server.time`).
 *
 * 1. The rows changed since the last check: `crm.item.list` with `updatedTime` or `movedTime` at or
 *    after the last check's portal time minus an overlap (`changesSince`), so a write stamped a little
 *    before the instant the portal reported (another web node's clock, a slow transaction) is still
 *    read. A row read twice is harmless: the merge replaces by id (`mergeChangedRows`).
 * 2. What the user may read, as the portal counts it now: the number of invoices, the first ids and the
 *    highest id (`VisibleSet`). After the merge the kept rows must show the same (`sameVisibleSet`);
 *    when they do not, an invoice was deleted or the user's rights changed (an invoice left or entered
 *    what they may read without a change of its own): the copy is dropped and everything read again.
 */

/** Seconds the changes window reaches back before the last check's portal time. */
export const REFRESH_OVERLAP_SECONDS = 300

/** The kept copy is read in full again when its last full read is older than this (part payments, stage settings). */
export const FULL_READ_MAX_AGE_HOURS = 24

/** A row the merge can key: the portal sends ids as numbers or strings. */
export interface RowWithId {
  readonly id: number | string
}

/** What the user may read, as the portal reports it in the refresh request. */
export interface VisibleSet {
  /** Invoices the user may read (`total` of a counted page). */
  readonly total: number
  /** The lowest ids, ascending (one page: up to 50). */
  readonly firstIds: readonly number[]
  /** The highest id; 0 when there is none. */
  readonly maxId: number
}

const PORTAL_INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?([+-]\d{2}):?(\d{2})$/

/** Milliseconds since the epoch of a portal datetime `YYYY-MM-DDThh:mm:ss±hh:mm`; null when malformed. */
export function portalInstantMs(value: string): number | null {
  const match = PORTAL_INSTANT.exec(value.trim())
  if (!match)
    return null
  const ms = Date.parse(`${match[1]}T${match[2]}${match[3]}:${match[4]}`)
  return Number.isNaN(ms) ? null : ms
}

/**
 * The lower bound for the changes filter: `portalTime` minus `overlapSeconds`, written in the same
 * offset as the portal wrote it (R: api-reference/data-types.md, `datetime`). Throws on a malformed time.
 */
export function changesSince(portalTime: string, overlapSeconds: number = REFRESH_OVERLAP_SECONDS): string {
  const match = PORTAL_INSTANT.exec(portalTime.trim())
  const ms = portalInstantMs(portalTime)
  if (!match || ms === null)
    throw new Error(`Not a portal datetime: ${portalTime}`)
  const offsetMinutes = (match[3]!.startsWith('-') ? -1 : 1) * (Math.abs(Number(match[3])) * 60 + Number(match[4]))
  const local = new Date(ms - overlapSeconds * 1000 + offsetMinutes * 60_000).toISOString().slice(0, 19)
  return `${local}${match[3]}:${match[4]}`
}

/** Whether the last full read (`fullReadPortalTime`) is older than `maxAgeHours` at `nowPortalTime`, or either time is unreadable. */
export function fullReadDue(fullReadPortalTime: string, nowPortalTime: string, maxAgeHours: number = FULL_READ_MAX_AGE_HOURS): boolean {
  const then = portalInstantMs(fullReadPortalTime)
  const now = portalInstantMs(nowPortalTime)
  return then === null || now === null || now - then > maxAgeHours * 3_600_000
}

/**
 * The kept rows with the changed ones put in (replaced by id, or added when new), ordered by id.
 * A changed row read twice (the overlap, two pages) counts once; the last one read wins.
 */
export function mergeChangedRows<T extends RowWithId>(kept: readonly T[], changed: readonly T[]): T[] {
  if (changed.length === 0)
    return [...kept]
  const byId = new Map<number, T>()
  for (const row of changed)
    byId.set(Number(row.id), row)
  const merged: T[] = []
  for (const row of kept) {
    const id = Number(row.id)
    const replacement = byId.get(id)
    merged.push(replacement ?? row)
    byId.delete(id)
  }
  if (byId.size === 0)
    return merged
  merged.push(...byId.values())
  return merged.sort((a, b) => Number(a.id) - Number(b.id))
}

/**
 * Whether `rows` (ordered by id) are what the portal says the user may read: the same number, the
 * same first ids and the same highest id. False after a deletion (one row fewer on the portal), a
 * rights change, or an invoice created between the commands of the refresh request.
 */
export function sameVisibleSet(rows: readonly RowWithId[], portal: VisibleSet): boolean {
  if (rows.length !== portal.total)
    return false
  if (rows.length === 0)
    return portal.maxId === 0
  if (Number(rows[rows.length - 1]!.id) !== portal.maxId)
    return false
  return portal.firstIds.every((id, index) => Number(rows[index]?.id) === id)
}
