import type { Deal, Invoice } from '../../domain/invoice.ts'
import type { InvoiceClient } from '../../domain/issue/client.ts'
import type { IssueTrace } from '../../domain/issue/issue-progress.ts'
import type { ProductRow } from '../../domain/issue/product-row.ts'
import type { SettingsCatalog } from '../../domain/settings/settings-catalog.ts'
import type { InvoiceDeskSettings } from '../../domain/settings/settings.ts'
import type { DealItemDto, InvoiceItemDto, ProfileDto, StatusDto } from '../crm/crm-dto.ts'
import type { BatchOutcome, PortalClient, RestCall } from '../portal-client.ts'
import type { ReplayGuard } from '../replay-guard.ts'
import type { ActivityDto, ClientItemDto, DocumentDto, LogMessageDto, ProductRowDto, UserDto } from './issue-dto.ts'
import { offsetZoneOf } from '../../domain/format.ts'
import { emailKey } from '../../domain/issue/issue-key.ts'
import { portalClockOf } from '../../domain/portal-clock.ts'
import { invoicePipelineOf, resolveSettings, storedDocumentTemplates } from '../../domain/settings/settings-catalog.ts'
import { ENTITY, optional, required } from '../batch-outcome.ts'
import { INVOICE_SELECT } from '../crm/crm-dto.ts'
import { guardOf, newGuard, withMint } from '../replay-guard.ts'
import { dealFromDto, invoiceFromDto, invoiceStageEntityId, stageFromDto } from '../crm/crm-mappers.ts'
import { PortalError } from '../portal-error.ts'
import { contactName, emailOf, productRowFromDto, userName } from './issue-dto.ts'

/** The responsible manager, as e-mail templates and notifications name them. */
export interface Manager {
  readonly id: number
  readonly name: string
  readonly email: string
  readonly phone: string
}

/** An invoice the chain already created for this deal and purpose, with what was done to it. */
export interface ExistingIssue {
  readonly invoice: Invoice
  readonly trace: IssueTrace
  /** From `document.get` of the newest document; null when off or not read: the chain switches the link on before it e-mails. */
  readonly publicUrl: string | null
  readonly pdfUrlMachine: string | null
  /** E-mail activities with the chain's key but no "sent" marker: a failed send left them; they go before resending. */
  readonly unconfirmedEmailIds: readonly number[]
  /** How often the invoice was e-mailed again after the first time (activities with a resend key). */
  readonly resendCount: number
  /** When the chain last wrote to the invoice (created or updated), to tell a running chain from an abandoned one. */
  readonly lastTouched: Date | null
  /** The attempt (browser tab) that created the invoice, from its `sourceDescription`; null when none is written. */
  readonly attemptId: string | null
  /** Paid or cancelled in Bitrix24 (its stage's semantics): nothing more may be sent or moved. */
  readonly closed: 'paid' | 'cancelled' | null
  /** Later invoices with the same key: a tab that lost a race and could not delete its own. */
  readonly duplicateIds: readonly number[]
}

/** Everything issue-and-send reads before it writes: ONE batched round trip (two when pipelines need it). */
export interface IssueSnapshot {
  readonly deal: Deal
  readonly dealRows: readonly ProductRow[]
  readonly client: InvoiceClient | null
  readonly manager: Manager | null
  /** The acting user's time zone from the portal profile; null when the user keeps the portal default. */
  readonly userTimeZone: string | null
  /** The part of the settings catalog needed to fill "portal default" settings. */
  readonly catalog: SettingsCatalog
  /** The settings with the portal's defaults filled in (pipeline, "sent" stage, template, our company). */
  readonly settings: InvoiceDeskSettings
  /** Our companies' names by id, for `{company.name}`. */
  readonly myCompanyNames: ReadonlyMap<number, string>
  readonly existing: ExistingIssue | null
  /** Open (not cancelled) invoices of the deal issued some other way: the preview warns about them. */
  readonly otherOpenInvoices: number
  /**
   * The portal's clock at the read (`server.time`, common/system/server-time.md) minus the
   * machine's clock then, in ms: leases and the issue date follow the portal, not the PC.
   * 0 when the portal did not say.
   */
  readonly portalClockOffsetMs: number
  /** The portal's zone from the offset `server.time` carries (`+03:00` → `Etc/GMT-3`); null when it did not say. */
  readonly portalTimeZone?: string | null
  /** The chain's one-time tokens on the deal (`replay-guard.ts`); the read minted the first one, except in test mode. */
  readonly guard?: ReplayGuard
}

/** Timeline entries the chain writes on the invoice: after the e-mail, and last of all. */
export const EMAIL_SENT_LOG_TITLE = 'Invoice Desk: письмо со счётом отправлено'
export const ISSUED_LOG_TITLE = 'Invoice Desk: счёт выставлен и отправлен'
export const RESENT_LOG_TITLE = 'Invoice Desk: счёт отправлен повторно'

/** `sourceDescription` of an invoice the chain creates: names the attempt (browser tab) that created it. */
export const ATTEMPT_PREFIX = 'Invoice Desk attempt '

/** `crm.item.productrow.list` answers 50 rows a page (R: api-reference/crm/universal/product-rows/crm-item-productrow-list.md). */
export const ROWS_PAGE = 50

const EXISTING = '$result[existing][items][0][id]'

function readCalls(dealId: number, key: string, stored: InvoiceDeskSettings, listTemplates: boolean): Record<string, RestCall> {
  const categoryId = stored.invoice.categoryId
  return {
    deal: { method: 'crm.item.get', params: { entityTypeId: ENTITY.deal, id: dealId } },
    dealRows: { method: 'crm.item.productrow.list', params: { filter: { '=ownerType': 'D', '=ownerId': dealId }, order: { id: 'ASC' } } },
    company: { method: 'crm.item.get', params: { entityTypeId: ENTITY.company, id: '$result[deal][item][companyId]' } },
    contact: { method: 'crm.item.get', params: { entityTypeId: ENTITY.contact, id: '$result[deal][item][contactId]' } },
    manager: { method: 'user.get', params: { ID: '$result[deal][item][assignedById]' } },
    profile: { method: 'profile' },
    serverTime: { method: 'server.time' },
    dealInvoices: { method: 'crm.item.list', params: { entityTypeId: ENTITY.invoice, filter: { '=parentId2': dealId }, select: ['id', 'stageId', 'xmlId'] } },
    existing: { method: 'crm.item.list', params: { entityTypeId: ENTITY.invoice, filter: { '=xmlId': key }, select: [...INVOICE_SELECT, 'xmlId', 'createdTime', 'updatedTime', 'sourceDescription'], order: { id: 'ASC' } } },
    existingRows: { method: 'crm.item.productrow.list', params: { filter: { '=ownerType': 'SI', '=ownerId': EXISTING } } },
    existingDocs: { method: 'crm.documentgenerator.document.list', params: { filter: { entityTypeId: ENTITY.invoice, entityId: EXISTING }, order: { id: 'DESC' } } },
    // List rows carry no `publicUrl` (R: crm-document-generator-document-list.md): `get` the newest document for it.
    existingDoc: { method: 'crm.documentgenerator.document.get', params: { id: '$result[existingDocs][documents][0][id]' } },
    existingEmails: { method: 'crm.activity.list', params: { filter: { OWNER_TYPE_ID: ENTITY.invoice, OWNER_ID: EXISTING, TYPE_ID: 4 }, select: ['ID', 'ORIGIN_ID', 'SUBJECT'] } },
    existingLog: { method: 'crm.timeline.logmessage.list', params: { entityTypeId: ENTITY.invoice, entityId: EXISTING, order: { id: 'desc' } } },
    categories: { method: 'crm.category.list', params: { entityTypeId: ENTITY.invoice } },
    stages: stagesCall(categoryId ?? '$result[categories][categories][0][id]'),
    // Listing templates needs the "modify templates" right (R: api-reference/crm/document-generator/templates/
    // crm-document-generator-template-list.md): when the settings store no template (before an admin saved them), and
    // for an administrator, whose list shows whether the stored template still exists; never for a manager.
    ...(stored.invoice.documentTemplateId === null || listTemplates ? { templates: templatesCall(categoryId) } : {}),
    myCompanies: { method: 'crm.item.list', params: { entityTypeId: ENTITY.company, filter: { isMyCompany: 'Y' }, select: ['id', 'title'] } },
  }
}

function templatesCall(categoryId: number | null): RestCall {
  return { method: 'crm.documentgenerator.template.list', params: { select: ['id', 'name', 'entityTypeId'], filter: { entityTypeId: ['31', ...(categoryId === null ? [] : [`31_${categoryId}`])] } } }
}

function stagesCall(categoryId: number | string): RestCall {
  return { method: 'crm.status.list', params: { filter: { ENTITY_ID: invoiceStageEntityId(categoryId) }, order: { SORT: 'ASC' } } }
}

/** The contact person's address first (B2B invoices go to a person), else the company's. */
export function clientOf(company: ClientItemDto | null, contact: ClientItemDto | null): InvoiceClient | null {
  const contactIds = contact ? [Number(contact.id)] : []
  const contactEmail = emailOf(contact)
  const owner = (email: string | null, entityTypeId: 3 | 4, dto: ClientItemDto | null) => (email && dto ? { entityTypeId, id: Number(dto.id) } : null)
  const emailOwner = owner(contactEmail, 3, contact) ?? owner(emailOf(company), 4, company)
  const email = contactEmail ?? emailOf(company)
  if (company)
    return { type: 'b2b', companyId: Number(company.id), contactIds, name: company.title ?? '', email, emailOwner }
  if (contact)
    return { type: 'b2c', companyId: null, contactIds, name: contactName(contact), email, emailOwner }
  return null
}

/** The docs show lists as bare arrays and single results wrapped; tolerate either for lists. */
function listOf<T>(result: T[] | Record<string, T[] | undefined>, key: string): T[] {
  return Array.isArray(result) ? result : result[key] ?? []
}

function latest(...values: Array<string | null | undefined>): Date | null {
  const times = values.map(value => (value ? Date.parse(value) : Number.NaN)).filter(Number.isFinite)
  return times.length > 0 ? new Date(Math.max(...times)) : null
}

type ExistingDto = InvoiceItemDto & { createdTime?: string, updatedTime?: string, sourceDescription?: string | null }

function attemptOf(dto: ExistingDto): string | null {
  const text = dto.sourceDescription ?? ''
  return text.startsWith(ATTEMPT_PREFIX) ? text.slice(ATTEMPT_PREFIX.length).trim() || null : null
}

function existingOf(outcomes: Record<string, BatchOutcome>, stages: readonly StatusDto[], settings: InvoiceDeskSettings): ExistingIssue | null {
  const items = required<{ items: ExistingDto[] }>(outcomes.existing, 'crm.item.list').items
  const found = items[0]
  if (!found)
    return null
  const invoice = invoiceFromDto(found)
  // These reads decide what is already done: if one failed, guessing "not done" could send twice.
  const documents = listOf(required<DocumentDto[] | { documents?: DocumentDto[] }>(outcomes.existingDocs, 'crm.documentgenerator.document.list'), 'documents')
  const document = documents.find(doc => Number(doc.templateId) === settings.invoice.documentTemplateId) ?? null
  const full = optional<{ document?: DocumentDto } | null>(outcomes.existingDoc, null)?.document
  // The link only when `get` read this very document; else the chain switches it on before it e-mails.
  const publicUrl = document && full && Number(full.id) === Number(document.id) ? full.publicUrl || null : null
  const activities = required<ActivityDto[]>(outcomes.existingEmails, 'crm.activity.list')
  const emails = activities.filter(activity => activity.ORIGIN_ID === emailKey(invoice.id))
  const log = listOf(required<LogMessageDto[] | { logMessages?: LogMessageDto[] }>(outcomes.existingLog, 'crm.timeline.logmessage.list'), 'logMessages')
  // The list comes 10 to a page, newest first. When there are more pages than the one read, an
  // older marker may hide there: then count the step as done rather than risk doing it twice.
  const moreLog = outcomes.existingLog?.ok === true && outcomes.existingLog.total > log.length
  const hasMarker = (title: string) => moreLog || log.some(entry => entry.title === title)
  const emailConfirmed = hasMarker(EMAIL_SENT_LOG_TITLE)
  const resendPrefix = `${emailKey(invoice.id)}:resend:`
  const stage = stages.find(s => s.STATUS_ID === invoice.stageId)
  const sent = stages.find(s => s.STATUS_ID === settings.invoice.sentStageId)
  // At or past the "sent" stage, or closed (paid/cancelled): the stage step is behind us.
  const sentOrLater = Boolean(stage && sent && (Number(stage.SORT) >= Number(sent.SORT) || (stage.SEMANTICS ?? '') !== ''))
  const semantics = (stage?.SEMANTICS ?? '').toUpperCase()
  return {
    attemptId: attemptOf(found),
    closed: semantics === 'S' ? 'paid' : semantics === 'F' ? 'cancelled' : null,
    duplicateIds: items.slice(1).map(item => Number(item.id)),
    invoice,
    publicUrl,
    pdfUrlMachine: document?.pdfUrlMachine || null,
    unconfirmedEmailIds: emailConfirmed ? [] : emails.map(activity => Number(activity.ID)),
    resendCount: activities.filter(activity => activity.ORIGIN_ID?.startsWith(resendPrefix)).length,
    lastTouched: latest(found.createdTime, found.updatedTime),
    trace: {
      invoiceId: invoice.id,
      rowCount: optional<{ productRows?: unknown[] }>(outcomes.existingRows, {}).productRows?.length ?? 0,
      documentId: document ? Number(document.id) : null,
      pdfUrl: document?.pdfUrl || null,
      emailActivityId: emailConfirmed && emails[0] ? Number(emails[0].ID) : null,
      invoiceInSentStage: sentOrLater,
      notified: hasMarker(ISSUED_LOG_TITLE),
    },
  }
}

function catalogOf(outcomes: Record<string, BatchOutcome>, stageRows: readonly StatusDto[], currency: string, stored: InvoiceDeskSettings): SettingsCatalog {
  const categories = required<{ categories: Array<{ id: number | string, name: string, isDefault?: string }> }>(outcomes.categories, 'crm.category.list').categories
  const templates = optional<{ templates?: Record<string, { id: number | string, name: string }> }>(outcomes.templates, {}).templates ?? {}
  const listed = Object.values(templates).map(t => ({ id: Number(t.id), name: t.name }))
  const myCompanies = required<{ items: Array<{ id: number | string, title?: string }> }>(outcomes.myCompanies, 'crm.item.list').items
  return {
    invoicePipelines: categories.map(c => ({ id: Number(c.id), name: c.name, isDefault: c.isDefault === 'Y' })),
    invoiceStages: stageRows.map(stageFromDto),
    dealPipelines: [],
    dealStages: [],
    documentTemplates: outcomes.templates ? listed : storedDocumentTemplates(stored),
    ...(outcomes.templates?.ok === false ? { documentTemplatesListed: false } : {}),
    myCompanies: myCompanies.map(c => ({ id: Number(c.id), name: c.title ?? '' })),
    companies: [],
    users: [],
    baseCurrency: currency,
  }
}

/**
 * The stage directory read by reference is the FIRST pipeline's; when the default pipeline is
 * another one (several invoice pipelines, no pipeline chosen in the settings) read that one.
 */
async function stagesOfResolvedPipeline(client: PortalClient, stored: InvoiceDeskSettings, catalog: SettingsCatalog, loaded: StatusDto[]): Promise<StatusDto[]> {
  const pipeline = invoicePipelineOf(stored, catalog)
  if (!pipeline || loaded.some(row => row.ENTITY_ID === invoiceStageEntityId(pipeline.id)))
    return loaded
  const call = stagesCall(pipeline.id)
  return client.call<StatusDto[]>(call.method, call.params)
}

/**
 * Reads, in one batch: the deal and its product rows, the client with e-mails, the responsible
 * manager and the acting user's profile, the invoice pipeline's stages, invoice templates and our
 * companies, and whatever the chain already did for `key` (the invoice with that `xmlId`, its rows,
 * document, e-mail and timeline markers) so a retry continues instead of repeating. `listTemplates`
 * (administrators): list the document templates even when the settings store one.
 */
export async function readIssueSnapshot(client: PortalClient, dealId: number, key: string, stored: InvoiceDeskSettings, localNow: Date, listTemplates = false): Promise<IssueSnapshot> {
  const owner = { entityTypeId: ENTITY.deal, id: dealId } as const
  // The token for the chain's first write batch, minted by this read; test mode writes nothing at all.
  const calls = readCalls(dealId, key, stored, listTemplates)
  const outcomes = await client.batch(stored.testMode ? calls : withMint(calls, owner))
  const dealDto = required<{ item: DealItemDto }>(outcomes.deal, 'crm.item.get').item
  const deal = dealFromDto(dealDto)
  const dealRows = (await allDealRows(client, dealId, outcomes.dealRows)).map(row => productRowFromDto(row, deal.amount.currency))
  const company = deal.companyId ? required<{ item: ClientItemDto }>(outcomes.company, 'crm.item.get').item : null
  const contact = deal.contactId ? required<{ item: ClientItemDto }>(outcomes.contact, 'crm.item.get').item : null
  const managerDto = optional<UserDto[]>(outcomes.manager, [])[0]
  const firstCatalog = catalogOf(outcomes, required<StatusDto[]>(outcomes.stages, 'crm.status.list'), deal.amount.currency, stored)
  const stageRows = await stagesOfResolvedPipeline(client, stored, firstCatalog, required<StatusDto[]>(outcomes.stages, 'crm.status.list'))
  const catalog = { ...firstCatalog, invoiceStages: stageRows.map(stageFromDto) }
  const settings = resolveSettings(stored, catalog)
  return {
    deal,
    dealRows,
    settings,
    client: clientOf(company, contact),
    manager: managerDto ? { id: Number(managerDto.ID), name: userName(managerDto), email: managerDto.EMAIL ?? '', phone: managerDto.WORK_PHONE ?? '' } : null,
    userTimeZone: optional<ProfileDto | null>(outcomes.profile, null)?.TIME_ZONE || null,
    catalog,
    myCompanyNames: new Map(catalog.myCompanies.map(c => [c.id, c.name])),
    existing: existingOf(outcomes, stageRows, settings),
    guard: stored.testMode ? newGuard(owner) : guardOf(outcomes, owner),
    otherOpenInvoices: optional<{ items: Array<{ stageId?: string, xmlId?: string | null }> }>(outcomes.dealInvoices, { items: [] }).items
      .filter(item => item.xmlId !== key && stageRows.find(stage => stage.STATUS_ID === item.stageId)?.SEMANTICS !== 'F').length,
    portalClockOffsetMs: portalOffset(outcomes.serverTime, localNow),
    portalTimeZone: offsetZoneOf(optional<string>(outcomes.serverTime, '')),
  }
}

function portalOffset(outcome: BatchOutcome | undefined, localNow: Date): number {
  const clock = portalClockOf(optional<string>(outcome, ''))
  return clock ? clock.instantMs - localNow.getTime() : 0
}

/**
 * Every product row of the deal: the first page came with the read; when `total` says there are
 * more, the other pages come in ONE more batch. Throws when any page fails or the count does not
 * add up: a sum the app has not fully read must never be invoiced.
 */
async function allDealRows(client: PortalClient, dealId: number, first: BatchOutcome | undefined): Promise<ProductRowDto[]> {
  const rows = [...required<{ productRows: ProductRowDto[] }>(first, 'crm.item.productrow.list').productRows]
  const total = first?.ok ? first.total : 0
  if (total <= rows.length)
    return rows
  const starts = Array.from({ length: Math.ceil((total - rows.length) / ROWS_PAGE) }, (_, i) => rows.length + i * ROWS_PAGE)
  const pages = await client.batch(Object.fromEntries(starts.map(start => [`rows${start}`, {
    method: 'crm.item.productrow.list',
    params: { filter: { '=ownerType': 'D', '=ownerId': dealId }, order: { id: 'ASC' }, start },
  }])))
  for (const start of starts)
    rows.push(...required<{ productRows: ProductRowDto[] }>(pages[`rows${start}`], 'crm.item.productrow.list').productRows)
  const unique = new Map(rows.map(row => [String(row.id), row]))
  if (unique.size !== total)
    throw new PortalError('crm.item.productrow.list', 'INCOMPLETE_ROWS', `Read ${unique.size} of the deal's ${total} product rows`, 200, true)
  return [...unique.values()]
}
