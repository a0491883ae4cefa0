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

const PAGE = 50
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

function invoicePage(stageIds: readonly string[], start: number): RestCall {
  return {
    method: 'crm.item.list',
    params: { entityTypeId: ENTITY.invoice, select: [...INVOICE_SELECT], filter: { '@stageId': [...stageIds] }, order: { id: 'ASC' }, start },
  }
}

/**
 * Reads the open invoices: round trip 1 the portal's clock, the pipelines and our companies, round trip 2 the
 * stages of every pipeline and the first page of invoices in an open stage (a stage without
 * success or failure semantics, any pipeline), then one round trip per 2,500 further invoices
 * (batches of 50 pages). Closed invoices are never read: the paid history can be large.
 */
export async function loadReminderScope(client: PortalClient, myCompanyId: number | null): Promise<ReminderScope> {
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
  if (open.length === 0)
    return { ...base, stages, invoices: [] }
  const firstPage = await client.batch({ page0: invoicePage(open, 0) })
  const rows = [...required<{ items: InvoiceItemDto[] }>(firstPage.page0, 'crm.item.list').items]
  const total = firstPage.page0?.ok ? firstPage.page0.total : rows.length
  const starts: number[] = []
  for (let start = PAGE; start < total; start += PAGE)
    starts.push(start)
  for (let i = 0; i < starts.length; i += BATCH) {
    const chunk = starts.slice(i, i + BATCH)
    const outcomes = await client.batch(Object.fromEntries(chunk.map(start => [`page${start}`, invoicePage(open, start)])))
    for (const start of chunk)
      rows.push(...required<{ items: InvoiceItemDto[] }>(outcomes[`page${start}`], 'crm.item.list').items)
  }
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
