import type { CollectionState } from '../../domain/collection/collection-state.ts'
import type { Invoice } from '../../domain/invoice.ts'
import type { InvoiceClient } from '../../domain/issue/client.ts'
import type { Stage } from '../../domain/stage.ts'
import type { InvoiceItemDto } from '../crm/crm-dto.ts'
import type { ClientItemDto, DocumentDto, UserDto } from '../issue/issue-dto.ts'
import type { Manager } from '../issue/issue-read.ts'
import type { PortalClient, RestCall } from '../portal-client.ts'
import { emptyCollectionState } from '../../domain/collection/collection-state.ts'
import { ENTITY, optional, required } from '../batch-outcome.ts'
import { INVOICE_SELECT } from '../crm/crm-dto.ts'
import { invoiceFromDto } from '../crm/crm-mappers.ts'
import { INVOICE_PIPELINES_CALL, invoicePipelinesOf, pipelineStageCalls, pipelineStagesOf } from '../crm/invoice-pipelines.ts'
import { userName } from '../issue/issue-dto.ts'
import { clientOf } from '../issue/issue-read.ts'
import type { ListPage } from '../keyset-read.ts'
import { readAllByKeyset } from '../keyset-read.ts'
import type { ReplayGuard } from '../replay-guard.ts'
import { callWithMint, newGuard } from '../replay-guard.ts'

const BATCH = 50

/** The open invoices of the portal with the stages that classify them, and the acting user's zone. */
export interface ReminderScope {
  readonly stages: readonly Stage[]
  readonly invoices: readonly Invoice[]
  /** `server.time`: the portal's own clock and offset, read in the same round trip. */
  readonly serverTime: string
  /** Our company's name for `{company.name}`: the configured one, else the portal's first. */
  readonly companyName: string
}

/** Everything one invoice's reminder messages need: its records, client, document and manager. */
export interface ReminderContext {
  readonly state: CollectionState
  readonly client: InvoiceClient | null
  readonly documentUrl: string | null
  readonly manager: Manager | null
  /** The head of the responsible's department (not the responsible), for escalations; null when unknown or not asked. */
  readonly supervisorId?: number | null
}

/** Due dates (both days included) of the invoices to read; invoices without a due date are read as well. */
export interface DueDateRange {
  readonly from: string
  readonly to: string
}

/**
 * Open invoices (a stage without success or failure semantics, any pipeline) due within `range`
 * or without a due date (`logic: 'OR'` block, R: api-reference/crm/universal/crm-item-list.md).
 */
function openInvoiceFilter(stageIds: readonly string[], range: DueDateRange): Record<string, unknown> {
  return {
    '@stageId': [...stageIds],
    '0': { logic: 'OR', 0: { '>=closedate': range.from, '<=closedate': range.to }, 1: { '=closedate': '' } },
  }
}

const invoicePage: ListPage = params => ({ method: 'crm.item.list', params: { entityTypeId: ENTITY.invoice, select: [...INVOICE_SELECT], ...params } })

/** Options of `loadReminderScope`. */
export interface ReminderScopeOptions {
  /**
   * The due dates that can have a reminder due, from the portal's clock (`server.time`, read in the
   * first round trip); null = no invoice can (reminders off): none is read.
   */
  readonly dueDates: (serverTime: string) => DueDateRange | null
}

/**
 * Reads the open invoices that can have a reminder due: round trip 1 the portal's clock, the
 * pipelines and our companies, round trip 2 the stages of every pipeline, round trip 3 the first
 * page of matching invoices with their count and the highest matching id, then ⌈W/2500⌉ round trips
 * (rarely one more) for W matching invoices: batches of 50 keyset pages (`readAllByKeyset`). Offset pages (`start: 50, 100 …`) would make the portal
 * count the matches on every page: on a portal with 100,000 invoices that spends the method's
 * operating-time budget (R: settings/performance/limits.md) before the queue opens. Closed invoices
 * and those due outside the window are never read: the paid history can be large.
 */
export async function loadReminderScope(client: PortalClient, myCompanyId: number | null, options: ReminderScopeOptions): Promise<ReminderScope> {
  const first = await client.batch({
    time: { method: 'server.time' },
    categories: INVOICE_PIPELINES_CALL,
    myCompanies: { method: 'crm.item.list', params: { entityTypeId: ENTITY.company, filter: { isMyCompany: 'Y' }, select: ['id', 'title'] } },
  })
  const serverTime = required<string>(first.time, 'server.time')
  const categories = invoicePipelinesOf(first.categories)
  const companies = optional<{ items: Array<{ id: number | string, title?: string | null }> }>(first.myCompanies, { items: [] }).items
  const company = companies.find(item => Number(item.id) === myCompanyId) ?? companies[0]
  const base = { serverTime, companyName: company?.title ?? '' }
  const stages = pipelineStagesOf(await client.batch(Object.fromEntries(pipelineStageCalls(categories))), categories)
  const open = stages.filter(stage => stage.semantics === 'process').map(stage => stage.id)
  const range = options.dueDates(serverTime)
  if (open.length === 0 || range === null)
    return { ...base, stages, invoices: [] }
  const rows = await readAllByKeyset<InvoiceItemDto>(client, invoicePage, openInvoiceFilter(open, range))
  const seen = new Set<number>()
  const invoices = rows.map(invoiceFromDto).filter(invoice => !seen.has(invoice.id) && Boolean(seen.add(invoice.id)))
  return { ...base, stages, invoices }
}

/** Commands per invoice in the message batch: company, contact, documents, the newest document. */
const PER_INVOICE = 4

function messageCalls(invoice: Invoice): Record<string, RestCall> {
  const calls: Record<string, RestCall> = {}
  if (invoice.companyId !== null)
    calls[`company${invoice.id}`] = { method: 'crm.item.get', params: { entityTypeId: ENTITY.company, id: invoice.companyId } }
  if (invoice.contactId !== null)
    calls[`contact${invoice.id}`] = { method: 'crm.item.get', params: { entityTypeId: ENTITY.contact, id: invoice.contactId } }
  calls[`docs${invoice.id}`] = { method: 'crm.documentgenerator.document.list', params: { filter: { entityTypeId: ENTITY.invoice, entityId: invoice.id }, order: { id: 'DESC' }, select: ['id'] } }
  // A list row has no `publicUrl` (R: crm-document-generator-document-list.md): `get` the newest one for it.
  calls[`doc${invoice.id}`] = { method: 'crm.documentgenerator.document.get', params: { id: `$result[docs${invoice.id}][documents][0][id]` } }
  return calls
}

/**
 * What the messages of the invoices about to be reminded need: client, newest document's public
 * link and responsible manager — 12 invoices per batched round trip (4 commands each, plus the managers'
 * `user.get`). Only invoices with a message planned are read; a missing document or manager only
 * leaves a template value empty. `states` are their collection states, read before planning.
 */
export async function loadReminderContexts(client: PortalClient, invoices: readonly Invoice[], states: ReadonlyMap<number, CollectionState>, withSupervisors = false): Promise<Map<number, ReminderContext>> {
  const out = new Map<number, ReminderContext>()
  const departmentOf = new Map<number, number>()
  const perBatch = Math.floor((BATCH - 1) / PER_INVOICE)
  for (let i = 0; i < invoices.length; i += perBatch) {
    const chunk = invoices.slice(i, i + perBatch)
    const managerIds = [...new Set(chunk.map(invoice => invoice.responsibleId).filter((id): id is number => id !== null))]
    const outcomes = await client.batch({
      ...Object.assign({}, ...chunk.map(messageCalls)),
      ...(managerIds.length > 0 ? { managers: { method: 'user.get', params: { filter: { '@ID': managerIds } } } } : {}),
    })
    const managers = optional<UserDto[]>(outcomes.managers, [])
    for (const invoice of chunk) {
      const company = optional<{ item: ClientItemDto } | null>(outcomes[`company${invoice.id}`], null)?.item ?? null
      const contact = optional<{ item: ClientItemDto } | null>(outcomes[`contact${invoice.id}`], null)?.item ?? null
      const docs = optional<{ documents?: DocumentDto[] } | DocumentDto[]>(outcomes[`docs${invoice.id}`], [])
      const listed = (Array.isArray(docs) ? docs : docs.documents ?? []).length > 0
      const document = listed ? optional<{ document?: DocumentDto } | null>(outcomes[`doc${invoice.id}`], null)?.document ?? null : null
      const user = managers.find(dto => Number(dto.ID) === invoice.responsibleId)
      const department = Number((user as (UserDto & { UF_DEPARTMENT?: unknown[] }) | undefined)?.UF_DEPARTMENT?.[0] ?? 0)
      if (user && department > 0)
        departmentOf.set(Number(user.ID), department)
      out.set(invoice.id, {
        state: states.get(invoice.id) ?? emptyCollectionState(invoice.id),
        client: clientOf(company, contact),
        // Only the public page is for the client: `pdfUrl` is a portal page behind a login.
        documentUrl: document?.publicUrl || null,
        manager: user ? { id: Number(user.ID), name: userName(user), email: user.EMAIL ?? '', phone: user.WORK_PHONE ?? '' } : null,
      })
    }
  }
  return withSupervisors ? withSupervisorsOf(client, out, departmentOf) : out
}

/**
 * Escalations go to the responsible's supervisor: the head of their (first) department, from ONE
 * `im.department.managers.get` (scope im, any intranet user). A failed read leaves it unknown.
 */
async function withSupervisorsOf(client: PortalClient, contexts: Map<number, ReminderContext>, departmentOf: ReadonlyMap<number, number>): Promise<Map<number, ReminderContext>> {
  const ids = [...new Set(departmentOf.values())]
  if (ids.length === 0)
    return contexts
  let heads: Record<string, Array<number | string>> = {}
  try {
    heads = await client.call<Record<string, Array<number | string>>>('im.department.managers.get', { ID: ids, USER_DATA: 'N' })
  }
  catch {
    return contexts
  }
  for (const [invoiceId, context] of contexts) {
    const manager = context.manager?.id ?? null
    const department = manager === null ? undefined : departmentOf.get(manager)
    const head = (heads[String(department)] ?? []).map(Number).find(id => id !== manager) ?? null
    contexts.set(invoiceId, { ...context, supervisorId: head })
  }
  return contexts
}

/**
 * The portal's clock (`server.time`) as a sweep starts sending, read with the one-time token of its
 * first write batch minted on the invoice about to be reminded of (`callWithMint`, README "Never
 * twice"): ONE round trip. With no invoice (`invoiceId` 0) the clock alone, and a guard whose first
 * batch mints its token.
 */
export async function readSweepClock(client: PortalClient, invoiceId: number): Promise<{ serverTime: string, guard: ReplayGuard }> {
  if (invoiceId > 0) {
    const { result, guard } = await callWithMint<string>(client, { method: 'server.time' }, { entityTypeId: ENTITY.invoice, id: invoiceId })
    return { serverTime: result, guard }
  }
  return { serverTime: await client.call<string>('server.time'), guard: newGuard({ entityTypeId: ENTITY.invoice, id: 0 }) }
}
