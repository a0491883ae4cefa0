/**
 * Portal time: Europe/Moscow, a fixed +03:00 offset (no DST since 2014).
 * Datetime fields come back as ISO 8601 with the portal offset, e.g. `2024-07-22T18:00:08+03:00`
 * (R: api-reference/crm/universal/crm-item-get.md, createdTime).
 * Date-only fields (`begindate`, `closedate`) come back as midnight UTC of that date expressed in the
 * portal offset, e.g. `2024-06-18T02:00:00+02:00` on a +02:00 portal
 * (R: api-reference/crm/universal/crm-item-add.md and crm-item-update.md response examples), so here
 * `2024-06-18T03:00:00+03:00`.
 */
export const PORTAL_TIME_ZONE = 'Europe/Moscow'
export const PORTAL_OFFSET_MINUTES = 180
const OFFSET_TEXT = '+03:00'
const DAY_MS = 86_400_000

const pad = (value: number): string => String(value).padStart(2, '0')

/** `2024-07-22T18:00:08+03:00` for an instant. */
export function formatPortalDateTime(instant: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime()
  const local = new Date(Math.floor(ms / 1000) * 1000 + PORTAL_OFFSET_MINUTES * 60_000)
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`
    + `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${OFFSET_TEXT}`
}

/** The portal calendar date (YYYY-MM-DD) of an instant. */
export function portalDateOf(instant: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime()
  return new Date(ms + PORTAL_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10)
}

/** A date-only value (YYYY-MM-DD) as crm.item returns it: `2024-06-18T03:00:00+03:00`. */
export function formatPortalDate(date: string): string {
  return `${date}T03:00:00${OFFSET_TEXT}`
}

/** Adds whole days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
}

/**
 * Reads what a client may send for a date or datetime field: `YYYY-MM-DD`, `DD.MM.YYYY` or ISO 8601
 * with or without an offset (no offset = portal time). Returns the instant in ms, or null.
 */
export function parsePortalInstant(value: unknown): number | null {
  if (typeof value !== 'string' || value === '') return null
  const ru = /^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value)
  if (ru) {
    const iso = `${ru[3]}-${ru[2]}-${ru[1]}T${ru[4] ?? '00'}:${ru[5] ?? '00'}:${ru[6] ?? '00'}${OFFSET_TEXT}`
    return Date.parse(iso)
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T00:00:00${OFFSET_TEXT}`)
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return Date.parse(`${value.replace(' ', 'T')}${OFFSET_TEXT}`)
  const parsed = Date.parse(value)
  return Number.isNaN(parsed) ? null : parsed
}

/** The portal calendar date of a date value a client sent, or null. */
export function parsePortalDate(value: unknown): string | null {
  const instant = parsePortalInstant(value)
  if (instant === null) return null
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T03:00:00\+03:00$/.test(value)) return value.slice(0, 10)
  return portalDateOf(instant)
}
