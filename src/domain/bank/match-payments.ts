import type { CalendarDate } from '../calendar-date.ts'
import type { PaymentRecord } from '../collection/collection-state.ts'
import type { Money } from '../money.ts'
import type { BankDocument } from './bank-statement.ts'
import { digitsKey, invoiceReferences, numberKey } from './invoice-references.ts'

/** An invoice as the matcher sees it: open ones can be paid, closed ones only tell "already recorded". */
export interface MatchInvoice {
  readonly id: number
  /** The portal's `accountNumber`, e.g. `СЧ-00012`. */
  readonly number: string
  /** The clients whose requisites may carry the payer's INN (`clientKey`). */
  readonly clients: readonly string[]
  /** What is left to pay now (the sum minus recorded payments); ignored for closed invoices. */
  readonly balance: Money
  /** False for paid or cancelled invoices. */
  readonly open: boolean
  readonly dueDate: CalendarDate | null
  /** Payments recorded on it (its timeline): a bank document found here was already recorded. */
  readonly payments: readonly PaymentRecord[]
}

export interface MatchContext {
  readonly invoices: readonly MatchInvoice[]
  /** Payer INN → the clients whose requisites carry it (`crm.requisite.list`). */
  readonly clientsByInn: ReadonlyMap<string, readonly string[]>
}

/** `company:5`, `contact:7`: how invoices and requisites name a client. */
export function clientKey(kind: 'company' | 'contact', id: number): string {
  return `${kind}:${id}`
}

/** high: number and amount; medium: number, or INN and amount; low: INN only; manual: the accountant chose. */
export type MatchConfidence = 'high' | 'medium' | 'low' | 'manual'

/** Why a payment was matched so (or not), shown to the accountant next to the confidence. */
export type MatchReason
  = | 'number' | 'amount' | 'inn' | 'innOther' | 'partial' | 'overpayment' | 'severalInvoices' | 'oldestFirst'
    | 'numberClosed' | 'otherCurrency' | 'ambiguousNumber' | 'unknownPayer' | 'noOpenInvoices'
    | 'recordedByRef' | 'recordedSameDay' | 'manual' | 'partlyRecorded'

/** A part of a payment going to one invoice. `full`: it pays the invoice's whole balance. */
export interface Allocation {
  readonly invoiceId: number
  readonly amount: Money
  readonly full: boolean
}

/**
 * One bank document and what to do with it: `matched` (allocations to record), `unmatched`
 * (listed with the statement for the accountant to assign or leave), `recorded` (found in the
 * invoices' records: importing it again records nothing).
 */
export interface PaymentMatch {
  readonly document: BankDocument
  readonly status: 'matched' | 'unmatched' | 'recorded'
  readonly confidence: MatchConfidence | null
  readonly allocations: readonly Allocation[]
  /** What the payment brings beyond the balances it covers; null when nothing. */
  readonly overpayment: Money | null
  readonly reasons: readonly MatchReason[]
  /** For `recorded`: the invoices whose records hold it. */
  readonly recordedOn: readonly number[]
  /** For `numberClosed`: the closed (paid) invoices the purpose names, to say which one is paid. */
  readonly closedNamed?: readonly number[]
}

interface Index {
  readonly byNumber: Map<string, MatchInvoice[]>
  readonly byDigits: Map<string, MatchInvoice[]>
  readonly byClient: Map<string, MatchInvoice[]>
  readonly byRef: Map<string, number[]>
  /** Minor units already recorded under each bank key (all invoices together). */
  readonly byRefAmount: Map<string, number>
  readonly clientsByInn: ReadonlyMap<string, readonly string[]>
  /** Running balances in minor units: earlier payments of the statement use them up. */
  readonly balances: Map<number, number>
  /** Payment records without a bank reference already taken as some document's record. */
  readonly claimed: Set<number>
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list)
    list.push(value)
  else
    map.set(key, [value])
}

function buildIndex(context: MatchContext): Index {
  const index: Index = { byNumber: new Map(), byDigits: new Map(), byClient: new Map(), byRef: new Map(), byRefAmount: new Map(), clientsByInn: context.clientsByInn, balances: new Map(), claimed: new Set() }
  for (const invoice of context.invoices) {
    // Plain-digit numbers are only found after an "invoice" word: "12" alone is too common in a purpose.
    if (/\D/.test(invoice.number))
      push(index.byNumber, numberKey(invoice.number), invoice)
    const digits = digitsKey(invoice.number)
    if (digits)
      push(index.byDigits, digits, invoice)
    invoice.clients.forEach(client => push(index.byClient, client, invoice))
    for (const payment of invoice.payments) {
      if (payment.bankRef) {
        push(index.byRef, payment.bankRef, invoice.id)
        index.byRefAmount.set(payment.bankRef, (index.byRefAmount.get(payment.bankRef) ?? 0) + payment.amount.amountMinor)
      }
    }
    index.balances.set(invoice.id, invoice.open ? invoice.balance.amountMinor : 0)
  }
  return index
}

/**
 * The invoices the purpose names, in the order it names them; `ambiguous` when digits fit several
 * (and the payer's INN does not tell which), or fit only a closed invoice that is not the payer's:
 * digits alone do not make another client's paid invoice this payment's.
 */
function referenced(document: BankDocument, index: Index, payer: ReadonlySet<string>): { invoices: MatchInvoice[], ambiguous: boolean } {
  const refs = invoiceReferences(document.purpose)
  const found: MatchInvoice[] = []
  let ambiguous = false
  const add = (invoice: MatchInvoice) => {
    if (!found.includes(invoice))
      found.push(invoice)
  }
  const ofPayer = (invoice: MatchInvoice) => invoice.clients.some(c => payer.has(c))
  for (const token of refs.tokens)
    index.byNumber.get(token)?.forEach(add)
  for (const digits of refs.digits) {
    const all = index.byDigits.get(digits) ?? []
    const narrowed = all.length > 1 ? all.filter(ofPayer) : all
    if (narrowed.length === 1 && (narrowed[0]!.open || ofPayer(narrowed[0]!)))
      add(narrowed[0]!)
    else if (all.length > 0 && !all.some(invoice => found.includes(invoice)))
      ambiguous = true
  }
  return { invoices: found, ambiguous }
}

const money = (amountMinor: number, currency: string): Money => ({ amountMinor, currency })

/** Fills the invoices in order, each up to its running balance; what is left over is an overpayment. */
function allocate(document: BankDocument, invoices: readonly MatchInvoice[], index: Index): { allocations: Allocation[], left: number } {
  let left = document.amount.amountMinor
  const allocations: Allocation[] = []
  for (const invoice of invoices) {
    const balance = index.balances.get(invoice.id) ?? 0
    const amount = Math.min(left, balance)
    if (amount <= 0)
      continue
    allocations.push({ invoiceId: invoice.id, amount: money(amount, document.amount.currency), full: amount === balance })
    left -= amount
  }
  return { allocations, left }
}

function payable(invoice: MatchInvoice, index: Index, currency: string): boolean {
  return invoice.open && invoice.balance.currency === currency && (index.balances.get(invoice.id) ?? 0) > 0
}

function result(document: BankDocument, status: PaymentMatch['status'], confidence: MatchConfidence | null, reasons: MatchReason[], allocations: Allocation[] = [], left = 0, recordedOn: number[] = []): PaymentMatch {
  const flags: MatchReason[] = allocations.some(a => !a.full) ? ['partial'] : []
  if (left > 0 && allocations.length > 0)
    flags.push('overpayment')
  return { document, status, confidence, allocations, overpayment: left > 0 && allocations.length > 0 ? money(left, document.amount.currency) : null, reasons: [...reasons, ...flags], recordedOn }
}

/** Payments without a bank key on the named invoices, one each, made on the document's day and adding up to its amount. */
function sameDayParts(document: BankDocument, named: readonly MatchInvoice[], index: Index): Array<{ invoice: MatchInvoice, payment: PaymentRecord }> | null {
  if (named.length < 2)
    return null
  const parts = named.flatMap((invoice) => {
    const payment = invoice.payments.find(p => !p.bankRef && !index.claimed.has(p.logId) && p.paidOn === document.receivedOn && p.amount.currency === document.amount.currency)
    return payment ? [{ invoice, payment }] : []
  })
  return parts.reduce((sum, part) => sum + part.payment.amount.amountMinor, 0) === document.amount.amountMinor ? parts : null
}

/**
 * Already recorded: its key is in an invoice's records; or — records made by hand, or by an
 * import before payment records carried the key — a payment of the same amount on the same day
 * that no other document claimed (for a payment naming several invoices: one such payment on
 * each, adding up).
 */
function alreadyRecorded(document: BankDocument, pool: readonly MatchInvoice[], named: readonly MatchInvoice[], index: Index): PaymentMatch | null {
  const byRef = index.byRef.get(document.key)
  if (byRef && (index.byRefAmount.get(document.key) ?? 0) >= document.amount.amountMinor)
    return result(document, 'recorded', null, ['recordedByRef'], [], 0, [...new Set(byRef)])
  if (byRef)
    return null // partly recorded: `matchOne` matches what is left
  const parts = sameDayParts(document, named, index)
  if (parts) {
    parts.forEach(part => index.claimed.add(part.payment.logId))
    return result(document, 'recorded', null, ['recordedSameDay'], [], 0, parts.map(part => part.invoice.id))
  }
  for (const invoice of pool) {
    const same = invoice.payments.find(p => !p.bankRef && !index.claimed.has(p.logId) && p.paidOn === document.receivedOn
      && p.amount.amountMinor === document.amount.amountMinor && p.amount.currency === document.amount.currency)
    if (same) {
      index.claimed.add(same.logId)
      return result(document, 'recorded', null, ['recordedSameDay'], [], 0, [invoice.id])
    }
  }
  return null
}

function byNumber(document: BankDocument, invoices: readonly MatchInvoice[], payer: ReadonlySet<string>, index: Index): PaymentMatch {
  const currency = document.amount.currency
  const open = invoices.filter(invoice => payable(invoice, index, currency))
  if (open.length === 0) {
    if (invoices.some(i => i.open && i.balance.currency !== currency))
      return result(document, 'unmatched', null, ['number', 'otherCurrency'])
    return { ...result(document, 'unmatched', null, ['number', 'numberClosed']), closedNamed: invoices.filter(i => !i.open).map(i => i.id) }
  }
  const { allocations, left } = allocate(document, open, index)
  const exact = left === 0 && allocations.every(a => a.full)
  const inn: MatchReason[] = payer.size === 0 ? [] : open.every(i => i.clients.some(c => payer.has(c))) ? ['inn'] : ['innOther']
  const conflict = inn[0] === 'innOther'
  const confidence: MatchConfidence = exact ? (conflict ? 'medium' : 'high') : conflict ? 'low' : 'medium'
  return result(document, 'matched', confidence, ['number', ...(exact ? ['amount' as const] : []), ...inn, ...(allocations.length > 1 ? ['severalInvoices' as const] : [])], allocations, left)
}

const dueOrder = (a: MatchInvoice, b: MatchInvoice): number => (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.id - b.id

function byInn(document: BankDocument, payer: ReadonlySet<string>, index: Index): PaymentMatch {
  const seen = new Set<number>()
  const open = [...payer].flatMap(client => index.byClient.get(client) ?? [])
    .filter(invoice => payable(invoice, index, document.amount.currency) && !seen.has(invoice.id) && Boolean(seen.add(invoice.id)))
    .sort(dueOrder)
  if (open.length === 0)
    return result(document, 'unmatched', null, ['inn', 'noOpenInvoices'])
  const amount = document.amount.amountMinor
  const single = open.find(invoice => index.balances.get(invoice.id) === amount)
  if (single)
    return result(document, 'matched', 'medium', ['inn', 'amount'], allocate(document, [single], index).allocations)
  const total = open.reduce((sum, invoice) => sum + (index.balances.get(invoice.id) ?? 0), 0)
  const { allocations, left } = allocate(document, open, index)
  if (total === amount)
    return result(document, 'matched', 'medium', ['inn', 'amount', 'severalInvoices'], allocations)
  return result(document, 'matched', 'low', ['inn', 'oldestFirst'], allocations, left)
}

function matchOne(document: BankDocument, index: Index): PaymentMatch {
  const payer = new Set(index.clientsByInn.get(document.payerInn) ?? [])
  const named = referenced(document, index, payer)
  const pool = named.invoices.length > 0 ? named.invoices : [...payer].flatMap(client => index.byClient.get(client) ?? [])
  const recorded = alreadyRecorded(document, pool, named.invoices, index)
  if (recorded)
    return recorded
  const done = index.byRef.get(document.key)
  if (done) {
    // One payment for several invoices, some of them recorded by an earlier import: what is left goes
    // to the named invoices not recorded yet, for the accountant to review.
    const rest: BankDocument = { ...document, amount: { ...document.amount, amountMinor: document.amount.amountMinor - (index.byRefAmount.get(document.key) ?? 0) } }
    const open = named.invoices.filter(invoice => !done.includes(invoice.id))
    const match = open.length > 0 ? byNumber(rest, open, payer, index) : result(rest, 'unmatched', null, ['numberClosed'])
    return { ...match, document, reasons: ['partlyRecorded', ...match.reasons], recordedOn: [...new Set(done)] }
  }
  if (named.invoices.length > 0)
    return byNumber(document, named.invoices, payer, index)
  if (payer.size > 0 && named.ambiguous) {
    // The purpose's digits fit invoices the payer's INN does not tell between: by INN, but said so and never above low.
    const match = byInn(document, payer, index)
    return { ...match, confidence: match.confidence && 'low', reasons: ['ambiguousNumber', ...match.reasons] }
  }
  if (payer.size > 0)
    return byInn(document, payer, index)
  return result(document, 'unmatched', null, named.ambiguous ? ['ambiguousNumber', 'unknownPayer'] : ['unknownPayer'])
}

function consume(match: PaymentMatch, index: Index): void {
  for (const allocation of match.allocations)
    index.balances.set(allocation.invoiceId, (index.balances.get(allocation.invoiceId) ?? 0) - allocation.amount.amountMinor)
}

/**
 * Matches a statement's incoming payments to invoices, in the order the money came in (so a
 * second part payment sees what the first left): by the invoice numbers in the purpose, then by
 * the payer's INN against the clients' requisites, with the amount deciding the confidence —
 * high: number and amount; medium: number alone (a part payment, an overpayment), or INN and
 * amount (one open invoice of that sum, or all of them together); low: INN only (the oldest
 * open invoices first), or a number whose invoice belongs to another INN, or INN only while the
 * purpose's digits fit invoices the INN does not tell between (`ambiguousNumber`; a closed invoice
 * of another client is such a fit, never "already paid" by digits alone). One payment may cover
 * several invoices; what exceeds the balances is `overpayment`. A document found in the
 * invoices' records is `recorded`. Returns one match per document, in the documents' order.
 * Pure and linear in documents and invoices (indexes by number, digits, client and bank key).
 */
export function matchPayments(documents: readonly BankDocument[], context: MatchContext): PaymentMatch[] {
  const index = buildIndex(context)
  const order = documents.map((document, i) => ({ document, i }))
    .sort((a, b) => a.document.receivedOn.localeCompare(b.document.receivedOn) || a.i - b.i)
  const matches: PaymentMatch[] = Array.from({ length: documents.length })
  for (const { document, i } of order) {
    const match = matchOne(document, index)
    consume(match, index)
    matches[i] = match
  }
  return matches
}

/** What the import reads before matching: the invoices' records, and the invoice numbers it must look up. */
export interface MatchCandidates {
  /** The invoices whose records the matcher must see (`candidateInvoiceIds`). */
  readonly invoiceIds: readonly number[]
  /**
   * Numbers written right after an "invoice" word in purposes that name no invoice of the context
   * (`numberKey` form): such an invoice may exist and be paid before the statement began — looked
   * up so that the payment is not matched by INN to another invoice of the client.
   */
  readonly unknownNumbers: readonly string[]
  /**
   * Digit groups written after an "invoice" word (`счёт № 10` → `10`) in purposes that name no
   * invoice of the context: an invoice paid before the statement began may carry them
   * (`СЧ-00010`); looked up in the spellings the portal's numbering gives them (`paidLookup`).
   */
  readonly unknownDigits: readonly string[]
}

/**
 * The invoices whose records the matcher must see before it can be trusted — those the purposes
 * name and those of the payers' clients (open or closed); reading only these keeps a statement
 * of thousands of lines from reading every invoice's timeline — and the numbers and digits the
 * purposes name that no invoice of the context carries. One pass over the documents.
 */
export function matchCandidates(documents: readonly BankDocument[], context: MatchContext): MatchCandidates {
  const index = buildIndex(context)
  const ids = new Set<number>()
  const unknown = new Set<string>()
  const unknownDigits = new Set<string>()
  for (const document of documents) {
    const payer = new Set(index.clientsByInn.get(document.payerInn) ?? [])
    const named = referenced(document, index, payer).invoices
    named.forEach(invoice => ids.add(invoice.id))
    if (named.length === 0) {
      const refs = invoiceReferences(document.purpose)
      refs.named.forEach(number => unknown.add(number))
      refs.digits.forEach(digits => unknownDigits.add(digits))
    }
    payer.forEach(client => index.byClient.get(client)?.forEach(invoice => ids.add(invoice.id)))
  }
  return { invoiceIds: [...ids].sort((a, b) => a - b), unknownNumbers: [...unknown].sort(), unknownDigits: [...unknownDigits].sort() }
}

/** The invoices whose records the matcher must see (see `matchCandidates`). */
export function candidateInvoiceIds(documents: readonly BankDocument[], context: MatchContext): number[] {
  return [...matchCandidates(documents, context).invoiceIds]
}
