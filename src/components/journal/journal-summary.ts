import type { Locale } from '../../domain/format.ts'
import type { StoredJournalEntry } from '../../domain/journal/journal-entry.ts'
import type { JournalText } from '../../domain/journal/journal-texts.ts'
import { renderJournalText } from '../../domain/journal/journal-texts.ts'

/** An entry's summary as one reader sees it. */
export interface JournalSummary {
  readonly text: string
  /** True when it is shown as written, in a language that seems not to be the reader's (an entry older than its `text`). */
  readonly asWritten: boolean
}

const CYRILLIC = /[\u0400-\u04FF]/

/** `#12` in `text` where the invoice's number is known: entries written before the number was. */
function withNumber(text: JournalText, invoiceId: number, number: string): JournalText {
  return text.map(part => (part.values?.n === `#${invoiceId}` ? { ...part, values: { ...part.values, n: number } } : part))
}

/**
 * What `entry` says in `locale`: rendered from its `text`, else its stored summary (entries written
 * before `text` was kept), `#id` replaced by the invoice's number from `invoices` either way.
 */
export function journalSummary(entry: StoredJournalEntry, locale: Locale, invoices?: ReadonlyMap<number, string>): JournalSummary {
  const number = entry.invoiceId === null ? undefined : invoices?.get(entry.invoiceId)
  if (entry.text)
    return { text: renderJournalText(locale, number ? withNumber(entry.text, entry.invoiceId!, number) : entry.text), asWritten: false }
  const text = number ? entry.summary.replace(new RegExp(`#${entry.invoiceId}(?!\\d)`, 'g'), number) : entry.summary
  // Every Russian summary has Cyrillic words; an English one has none but in names it quotes.
  const russian = CYRILLIC.test(text)
  return { text, asWritten: locale === 'en' ? russian : !russian && /[a-z]/i.test(text) }
}
