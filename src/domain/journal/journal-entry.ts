import type { JournalText, JournalTextPart } from './journal-texts.ts'
import { isJournalTextKey } from './journal-texts.ts'

/**
 * The execution journal (README «Execution journal»): one entry per automated action — what was done, to
 * which deal or invoice, by whom (a user in a placement, or the scheduled runner), with what result
 * and the Bitrix24 error if any. Entries are items of the app's own smart process (see
 * `portal/journal/journal-store.ts` for why); this module is their shape and their encoding.
 */

/** What an entry is about. */
export const JOURNAL_ACTIONS = ['invoice', 'document', 'email', 'stage', 'notify', 'task', 'trigger', 'process', 'reminder', 'payment'] as const
/** One of `JOURNAL_ACTIONS`. */
export type JournalAction = typeof JOURNAL_ACTIONS[number]

/** How the action ended; `dryRun` = planned and shown, nothing written (test mode). */
export const JOURNAL_RESULTS = ['ok', 'failed', 'skipped', 'needsAdmin', 'dryRun'] as const
/** One of `JOURNAL_RESULTS`. */
export type JournalResult = typeof JOURNAL_RESULTS[number]

/**
 * Who started the action: a user in one of the app's placements, the scheduled runner (`npm run remind`),
 * or the app without a click (`src/flows/unattended-issue.ts`): the app's robot in Bitrix24's automation
 * (`robot`), auto-issue on a deal's stage change (`auto`), or the poll that finds deals in ready stages (`poll`).
 */
export type JournalActor = 'user' | 'runner' | 'robot' | 'auto' | 'poll'

/** The Bitrix24 error of a failed action. */
export interface JournalError {
  readonly code: string
  readonly message: string
}

/** One action to record. */
export interface JournalEntry {
  readonly action: JournalAction
  readonly result: JournalResult
  readonly by: JournalActor
  readonly dealId: number | null
  readonly invoiceId: number | null
  /** What happened, in the language of whoever wrote it, for people (e.g. «Счёт СЧ-12 отправлен на a@b.ru»). */
  readonly summary: string
  /**
   * The same in no language yet, for the journal screen to say in its reader's language; absent on
   * entries written before it was kept, or when it did not fit (the summary is shown then).
   */
  readonly text?: JournalText
  readonly error: JournalError | null
}

/** An entry as read back from the portal: with its id, time and the user whose token wrote it. */
export interface StoredJournalEntry extends JournalEntry {
  readonly id: number
  /** ISO date-time with the portal's offset, as Bitrix24 gives `createdTime`. */
  readonly at: string
  readonly userId: number
}

/** Title of the smart process the journal lives in (created at install). */
export const JOURNAL_TYPE_TITLE = 'Invoice Desk: журнал'

/** Prefix of every journal entry's `xmlId`; anything else in the smart process is not ours. */
export const JOURNAL_TAG = 'idj'

/** Bitrix24 keeps at most 255 characters of `title` and `xmlId`. */
const FIELD_LIMIT = 255

function clip(text: string): string {
  return text.length <= FIELD_LIMIT ? text : `${text.slice(0, FIELD_LIMIT - 1)}…`
}

/** The characters a text value may not hold as they are: the tag's separators and the escape itself. */
const RESERVED = /[%|;,=]/g
const ESCAPED = /%([0-9A-F]{2})/g

function escapeValue(value: string): string {
  return value.replace(RESERVED, char => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
}

/** An invoice's number that says no more than its id (`#12`): stored as a bare `n`, read back from the id. */
const BY_ID = 'n'

/** `key,name=value,…;key…`, without a `|`, so it never meets the tag's substring filters. */
function encodeText(text: JournalText, invoiceId: number | null): string {
  return text.map(part => [part.key, ...Object.entries(part.values ?? {})
    .map(([name, value]) => (name === BY_ID && invoiceId !== null && value === `#${invoiceId}` ? BY_ID : `${name}=${escapeValue(value)}`))].join(',')).join(';')
}

/** Reads `encodeText` back; null when any part is not ours (a key this app does not know, a broken value). */
function decodeText(encoded: string, invoiceId: number | null): JournalText | null {
  const parts: JournalTextPart[] = []
  for (const part of encoded.split(';')) {
    const [key = '', ...pairs] = part.split(',')
    if (!isJournalTextKey(key))
      return null
    const values: Record<string, string> = {}
    for (const pair of pairs) {
      const at = pair.indexOf('=')
      if (pair === BY_ID && invoiceId !== null)
        values[BY_ID] = `#${invoiceId}`
      else if (at > 0)
        values[pair.slice(0, at)] = pair.slice(at + 1).replace(ESCAPED, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
      else
        return null
    }
    parts.push({ key, values })
  }
  return parts
}

/**
 * The machine-read tag stored in `xmlId`: `idj|<action>|<result>|<by>|<invoiceId or ->|<error code or ->|`,
 * then the entry's `text` when it fits in 255 characters (else none: the summary speaks for it).
 * Its fixed order lets one substring filter (`%xmlId`) select by action, by result, or both.
 */
export function journalTag(entry: Pick<JournalEntry, 'action' | 'result' | 'by' | 'invoiceId' | 'error' | 'text'>): string {
  const tag = clip(`${JOURNAL_TAG}|${entry.action}|${entry.result}|${entry.by}|${entry.invoiceId ?? '-'}|${entry.error?.code ?? '-'}|`)
  const text = entry.text && entry.text.length > 0 ? encodeText(entry.text, entry.invoiceId) : ''
  return tag.length + text.length <= FIELD_LIMIT ? `${tag}${text}` : tag
}

/** The item's `title`: the summary, then the portal's error message when it failed. */
export function journalTitle(entry: Pick<JournalEntry, 'summary' | 'error'>): string {
  return clip(entry.error ? `${entry.summary} — ${entry.error.message}` : entry.summary)
}

/** The substring of `xmlId` that selects `action` and/or `result`; null = no such filter. */
export function journalTagFilter(action: JournalAction | null, result: JournalResult | null): string | null {
  if (action && result)
    return `${JOURNAL_TAG}|${action}|${result}|`
  if (action)
    return `${JOURNAL_TAG}|${action}|`
  if (result)
    return `|${result}|`
  return null
}

const TAG_LINE = /^idj\|([a-z]+)\|([a-zA-Z]+)\|(user|runner|robot|auto|poll)\|(\d+|-)\|([^|]*)\|([^|]*)$/

function isAction(value: string): value is JournalAction {
  return (JOURNAL_ACTIONS as readonly string[]).includes(value)
}

function isResult(value: string): value is JournalResult {
  return (JOURNAL_RESULTS as readonly string[]).includes(value)
}

/** The raw fields of a journal item, as the portal stores them. */
export interface JournalItemFields {
  readonly id: number
  readonly xmlId: string | null
  readonly title: string | null
  readonly createdTime: string
  readonly createdBy: number
  readonly parentId2: number | null
}

/** Reads one item back; null for an item that is not a journal entry (someone added it by hand). */
export function parseJournalItem(item: JournalItemFields): StoredJournalEntry | null {
  const match = TAG_LINE.exec(item.xmlId ?? '')
  if (!match || !isAction(match[1]!) || !isResult(match[2]!))
    return null
  const code = match[5]!
  const title = item.title ?? ''
  const errorAt = code === '-' ? -1 : title.lastIndexOf(' — ')
  const invoiceId = match[4] === '-' ? null : Number(match[4])
  const text = match[6] ? decodeText(match[6], invoiceId) : null
  return {
    id: item.id,
    at: item.createdTime,
    userId: item.createdBy,
    action: match[1],
    result: match[2],
    by: match[3] as JournalActor,
    invoiceId,
    dealId: item.parentId2 && item.parentId2 > 0 ? item.parentId2 : null,
    summary: errorAt >= 0 ? title.slice(0, errorAt) : title,
    ...(text ? { text } : {}),
    error: code === '-' ? null : { code, message: errorAt >= 0 ? title.slice(errorAt + 3) : '' },
  }
}
