import type { Allocation, MatchInvoice, PaymentMatch } from '../domain/bank/match-payments.ts'
import type { BankStatement, StatementEncoding } from '../domain/bank/bank-statement.ts'
import type { CsvMapping, CsvTable } from '../domain/bank/parse-csv-statement.ts'
import type { CalendarDate } from '../domain/calendar-date.ts'
import type { CollectionState } from '../domain/collection/collection-state.ts'
import type { Invoice } from '../domain/invoice.ts'
import type { InvoiceDeskSettings } from '../domain/settings/settings.ts'
import type { Stage } from '../domain/stage.ts'
import type { PortalClient } from '../portal/portal-client.ts'
import type { InvoiceActionEnvironment, PaymentResult, RecordPaymentInput } from './mark-invoice.ts'
import type { PaymentFacts } from './payment-facts.ts'
import type { BankCompute } from './bank-compute.ts'
import { clientKey } from '../domain/bank/match-payments.ts'
import { namedByCandidates, paidLookup } from '../domain/bank/paid-lookup.ts'
import { csvStatement, guessCsvMapping, missingCsvFields } from '../domain/bank/parse-csv-statement.ts'
import { inlineBankCompute } from './bank-compute.ts'
import { balanceOf } from '../domain/collection/collection-state.ts'
import { portalClockOf } from '../domain/portal-clock.ts'
import { loadBankScope, loadPaidByNumber } from '../portal/bank/bank-read.ts'
import { readCsvMapping, saveCsvMapping } from '../portal/bank/csv-mapping-option.ts'
import { readCollectionStates } from '../portal/collection/collection-log.ts'
import { recordPayment } from './mark-invoice.ts'
import { paymentFacts } from './payment-facts.ts'

/** Invoices whose records are read per step of the progress bar (5 batched round trips). */
const RECORDS_STEP = 250

/** What an import knows after reading the portal: the statement, the invoices and the proposed matches. */
export interface BankImportPreparation {
  readonly statement: BankStatement
  /** The portal's day (`server.time`): no payment is recorded after it. */
  readonly today: CalendarDate
  /** Every invoice pipeline's stages, for `recordPayment`. */
  readonly stages: readonly Stage[]
  /** Open invoices, those paid since the statement began and the paid ones the purposes name, as the matcher sees them. */
  readonly invoices: readonly MatchInvoice[]
  readonly invoiceById: ReadonlyMap<number, Invoice>
  readonly clientsByInn: ReadonlyMap<string, readonly string[]>
  /** One per incoming payment, in the statement's order. */
  readonly matches: readonly PaymentMatch[]
}

export interface BankImportOptions {
  /** Progress of the long parts: reading the invoices' records, recording the payments. */
  readonly onProgress?: (phase: 'records' | 'record', done: number, total: number) => void
  /** Where parsing and matching run (default: this thread; the app page uses a Web Worker). */
  readonly compute?: BankCompute
}

function clientsOf(invoice: Invoice): string[] {
  return [
    ...(invoice.companyId !== null ? [clientKey('company', invoice.companyId)] : []),
    ...(invoice.contactId !== null ? [clientKey('contact', invoice.contactId)] : []),
  ]
}

function matchInvoice(invoice: Invoice, open: boolean, state: CollectionState | undefined): MatchInvoice {
  return {
    id: invoice.id,
    number: invoice.number,
    clients: clientsOf(invoice),
    // An invoice whose records were not read is offered at its sum; `recordPayment` reads the balance again anyway.
    balance: state ? balanceOf(invoice.amount, state) : invoice.amount,
    open,
    dueDate: invoice.dueDate,
    payments: state?.payments ?? [],
  }
}

async function readStates(portal: PortalClient, ids: readonly number[], options: BankImportOptions): Promise<Map<number, CollectionState>> {
  const states = new Map<number, CollectionState>()
  options.onProgress?.('records', 0, ids.length)
  for (let i = 0; i < ids.length; i += RECORDS_STEP) {
    for (const [id, state] of await readCollectionStates(portal, ids.slice(i, i + RECORDS_STEP)))
      states.set(id, state)
    options.onProgress?.('records', Math.min(ids.length, i + RECORDS_STEP), ids.length)
  }
  return states
}

/**
 * Reads what the statement's payments are matched against and proposes the matches (nothing is
 * written). `loadBankScope` (3 round trips for a usual statement); the paid invoices whose
 * numbers — or, written without the prefix, digits (`paidLookup`) — the purposes name but the scope
 * lacks (`loadPaidByNumber`, one round trip, only when there are such numbers); then the records of the candidate invoices only — those the purposes
 * name and those of the payers (one round trip per 50) — so balances are current and documents
 * recorded before show as `recorded`. Throws
 * `PortalError` when a read fails: a missing record could record a payment twice.
 */
export async function prepareBankImport(portal: PortalClient, statement: BankStatement, options: BankImportOptions = {}): Promise<BankImportPreparation> {
  const documents = statement.incoming
  const firstDay = documents.reduce<CalendarDate | null>((min, d) => (min === null || d.date < min ? d.date : min), null)
  const scope = await loadBankScope(portal, documents.map(d => d.payerInn), firstDay ?? '9999-12-31')
  const clock = portalClockOf(scope.serverTime)
  if (!clock)
    throw new Error(`server.time answered ${scope.serverTime}`)
  const known = [...scope.open.map(invoice => ({ invoice, open: true })), ...scope.recentlyPaid.map(invoice => ({ invoice, open: false }))]
  const compute = options.compute ?? inlineBankCompute
  const candidates = await compute.candidates(statement, { invoices: known.map(({ invoice, open }) => matchInvoice(invoice, open, undefined)), clientsByInn: scope.clientsByInn })
  // A purpose naming an invoice paid before the statement began: known as paid, so the payment
  // is said to be for a paid invoice and not matched by the payer's INN to another one.
  const ids = new Set(known.map(({ invoice }) => invoice.id))
  // Digits alone («счёт № 10») are looked up in the spellings the portal's numbering gives them, and as ids.
  const named = namedByCandidates(candidates)
  const lookup = paidLookup(candidates, known.map(({ invoice }) => invoice.number))
  const paidBefore = (await loadPaidByNumber(portal, lookup, scope.stages)).filter(invoice => !ids.has(invoice.id) && named(invoice.number))
  const all = [...known, ...paidBefore.map(invoice => ({ invoice, open: false }))]
  // Their records too: one may hold this very payment, recorded before (`recorded`, not "already paid").
  const states = await readStates(portal, [...candidates.invoiceIds, ...paidBefore.map(invoice => invoice.id)], options)
  const invoices = all.map(({ invoice, open }) => matchInvoice(invoice, open, states.get(invoice.id)))
  return {
    statement,
    today: clock.today,
    stages: scope.stages,
    invoices,
    invoiceById: new Map(all.map(({ invoice }) => [invoice.id, invoice])),
    clientsByInn: scope.clientsByInn,
    matches: await compute.match(statement, { invoices, clientsByInn: scope.clientsByInn }),
  }
}

/**
 * How one allocation ended: `paid` (the payment is recorded and the invoice moved to its paid
 * stage — `facts` says what else did not happen, and why), `partial` (recorded, the invoice stays
 * open), `closed` (already paid or cancelled when read: nothing written), `recordedElsewhere`
 * (another window or user claimed this payment first and records it: nothing written here),
 * `busy` (another payment of the invoice was being recorded at that moment: nothing written),
 * `refused` (the balance changed since the review, or no paid stage: nothing written), `failed`
 * (nothing recorded, or unknown: see `facts.recorded`).
 */
export type AllocationStatus = 'paid' | 'partial' | 'closed' | 'recordedElsewhere' | 'busy' | 'refused' | 'failed'

export interface AllocationOutcome {
  readonly allocation: Allocation
  readonly status: AllocationStatus
  readonly result: PaymentResult
  /** What was done and what was not, part by part, with the portal's words. */
  readonly facts: PaymentFacts
}

export interface DocumentOutcome {
  /** The bank document's key (`BankDocument.key`). */
  readonly key: string
  readonly outcomes: readonly AllocationOutcome[]
}

function statusOf(result: PaymentResult, facts: PaymentFacts): AllocationStatus {
  switch (result.status) {
    case 'done': return 'paid'
    case 'partial': return 'partial'
    case 'unchanged': return 'closed'
    case 'recordedElsewhere': return 'recordedElsewhere'
    case 'busy': return 'busy'
    // Recorded before a later part failed (the deal's stage, a notification): the payment stands.
    case 'failed': return facts.recorded !== true ? 'failed' : facts.invoicePaid ? 'paid' : 'partial'
    default: return 'refused'
  }
}

/** The input `recordPayment` takes, with the bank document's key for the payment record. */
type BankPaymentInput = RecordPaymentInput & { readonly bankRef: string }

/**
 * Records the chosen matches, one allocation after another, each through `recordPayment` (a read
 * of the invoice and its records, then one halted write: a part payment, or the whole balance —
 * the invoice to its paid stage, the deal to `settings.deal.stageAfterPaid`, the people notified).
 * The payment day is the day the money came (`receivedOn`), at most the portal's today.
 * `recordPayment` claims each payment in the invoice's timeline before writing it, so the same
 * statement recorded in two windows at once records each payment once; the other window is told
 * `recordedElsewhere`. Only `matched` matches are recorded; a failure does not stop the others.
 */
export async function recordBankPayments(portal: PortalClient, matches: readonly PaymentMatch[], input: { readonly stages: readonly Stage[], readonly settings: InvoiceDeskSettings, readonly env: InvoiceActionEnvironment }, options: BankImportOptions = {}): Promise<DocumentOutcome[]> {
  const chosen = matches.filter(match => match.status === 'matched' && match.allocations.length > 0)
  const total = chosen.reduce((sum, match) => sum + match.allocations.length, 0)
  const out: DocumentOutcome[] = []
  let done = 0
  options.onProgress?.('record', 0, total)
  for (const match of chosen) {
    const outcomes: AllocationOutcome[] = []
    const paidOn = match.document.receivedOn < input.env.today ? match.document.receivedOn : input.env.today
    for (const allocation of match.allocations) {
      const payment: BankPaymentInput = { invoiceId: allocation.invoiceId, stages: input.stages, amount: allocation.amount, paidOn, bankRef: match.document.key }
      const result = await recordPayment(portal, payment, input.settings, input.env)
      const facts = paymentFacts(result)
      outcomes.push({ allocation, status: statusOf(result, facts), result, facts })
      options.onProgress?.('record', ++done, total)
    }
    out.push({ key: match.document.key, outcomes })
  }
  return out
}

/** What an uploaded file turned out to be: a statement (1C format), or a CSV waiting for its column mapping. */
export type OpenedFile
  = | { readonly kind: 'statement', readonly statement: BankStatement }
    | { readonly kind: 'csv', readonly table: CsvTable, readonly encoding: StatementEncoding, readonly mapping: CsvMapping, readonly remembered: boolean }

/**
 * Reads an uploaded file (or its bytes) (encoding detected, see `decodeStatement`): a 1C exchange file is
 * parsed at once; a table with a header and rows is a CSV, offered with the mapping this user
 * chose before (`user.option.get`, one round trip) or a guess from its header; anything else is a
 * statement whose only content is the `notStatement` problem — at once for binary bytes (an archive,
 * a PDF, random data), whose decoded "header" would be garbage (`openStatementBytes`, run by `compute`).
 */
export async function openStatementFile(portal: PortalClient, file: Uint8Array | Blob, compute: BankCompute = inlineBankCompute): Promise<OpenedFile> {
  const opened = await compute.open(file)
  if (opened.kind === 'statement')
    return opened
  const { table, encoding } = opened
  const saved = await readCsvMapping(portal)
  const fits = saved !== null && missingCsvFields(table.header, saved).length === 0
  return { kind: 'csv', table, encoding, mapping: fits ? saved : guessCsvMapping(table.header), remembered: fits }
}

/** The CSV's statement under `mapping`, remembered for this user (`user.option.set`; failing to remember does not stop the import). */
export async function applyCsvMapping(portal: PortalClient, file: Extract<OpenedFile, { kind: 'csv' }>, mapping: CsvMapping): Promise<BankStatement> {
  await saveCsvMapping(portal, mapping).catch(() => undefined)
  return csvStatement(file.table, mapping, file.encoding)
}
