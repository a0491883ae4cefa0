/**
 * Invoice numbers a payment's purpose names. Two kinds of reference:
 * - a token that IS an invoice's number as the portal wrote it (`СЧ-00012`, `2026/12`): found
 *   by looking every token of the purpose up in the index of numbers (`numberKey`);
 * - digits after a word for "invoice" (`счет № 12`, `сч. 12, 15`, `по счетам №№ 12 и 15`,
 *   `invoice #12`): matched against the numbers' trailing digits (`digitsKey`).
 * A bare `№ 12` is not taken: it is as often a contract's or an act's number.
 */
export interface InvoiceReferences {
  /** Normalised tokens of the purpose, in order (look each up with `numberKey`). */
  readonly tokens: readonly string[]
  /** Digit groups after an "invoice" word, without leading zeros, in order. */
  readonly digits: readonly string[]
  /** The token right after each "invoice" word when it has a digit (`СЧ-00010`), as `numberKey`: a number the portal may hold. */
  readonly named: readonly string[]
}

// "сч", "сч.", "счет", "счёт", "счета", "счету", "счетам", "счетов"... — not inside "расчет" (the lookbehind).
const INVOICE_WORD = /(?<![\p{L}\d])(?:сч(?:[её]т(?:а|у|ом|ам|ами|ах|ов|е)?)?|invoices?|inv)(?![\p{L}])\.?\s*(?:(?:№|N|#|no\.?)\s*)*/giu
const NUMBER_ITEM = /^(?:[\p{L}]{1,5}-?)?(\d{1,12})(?!\d)(?![.,]\d)/u
const TOKEN_SEPARATORS = /[\s,;()«»"']+/u
const HAS_DIGIT = /\d/
const NAMED_START = /^[\p{L}\d№]/u
const MAYBE_WORD = /сч|inv/i
const LIST_GLUE = /^\s*(?:,|;|и|and|&)\s*(?:(?:№|N|#)\s*)*/iu

/** The portal's number as a lookup key: upper case, no spaces, `ё`→`е`. */
export function numberKey(text: string): string {
  return text.toUpperCase().replace(/Ё/g, 'Е').replace(/\s+/g, '')
}

/** The number's last digit group without leading zeros (`СЧ-00012` → `12`); empty when it has no digits. */
export function digitsKey(number: string): string {
  const group = /(\d+)\D*$/.exec(number)?.[1] ?? ''
  return group.replace(/^0+(?=\d)/, '')
}

function listAfter(text: string): string[] {
  const found: string[] = []
  let rest = text
  for (;;) {
    const item = NUMBER_ITEM.exec(rest)
    if (!item)
      return found
    found.push(item[1]!.replace(/^0+(?=\d)/, ''))
    rest = rest.slice(item[0].length)
    const glue = LIST_GLUE.exec(rest)
    if (!glue)
      return found
    rest = rest.slice(glue[0].length)
  }
}

/** The references a purpose text makes (see the module comment). */
export function invoiceReferences(purpose: string): InvoiceReferences {
  const tokens: string[] = []
  for (const token of purpose.split(TOKEN_SEPARATORS)) {
    if (HAS_DIGIT.test(token))
      tokens.push(numberKey(token.replace(/^№+/u, '').replace(/[.:]+$/u, '')))
  }
  const digits: string[] = []
  const named: string[] = []
  // Most purposes of a long statement name no invoice at all: skip the word scan for them.
  if (MAYBE_WORD.test(purpose)) {
    for (const match of purpose.matchAll(INVOICE_WORD)) {
      const after = purpose.slice(match.index + match[0].length)
      digits.push(...listAfter(after))
      const first = after.split(TOKEN_SEPARATORS, 1)[0] ?? ''
      // Not the rest of a number the word began (`СЧ-00010` read as "сч" + `-00010`).
      if (HAS_DIGIT.test(first) && NAMED_START.test(first))
        named.push(numberKey(first.replace(/^№+/u, '').replace(/[.:]+$/u, '')))
    }
  }
  return { tokens, digits: [...new Set(digits)], named: [...new Set(named)] }
}
