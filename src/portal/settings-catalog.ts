import type { Money } from '../domain/money.ts'
import type { NamedRef, Pipeline, SettingsCatalog } from '../domain/settings/settings-catalog.ts'
import type { StatusDto } from './crm/crm-dto.ts'
import type { BatchOutcome, PortalClient, RestCall } from './portal-client.ts'
import { calendarDateOf } from '../domain/calendar-date.ts'
import { moneyFromDecimal } from '../domain/money.ts'
import { TEMPLATE_LIST_CALL, templateCatalogOf } from './bizproc/workflow-dto.ts'
import { DEAL_FIELDS_CALL, dealFieldsOf } from './crm/auto-issue-deals.ts'
import { INVOICE_SELECT } from './crm/crm-dto.ts'
import { invoiceStageEntityId, stageFromDto } from './crm/crm-mappers.ts'

/** A real invoice (the newest) and the people around it, to preview e-mail templates with. */
export interface TemplateSample {
  readonly invoiceNumber: string
  readonly amount: Money
  readonly issueDate: string | null
  readonly dueDate: string | null
  readonly clientName: string
  readonly dealTitle: string
  readonly managerName: string
  readonly managerEmail: string
}

/** What the settings page reads from the portal. */
export interface SettingsSnapshot {
  readonly catalog: SettingsCatalog
  /** Null on a portal without invoices: the preview then uses made-up values. */
  readonly sample: TemplateSample | null
}

interface CategoryDto { id: number | string, name: string, isDefault?: string }
interface ItemDto { id: number | string, title?: string | null, name?: string | null, lastName?: string | null, isMyCompany?: string | boolean | null }
interface UserDto { ID: number | string, NAME?: string | null, LAST_NAME?: string | null, EMAIL?: string | null }
interface TemplateListDto { templates?: Record<string, { id: number | string, name: string }> | unknown[] }

const ENTITY = { deal: 2, contact: 3, company: 4, invoice: 31 } as const
const SAMPLE = '$result[sample][items][0]'

function payload<T>(outcome: BatchOutcome | undefined, fallback: T): T {
  return outcome?.ok ? outcome.result as T : fallback
}

function required<T>(outcome: BatchOutcome | undefined): T {
  if (!outcome)
    throw new Error('Batch outcome missing')
  if (!outcome.ok)
    throw outcome.error
  return outcome.result as T
}

const pipelineOf = (dto: CategoryDto): Pipeline => ({ id: Number(dto.id), name: dto.name, isDefault: dto.isDefault === 'Y' })
const userName = (dto: UserDto): string => [dto.NAME, dto.LAST_NAME].filter(Boolean).join(' ') || `#${dto.ID}`
const isMine = (dto: ItemDto): boolean => dto.isMyCompany === 'Y' || dto.isMyCompany === true

function firstRound(): Record<string, RestCall> {
  const itemList = (entityTypeId: number, params: Record<string, unknown>): RestCall => ({ method: 'crm.item.list', params: { entityTypeId, ...params } })
  return {
    invoicePipelines: { method: 'crm.category.list', params: { entityTypeId: ENTITY.invoice } },
    dealPipelines: { method: 'crm.category.list', params: { entityTypeId: ENTITY.deal } },
    companies: itemList(ENTITY.company, { select: ['id', 'title', 'isMyCompany'], order: { title: 'ASC' } }),
    // ACTIVE true leaves dismissed employees out (R: api-reference/user/user-get.md); in a batch it travels as "true".
    users: { method: 'user.get', params: { sort: 'LAST_NAME', order: 'ASC', FILTER: { ACTIVE: true } } },
    currency: { method: 'crm.currency.base.get' },
    sample: itemList(ENTITY.invoice, { select: [...INVOICE_SELECT], order: { id: 'DESC' } }),
    sampleCompany: { method: 'crm.item.get', params: { entityTypeId: ENTITY.company, id: `${SAMPLE}[companyId]` } },
    sampleContact: { method: 'crm.item.get', params: { entityTypeId: ENTITY.contact, id: `${SAMPLE}[contactId]` } },
    sampleDeal: { method: 'crm.item.get', params: { entityTypeId: ENTITY.deal, id: `${SAMPLE}[parentId2]` } },
    sampleManager: { method: 'user.get', params: { ID: `${SAMPLE}[assignedById]` } },
    processTemplates: TEMPLATE_LIST_CALL,
    // The deal's fields, for the auto-issue conditions (payment method, region): list fields with their items.
    dealFields: DEAL_FIELDS_CALL,
  }
}

/** Stage directories of every pipeline and the invoice templates: needs the pipeline ids first. */
function secondRound(invoicePipelines: readonly Pipeline[], dealPipelines: readonly Pipeline[]): Record<string, RestCall> {
  const status = (entityId: string): RestCall => ({ method: 'crm.status.list', params: { filter: { ENTITY_ID: entityId }, order: { SORT: 'ASC' } } })
  const calls: Record<string, RestCall> = {
    templates: {
      method: 'crm.documentgenerator.template.list',
      params: { select: ['id', 'name', 'entityTypeId'], filter: { entityTypeId: ['31', ...invoicePipelines.map(pipeline => `31_${pipeline.id}`)] }, order: { sort: 'ASC' } },
    },
  }
  for (const pipeline of invoicePipelines)
    calls[`invoiceStages${pipeline.id}`] = status(invoiceStageEntityId(pipeline.id))
  for (const pipeline of dealPipelines)
    calls[`dealStages${pipeline.id}`] = status(pipeline.id === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${pipeline.id}`)
  return calls
}

function templatesOf(dto: TemplateListDto): NamedRef[] {
  // Documented as an object keyed by id; tolerate an array too.
  const rows = Array.isArray(dto.templates) ? dto.templates as Array<{ id: number | string, name: string }> : Object.values(dto.templates ?? {})
  return rows.map(row => ({ id: Number(row.id), name: row.name }))
}

function sampleOf(outcomes: Record<string, BatchOutcome>): TemplateSample | null {
  const invoice = payload<{ items: Array<Record<string, unknown>> }>(outcomes.sample, { items: [] }).items[0]
  if (!invoice)
    return null
  const company = payload<{ item?: ItemDto }>(outcomes.sampleCompany, {}).item
  const contact = payload<{ item?: ItemDto }>(outcomes.sampleContact, {}).item
  const manager = payload<UserDto[]>(outcomes.sampleManager, [])[0]
  const currency = String(invoice.currencyId || 'RUB')
  return {
    invoiceNumber: String(invoice.accountNumber ?? invoice.id),
    amount: moneyFromDecimal(invoice.opportunity as number | string, currency) ?? { amountMinor: 0, currency },
    issueDate: calendarDateOf(invoice.begindate as string | null),
    dueDate: calendarDateOf(invoice.closedate as string | null),
    clientName: company?.title ?? [contact?.name, contact?.lastName].filter(Boolean).join(' '),
    dealTitle: payload<{ item?: ItemDto }>(outcomes.sampleDeal, {}).item?.title ?? '',
    managerName: manager ? userName(manager) : '',
    managerEmail: manager?.EMAIL ?? '',
  }
}

/**
 * Reads everything the settings page offers to choose from, in TWO batched round trips: first the
 * pipelines, companies, users, base currency and a sample invoice with its client, deal and
 * manager (through `$result` references); then, once the pipeline ids are known, every pipeline's
 * stages and the invoice document templates (refused to users without the "modify templates" right:
 * `documentTemplatesListed: false`, no templates). Lists are the first page (50): enough for pipelines
 * and templates; client companies and users beyond 50 are not offered (documented limitation).
 */
export async function loadSettingsSnapshot(client: PortalClient): Promise<SettingsSnapshot> {
  const first = await client.batch(firstRound())
  const invoicePipelines = required<{ categories: CategoryDto[] }>(first.invoicePipelines).categories.map(pipelineOf)
  const dealPipelines = required<{ categories: CategoryDto[] }>(first.dealPipelines).categories.map(pipelineOf)
  const companies = required<{ items: ItemDto[] }>(first.companies).items
  const second = await client.batch(secondRound(invoicePipelines, dealPipelines))
  const stagesOf = (prefix: string, pipelines: readonly Pipeline[]) =>
    pipelines.flatMap(pipeline => required<StatusDto[]>(second[`${prefix}${pipeline.id}`]).map(stageFromDto))
  const catalog: SettingsCatalog = {
    invoicePipelines,
    invoiceStages: stagesOf('invoiceStages', invoicePipelines),
    dealPipelines,
    // Deal stages of the default pipeline carry no CATEGORY_ID; pin them to 0.
    dealStages: stagesOf('dealStages', dealPipelines).map(stage => ({ ...stage, categoryId: stage.categoryId ?? 0 })),
    // Listing needs the "modify templates" right (R: api-reference/crm/document-generator/templates/
    // crm-document-generator-template-list.md): a manager's page shows the stored template instead.
    documentTemplates: second.templates?.ok === false ? [] : templatesOf(required<TemplateListDto>(second.templates)),
    ...(second.templates?.ok === false ? { documentTemplatesListed: false } : {}),
    myCompanies: companies.filter(isMine).map(dto => ({ id: Number(dto.id), name: dto.title ?? '' })),
    companies: companies.filter(dto => !isMine(dto)).map(dto => ({ id: Number(dto.id), name: dto.title ?? '' })),
    users: required<UserDto[]>(first.users).map(dto => ({ id: Number(dto.ID), name: userName(dto) })),
    baseCurrency: String(payload<string>(first.currency, 'RUB') || 'RUB'),
    processTemplates: templateCatalogOf(first.processTemplates),
    // Not read (refused): the mapping keeps what is stored and is not checked against the portal.
    ...(first.dealFields?.ok ? { dealFields: dealFieldsOf(first.dealFields.result) } : {}),
  }
  return { catalog, sample: sampleOf(first) }
}
