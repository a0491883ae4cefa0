import type { MatchCandidates } from './match-payments.ts'
import { digitsKey, numberKey } from './invoice-references.ts'

/**
 * How a portal's invoice numbers look: a prefix, the counter, a suffix. Bitrix24 numbers invoices
 * by a template around a counter (the id, or a sequence padded to a length with `0`; see
 * `bitrix24/b24restdocs` `api-reference/crm/document-generator/numerator/crm-document-generator-numerator-add.md`
 * for the same numerator's `template`, `length` and `padString`), e.g. `СЧ-00012`, `INV-12`, `2026/12`, `12`.
 */
interface NumberShape {
  readonly prefix: string
  /** The counter's width when it is padded with zeros (`00012` → 5); 0 when it is not. */
  readonly width: number
  readonly suffix: string
}

/** Shapes read from the known numbers, most frequent first: a few cover a portal's numbering (older templates too). */
const MAX_SHAPES = 8

/** The counter is the number's last digit group, as `digitsKey` reads it. */
const SHAPE = /^(.*?)(\d+)(\D*)$/su

function shapeOf(number: string): NumberShape | null {
  const parts = SHAPE.exec(number)
  if (!parts)
    return null
  const [, prefix = '', counter = '', suffix = ''] = parts
  return { prefix, width: counter.length > 1 && counter.startsWith('0') ? counter.length : 0, suffix }
}

/** The shapes of `numbers` (the portal's own invoices), the `max` most frequent, ties in the order first seen. */
export function numberShapes(numbers: readonly string[], max = MAX_SHAPES): NumberShape[] {
  const counted = new Map<string, { shape: NumberShape, count: number }>()
  for (const number of numbers) {
    const shape = shapeOf(number)
    if (!shape)
      continue
    const key = `${shape.prefix}\u0000${shape.width}\u0000${shape.suffix}`
    const entry = counted.get(key)
    if (entry)
      entry.count++
    else
      counted.set(key, { shape, count: 1 })
  }
  return [...counted.values()].sort((a, b) => b.count - a.count).slice(0, max).map(entry => entry.shape)
}

/**
 * The numbers the portal's numbering would give the counter `digits` (no leading zeros, as
 * `invoiceReferences` gives them): the digits alone (a portal numbering by the id without a template),
 * then each shape around them (`СЧ-00012` → `СЧ-00010` for `10`). Each has `digitsKey` = `digits`.
 */
export function digitSpellings(digits: string, shapes: readonly NumberShape[]): string[] {
  const out = new Set([digits])
  for (const { prefix, width, suffix } of shapes)
    out.add(`${prefix}${digits.padStart(width, '0')}${suffix}`)
  return [...out]
}

/** What `loadPaidByNumber` asks the portal for: invoices in a paid stage with one of these numbers, or one of these ids. */
export interface PaidLookup {
  /** `accountNumber` values: the numbers the purposes name in full, and the spellings of the digits they name. */
  readonly accountNumbers: readonly string[]
  /**
   * Ids equal to the digits the purposes name: on a portal numbering invoices by their id with a
   * prefix none of the known invoices shows. Such an invoice is kept only if its number carries
   * those digits (`namedByCandidates`): an id alone names nothing.
   */
  readonly ids: readonly number[]
}

/** The largest id the lookup asks for (Bitrix24 ids are 32-bit integers). */
const MAX_ID = 2_147_483_647

/**
 * The lookup for the numbers and digits the purposes name that no invoice of the context carries
 * (`MatchCandidates.unknownNumbers`, `unknownDigits`), the digits spelled in the shapes of
 * `knownNumbers` (the numbers of the invoices the import read: the portal's current numbering).
 * Empty when the purposes name nothing unknown.
 */
export function paidLookup(candidates: MatchCandidates, knownNumbers: readonly string[]): PaidLookup {
  const shapes = candidates.unknownDigits.length > 0 ? numberShapes(knownNumbers) : []
  const accountNumbers = new Set(candidates.unknownNumbers)
  for (const digits of candidates.unknownDigits)
    digitSpellings(digits, shapes).forEach(number => accountNumbers.add(number))
  const ids = candidates.unknownDigits.map(Number).filter(id => Number.isSafeInteger(id) && id > 0 && id <= MAX_ID)
  return { accountNumbers: [...accountNumbers], ids: [...new Set(ids)] }
}

/**
 * Which invoices the lookup found the purposes name: their number named in full, or their
 * number's digits (`digitsKey`) named after an invoice word. Which payment such an invoice belongs
 * to, if any, the matcher decides (the payer's INN, see `matchPayments`).
 */
export function namedByCandidates(candidates: MatchCandidates): (number: string) => boolean {
  const numbers = new Set(candidates.unknownNumbers)
  const digits = new Set(candidates.unknownDigits)
  return number => numbers.has(numberKey(number)) || (digitsKey(number) !== '' && digits.has(digitsKey(number)))
}
