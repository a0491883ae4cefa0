import type { CalendarDate } from '../../domain/calendar-date.ts'
import type { PaidLookup } from '../../domain/bank/paid-lookup.ts'
import type { Invoice } from '../../domain/invoice.ts'
import type { Stage } from '../../domain/stage.ts'
import type { InvoiceItemDto } from '../crm/crm-dto.ts'
import type { BatchOutcome, PortalClient, RestCall } from '../portal-client.ts'
import { clientKey } from '../../domain/bank/match-payments.ts'
import { ENTITY, required } from '../batch-outcome.ts'
import { INVOICE_SELECT } from '../crm/crm-dto.ts'
import { invoiceFromDto } from '../crm/crm-mappers.ts'
import { INVOICE_PIPELINES_CALL, invoicePipelinesOf, pipelineStageCalls, pipelineStagesOf } from '../crm/invoice-pipelines.ts'

const PAGE = 50
const BATCH = 50
/** INNs per `crm.requisite.list` command: keeps one command's answer within a page for most statements. */
const INNS_PER_CALL = 40

/** What a statement is matched against. */
export interface BankScope {
  /** `server.time`: the portal's day decides which payment dates are in the future. */
  readonly serverTime: string
  readonly stages: readonly Stage[]
  /** Invoices in an open stage (no success or failure semantics), any pipeline. */
  readonly open: readonly Invoice[]
  /** Invoices that reached a paid stage since the statement's first day: their records tell what was already recorded. */
  readonly recentlyPaid: readonly Invoice[]
  /** Payer INN → the clients (`company:5`, `contact:7`) whose requisites carry it. */
  readonly clientsByInn: ReadonlyMap<string, readonly string[]>
}

interface RequisiteDto {
  ENTITY_TYPE_ID?: string | number | null
  ENTITY_ID?: string | number | null
  RQ_INN?: string | null
}

function requisiteCall(inns: readonly string[], start = 0): RestCall {
  // Companies (4) and contacts (3): an individual entrepreneur may be billed as a contact.
  return { method: 'crm.requisite.list', params: { filter: { '@ENTITY_TYPE_ID': [ENTITY.company, ENTITY.contact], '@RQ_INN': [...inns] }, select: ['ENTITY_TYPE_ID', 'ENTITY_ID', 'RQ_INN'], order: { ID: 'ASC' }, start } }
}

function invoiceCall(filter: Record<string, unknown>, start: number): RestCall {
  return { method: 'crm.item.list', params: { entityTypeId: ENTITY.invoice, select: [...INVOICE_SELECT], filter, order: { id: 'ASC' }, start } }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size))
  return out
}

/** Runs keyed commands 50 to a batch, one batch after another. */
async function runAll(client: PortalClient, calls: ReadonlyArray<readonly [string, RestCall]>): Promise<Record<string, BatchOutcome>> {
  const out: Record<string, BatchOutcome> = {}
  for (const chunk of chunks(calls, BATCH))
    Object.assign(out, await client.batch(Object.fromEntries(chunk)))
  return out
}

/** Every page of each listed command: the first pages came with `first`; the rest are read in batches. */
async function allPages<T>(client: PortalClient, first: Record<string, BatchOutcome>, keys: readonly string[], page: (key: string, start: number) => RestCall, rowsOf: (outcome: BatchOutcome | undefined, method: string) => T[]): Promise<T[]> {
  const rows: T[] = []
  const more: Array<readonly [string, RestCall]> = []
  for (const key of keys) {
    const outcome = first[key]
    rows.push(...rowsOf(outcome, page(key, 0).method))
    const total = outcome?.ok ? outcome.total : 0
    for (let start = PAGE; start < total; start += PAGE)
      more.push([`${key}_${start}`, page(key, start)])
  }
  const rest = more.length > 0 ? await runAll(client, more) : {}
  for (const [key, call] of more)
    rows.push(...rowsOf(rest[key], call.method))
  return rows
}

const itemsOf = (outcome: BatchOutcome | undefined, method: string) => required<{ items: InvoiceItemDto[] }>(outcome, method).items
const requisitesOf = (outcome: BatchOutcome | undefined, method: string) => required<RequisiteDto[]>(outcome, method)

function innIndex(rows: readonly RequisiteDto[]): Map<string, string[]> {
  const index = new Map<string, string[]>()
  for (const row of rows) {
    const inn = String(row.RQ_INN ?? '').trim()
    const kind = Number(row.ENTITY_TYPE_ID) === ENTITY.company ? 'company' : 'contact'
    if (!inn || !row.ENTITY_ID)
      continue
    const key = clientKey(kind, Number(row.ENTITY_ID))
    const list = index.get(inn) ?? []
    if (!list.includes(key))
      index.set(inn, [...list, key])
  }
  return index
}

function unique(invoices: Invoice[]): Invoice[] {
  const seen = new Set<number>()
  return invoices.filter(invoice => !seen.has(invoice.id) && Boolean(seen.add(invoice.id)))
}

/**
 * Reads what a statement is matched against. Round trip 1: the portal's clock, the invoice
 * pipelines and the requisites carrying the statement's payer INNs (40 INNs a command, 50
 * commands a batch: more batches only past 2,000 payers); 2: the stages of every pipeline; 3: the
 * first pages of the open invoices and of those paid since `since`; then one round trip per
 * 50 further pages. Every read is required: a missing page could hide an invoice, or a payment
 * already recorded.
 */
export async function loadBankScope(client: PortalClient, payerInns: readonly string[], since: CalendarDate): Promise<BankScope> {
  const innGroups = new Map(chunks([...new Set(payerInns.filter(Boolean))].sort(), INNS_PER_CALL).map((inns, i) => [`rq${i}`, inns]))
  const innCalls = [...innGroups].map(([key, inns]): readonly [string, RestCall] => [key, requisiteCall(inns)])
  const [head, ...restInn] = chunks(innCalls, BATCH - 2)
  const first = await client.batch({
    time: { method: 'server.time' },
    categories: INVOICE_PIPELINES_CALL,
    ...Object.fromEntries(head ?? []),
  })
  Object.assign(first, await runAll(client, restInn.flat()))
  const serverTime = required<string>(first.time, 'server.time')
  const categories = invoicePipelinesOf(first.categories)
  const requisites = await allPages(client, first, [...innGroups.keys()], (key, start) => requisiteCall(innGroups.get(key) ?? [], start), requisitesOf)
  const stages = pipelineStagesOf(await runAll(client, pipelineStageCalls(categories)), categories)
  const ids = (semantics: Stage['semantics']) => stages.filter(stage => stage.semantics === semantics).map(stage => stage.id)
  const filters: Record<string, Record<string, unknown>> = {}
  if (ids('process').length > 0)
    filters.open = { '@stageId': ids('process') }
  if (ids('success').length > 0)
    filters.paid = { '@stageId': ids('success'), '>=movedTime': `${since}T00:00:00` }
  const firstPages = Object.keys(filters).length > 0 ? await client.batch(Object.fromEntries(Object.entries(filters).map(([key, filter]) => [key, invoiceCall(filter, 0)]))) : {}
  const rows = async (key: string) => (filters[key] ? (await allPages(client, firstPages, [key], (_k, start) => invoiceCall(filters[key]!, start), itemsOf)).map(invoiceFromDto) : [])
  return { serverTime, stages, open: unique(await rows('open')), recentlyPaid: unique(await rows('paid')), clientsByInn: innIndex(requisites) }
}

/** Numbers per `crm.item.list` command of `loadPaidByNumber`. */
const NUMBERS_PER_CALL = 50

/**
 * The invoices in a paid (success) stage, any pipeline, whose `accountNumber` is one of
 * `lookup.accountNumbers` or whose id is one of `lookup.ids` (`paidLookup`): those a statement's
 * purposes name but that were paid before the statement began (`BankScope` holds only the open
 * ones and those paid since). One batch — a command per 50 numbers and one for the ids — so one
 * round trip for up to 2,450 numbers, none for an empty lookup; every page is required
 * (`bitrix24/b24restdocs` `api-reference/crm/universal/crm-item-list.md`: `@` is IN). The caller
 * keeps the invoices whose number the purposes name (`namedByCandidates`): an id alone names nothing.
 */
export async function loadPaidByNumber(client: PortalClient, lookup: PaidLookup, stages: readonly Stage[]): Promise<Invoice[]> {
  const success = stages.filter(stage => stage.semantics === 'success').map(stage => stage.id)
  if ((lookup.accountNumbers.length === 0 && lookup.ids.length === 0) || success.length === 0)
    return []
  const filters = new Map<string, Record<string, unknown>>(chunks([...new Set(lookup.accountNumbers)], NUMBERS_PER_CALL)
    .map((group, i) => [`paid${i}`, { '@accountNumber': group, '@stageId': success }]))
  if (lookup.ids.length > 0)
    filters.set('paidIds', { '@id': [...new Set(lookup.ids)], '@stageId': success })
  const call = (key: string, start: number) => invoiceCall(filters.get(key) ?? {}, start)
  const first = await runAll(client, [...filters.keys()].map(key => [key, call(key, 0)] as const))
  return unique((await allPages(client, first, [...filters.keys()], call, itemsOf)).map(invoiceFromDto))
}
